/**
 * Sealed values: the value codec inside the one sealed-bytes format. Synchronous (row sealing
 * inside IndexedDB transactions) and asynchronous (WebCrypto, before a transaction) read each
 * other's output.
 */
import { openBytes, openBytesAsync, sealBytes, sealBytesAsync } from './seal.js';
import { decodeValue, encodeValue } from './value.codec.js';

export function sealJson(key: Uint8Array, value: unknown, aad: Uint8Array): Uint8Array {
  return sealBytes(key, encodeValue(value), aad);
}

export function openJson(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): unknown {
  return decodeValue(openBytes(key, sealed, aad));
}

export async function sealJsonAsync(key: Uint8Array, value: unknown, aad: Uint8Array): Promise<Uint8Array> {
  return sealBytesAsync(key, encodeValue(value), aad);
}

export async function openJsonAsync(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Promise<unknown> {
  return decodeValue(await openBytesAsync(key, sealed, aad));
}
