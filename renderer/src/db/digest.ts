/** SHA-256 hex over UTF-8 text with WebCrypto (never call it inside a Dexie transaction). */
import { toHex } from '../../../shared/domain/canonical.js';

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return toHex(digest);
}
