/**
 * The one sealed-bytes format, written and read by two engines:
 *
 *   version (1 byte) | IV (12 random bytes) | AES-256-GCM ciphertext + 16-byte tag
 *
 * `sealBytes/openBytes` are synchronous (@noble/ciphers) because rows are sealed inside IndexedDB
 * transactions, where awaiting anything but an IndexedDB request commits the transaction early.
 * `sealBytesAsync/openBytesAsync` use WebCrypto for bulk bytes (photos, credit-file chunks)
 * sealed before a transaction starts: several times faster on large inputs.
 *
 * The caller's AAD says where the bytes belong (e.g. database + table + primary key), so sealed
 * bytes copied to another place fail to open. The version byte is prefixed to the AAD too, so a
 * changed version byte fails the tag instead of selecting another reading.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from './bytes.js';
import { VaultError } from './vault.errors.js';

export const SEAL_VERSION = 1;
export const KEY_LENGTH = 32;
const IV_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + IV_LENGTH;
/** The shortest sealed value: an empty plaintext. */
export const SEAL_OVERHEAD = HEADER_LENGTH + TAG_LENGTH;

function checkKey(key: Uint8Array): void {
  // A key of another length is a programming error (AES-128 would silently be used for 16 bytes).
  if (!(key instanceof Uint8Array) || key.length !== KEY_LENGTH) {
    throw new RangeError(`vault: a data key must be ${KEY_LENGTH} bytes`);
  }
}

function fullAad(aad: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(1 + aad.length);
  out[0] = SEAL_VERSION;
  out.set(aad, 1);
  return out;
}

function checkHeader(sealed: Uint8Array): void {
  if (!(sealed instanceof Uint8Array) || sealed.length < SEAL_OVERHEAD) {
    throw new VaultError(
      'too-short',
      `sealed value of ${sealed instanceof Uint8Array ? sealed.length : typeof sealed} bytes, need >= ${SEAL_OVERHEAD}`,
    );
  }
  if (sealed[0] !== SEAL_VERSION) throw new VaultError('unknown-version', `seal version ${sealed[0]}`);
}

/** WebCrypto refuses views of a SharedArrayBuffer: copy those, pass ArrayBuffer views as they are. */
function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}

function frame(iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH + ciphertext.length);
  out[0] = SEAL_VERSION;
  out.set(iv, 1);
  out.set(ciphertext, HEADER_LENGTH);
  return out;
}

export function sealBytes(key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Uint8Array {
  checkKey(key);
  const iv = randomBytes(IV_LENGTH);
  return frame(iv, gcm(key, iv, fullAad(aad)).encrypt(plain));
}

export function openBytes(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array {
  checkKey(key);
  checkHeader(sealed);
  try {
    return gcm(key, sealed.subarray(1, HEADER_LENGTH), fullAad(aad)).decrypt(sealed.subarray(HEADER_LENGTH));
  } catch (e) {
    throw new VaultError('cannot-open', e instanceof Error ? e.message : String(e));
  }
}

// One imported CryptoKey per data-key array: importing costs about as much as sealing a small
// value. Keyed weakly so a dropped data key drops its CryptoKey; `forgetCryptoKey` on lock.
const cryptoKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function cryptoKeyFor(key: Uint8Array): Promise<CryptoKey> {
  checkKey(key);
  let found = cryptoKeys.get(key);
  if (!found) {
    found = crypto.subtle.importKey('raw', new Uint8Array(key), { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    cryptoKeys.set(key, found);
  }
  return found;
}

/** Drops the cached WebCrypto key of `key` (call it when the vault locks). */
export function forgetCryptoKey(key: Uint8Array): void {
  cryptoKeys.delete(key);
}

export async function sealBytesAsync(key: Uint8Array, plain: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await cryptoKeyFor(key);
  const iv = bufferSource(randomBytes(IV_LENGTH));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: fullAad(aad), tagLength: TAG_LENGTH * 8 },
    cryptoKey,
    bufferSource(plain),
  );
  return frame(iv, new Uint8Array(ct));
}

export async function openBytesAsync(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await cryptoKeyFor(key);
  checkHeader(sealed);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: bufferSource(sealed.subarray(1, HEADER_LENGTH)),
        additionalData: fullAad(aad),
        tagLength: TAG_LENGTH * 8,
      },
      cryptoKey,
      bufferSource(sealed.subarray(HEADER_LENGTH)),
    );
    return new Uint8Array(plain);
  } catch (e) {
    throw new VaultError('cannot-open', e instanceof Error ? e.message : String(e));
  }
}
