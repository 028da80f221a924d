/**
 * 统一社会信用代码 (Unified Social Credit Code, GB 32100-2015) validation.
 *
 * Owns: the character set, the GB 32100 check character (pos 18), the GB 11714 organisation-code
 * check (pos 17), and the verdict the UI shows. Irregular codes exist in real registers (a
 * whitelisted real code fails the check), so a bad check character is *flagged*, never silently
 * accepted: the caller must pass an explicit, reasoned override to use it.
 */

export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;
/** Shape only: 18 chars, pos 3–8 digits, no I O S V Z. */
export const USCC_PATTERN = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

declare const usccBrand: unique symbol;
/** An USCC that passed the full check (or was explicitly overridden). */
export type Uscc = string & { readonly [usccBrand]: true };

export type UsccProblem =
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'charset'; readonly position: number; readonly char: string }
  | { readonly kind: 'org-check'; readonly expected: string; readonly actual: string }
  | { readonly kind: 'check'; readonly expected: string; readonly actual: string };

export type UsccVerdict =
  | { readonly ok: true; readonly uscc: Uscc }
  | { readonly ok: false; readonly problem: UsccProblem; readonly message: string };

function charValue(c: string): number {
  return USCC_CHARS.indexOf(c);
}

/** GB 32100 check character for the first 17 characters (which must be in the charset). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new Error(`usccCheckChar needs 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = charValue(first17.charAt(i));
    if (v < 0) throw new Error(`invalid USCC character '${first17.charAt(i)}' at position ${i + 1}`);
    sum += v * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARS.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 organisation-code check character for the 8-char body (USCC positions 9–16). */
export function orgCodeCheckChar(body8: string): string {
  if (body8.length !== 8) throw new Error(`orgCodeCheckChar needs 8 characters, got ${body8.length}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charAt(i);
    const v = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55;
    sum += v * (ORG_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

const MESSAGES = {
  length: (p: { length: number }) => `统一社会信用代码应为18位，当前为${p.length}位`,
  charset: (p: { position: number; char: string }) =>
    `第${p.position}位字符“${p.char}”不合法（代码不含 I、O、S、V、Z，第3–8位须为数字）`,
  'org-check': (p: { expected: string; actual: string }) =>
    `第17位（组织机构代码校验位）应为“${p.expected}”，实为“${p.actual}”`,
  check: (p: { expected: string; actual: string }) => `第18位校验码应为“${p.expected}”，实为“${p.actual}”`,
};

/**
 * Full validation. Input is trimmed and upper-cased first (inspectors type codes by hand).
 * The org-code check (pos 17) is reported only when the main check passes, because codes issued to
 * bodies without an organisation code legitimately fail it while passing GB 32100.
 */
export function validateUscc(raw: string): UsccVerdict {
  const code = raw.trim().toUpperCase();
  if (code.length !== 18) {
    const problem = { kind: 'length', length: code.length } as const;
    return { ok: false, problem, message: MESSAGES.length(problem) };
  }
  for (let i = 0; i < 18; i++) {
    const c = code.charAt(i);
    const digitOnly = i >= 2 && i <= 7;
    if (charValue(c) < 0 || (digitOnly && !/\d/.test(c))) {
      const problem = { kind: 'charset', position: i + 1, char: c } as const;
      return { ok: false, problem, message: MESSAGES.charset(problem) };
    }
  }
  const expected = usccCheckChar(code.slice(0, 17));
  if (expected !== code.charAt(17)) {
    const problem = { kind: 'check', expected, actual: code.charAt(17) } as const;
    return { ok: false, problem, message: MESSAGES.check(problem) };
  }
  return { ok: true, uscc: code as Uscc };
}

/**
 * Why a code the platform sent fails GB 32100 (null when it passes). Real registers hold a few such
 * codes, issued before the check character was enforced: the inspector compares them with the licence on site and records how
 * (the result carries that note). The position-17 check (orgCodeWarning) is advisory only.
 */
export function usccCheckFailure(uscc: string): string | null {
  const verdict = validateUscc(uscc);
  return verdict.ok ? null : verdict.message;
}

/** Secondary, advisory check of position 17 (GB 11714). Returns a message or null. */
export function orgCodeWarning(uscc: string): string | null {
  const body = uscc.slice(8, 16);
  if (!/^[0-9A-Z]{8}$/.test(body)) return null;
  const expected = orgCodeCheckChar(body);
  const actual = uscc.charAt(16);
  return expected === actual ? null : MESSAGES['org-check']({ expected, actual });
}

export interface UsccOverride {
  /** Why the inspector accepts an irregular code (e.g. "营业执照原件核对一致"). Required, non-empty. */
  readonly reason: string;
  readonly by: string;
  readonly at: string;
}

/**
 * Accept a code that failed the check only with an explicit, reasoned override. Shape errors
 * (length, charset) can never be overridden: those are typing mistakes, not irregular registrations.
 */
export function acceptUscc(raw: string, override?: UsccOverride): UsccVerdict & { overridden?: boolean } {
  const verdict = validateUscc(raw);
  if (verdict.ok) return verdict;
  if (verdict.problem.kind !== 'check') return verdict;
  if (!override || override.reason.trim().length < 2) return verdict;
  return { ok: true, uscc: raw.trim().toUpperCase() as Uscc, overridden: true };
}

/** Registering department + entity kind (positions 1–2) as a zh-CN label, for display. */
export function usccEntityKind(uscc: string): string {
  const kinds: Record<string, string> = {
    '91': '企业',
    '92': '个体工商户',
    '93': '农民专业合作社',
    '11': '机关',
    '12': '事业单位',
    '13': '群众团体',
    '51': '社会团体',
    '52': '民办非企业单位',
    '53': '基金会',
  };
  return kinds[uscc.slice(0, 2)] ?? '其他';
}
