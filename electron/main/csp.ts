/**
 * The Content-Security-Policy of every page served from app://bundle, from `default-src 'none'`.
 * connect-src lists only the configured platform (and publicity) origins. pdfmake's embedded fonts
 * and generated PDFs need `data:`/`blob:` for fonts, images and workers. The licence QR decoder is
 * WebAssembly compiled from the app's own bundle: `'wasm-unsafe-eval'` allows compiling wasm and
 * nothing else (JavaScript eval stays forbidden).
 */
import { httpOrigin } from './trusted-url.js';

export interface CspInput {
  readonly platformUrl: string | null;
  readonly publicityUrl: string | null;
}

export function buildCsp(input: CspInput): string {
  const connect = ["'self'"];
  for (const raw of [input.platformUrl, input.publicityUrl]) {
    const origin = raw === null ? null : httpOrigin(raw);
    if (origin !== null && !connect.includes(origin)) connect.push(origin);
  }
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
  ].join('; ');
}
