/**
 * WebCrypto helpers: a non-extractable AES-GCM key that seals tokens at rest, and the salted
 * PBKDF2 password verifier that allows an offline unlock (the password itself is never stored).
 */
import { toHex } from '../../../shared/domain/canonical.js';
import type { PasswordVerifierRow, SealedRow } from '../db/index.js';

export const VERIFIER_ITERATIONS = 210_000;

export async function generateSealingKey(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plaintext: string): Promise<SealedRow> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plaintext));
  return { iv, data };
}

/** Returns null when the data cannot be opened (other key, tampered). */
export async function unseal(key: CryptoKey, sealed: SealedRow): Promise<string | null> {
  try {
    const iv = new Uint8Array(sealed.iv);
    const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed.data);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    base,
    256,
  );
  return toHex(bits);
}

export async function makeVerifier(password: string, iterations = VERIFIER_ITERATIONS): Promise<PasswordVerifierRow> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  return { algorithm: 'PBKDF2-SHA256', iterations, salt, hash: await pbkdf2(password, salt, iterations) };
}

export async function checkVerifier(password: string, v: PasswordVerifierRow): Promise<boolean> {
  const hash = await pbkdf2(password, v.salt, v.iterations);
  // Constant-time-ish compare: both are 64 hex chars.
  let diff = hash.length ^ v.hash.length;
  for (let i = 0; i < Math.min(hash.length, v.hash.length); i += 1) diff |= hash.charCodeAt(i) ^ v.hash.charCodeAt(i);
  return diff === 0;
}
