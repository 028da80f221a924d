/**
 * What a 营业执照 QR code says about its holder. Licences print a QR that encodes either a link to
 * the national enterprise credit publicity system carrying the 统一社会信用代码 as a query parameter
 * (`uniscid=…`, `creditCode=…`), or plain text with the code in it. Newer links carry only an
 * opaque id: then there is no code to compare and the caller must say so rather than guess.
 */
import { USCC_PATTERN, validateUscc } from './uscc.js';

export type LicenceQrReading =
  | {
      readonly ok: true;
      readonly uscc: string;
      /** The code has the USCC shape but fails the GB 32100 check (real registers hold a few). */
      readonly checkProblem: string | null;
    }
  | { readonly ok: false; readonly error: { readonly kind: 'no-uscc'; readonly message: string } };

const KEYED = /(?:uniscid|uscc|creditcode|tyshxydm|regno)=([0-9A-Za-z]{18})(?![0-9A-Za-z])/i;
const TOKEN = /(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])/g;

function reading(code: string): LicenceQrReading {
  const verdict = validateUscc(code);
  return { ok: true, uscc: code.toUpperCase(), checkProblem: verdict.ok ? null : verdict.message };
}

/**
 * The USCC in a scanned licence QR text. A keyed parameter wins; otherwise the first USCC-shaped
 * token that passes the check, else the first that has the shape only (flagged by checkProblem).
 */
export function usccFromLicenceQr(text: string): LicenceQrReading {
  let decoded = text;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    // not URI-encoded: read the text as it is
  }
  const keyed = KEYED.exec(decoded)?.[1]?.toUpperCase();
  if (keyed && USCC_PATTERN.test(keyed)) return reading(keyed);
  const tokens = [...decoded.toUpperCase().matchAll(TOKEN)].map((m) => m[0]);
  const checked = tokens.find((t) => validateUscc(t).ok);
  const first = checked ?? tokens[0];
  if (first) return reading(first);
  return {
    ok: false,
    error: {
      kind: 'no-uscc',
      message: '二维码中没有统一社会信用代码（可能是新版执照的加密链接），请核对执照上印刷的代码。',
    },
  };
}
