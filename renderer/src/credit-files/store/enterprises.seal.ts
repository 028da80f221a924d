/**
 * Sealing of the credit-file cache under the STATION CACHE KEY (one key per station, released by
 * the platform to every inspector of it): the vault's sealed-bytes format, with an AAD that binds
 * each value to its place (database + table + primary key + keyId), so a value copied to another
 * row, table, database or key generation fails to open instead of being read as another record.
 *
 * Two engines, one format: the feed workers and every reader use WebCrypto (async, fast on bulk
 * bytes) outside any transaction; the few values written INSIDE the pull's write transaction
 * (directory rows of a filtered page, the key check, quarantined lines, compaction) use the
 * synchronous engine, because awaiting WebCrypto there would commit the transaction early.
 */
import { openBytes, openBytesAsync, sealBytes, sealBytesAsync } from '../../vault/index.js';
import { VaultError } from '../../vault/index.js';

/** The station cache key as the vault hands it over (never stored in clear). */
export interface CacheKey {
  readonly keyId: string;
  readonly key: Uint8Array;
}

export type SealedTable =
  'entChunks' | 'entSearch' | 'entDir' | 'entMeta' | 'quarantine' | 'snapParts' | 'searchBlobs' | 'entLog';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function cacheAad(dbName: string, table: SealedTable, id: number | string, keyId: string): Uint8Array {
  return encoder.encode(JSON.stringify(['smart-inspect/cache', dbName, table, id, keyId]));
}

export function sealCache(
  key: CacheKey,
  dbName: string,
  table: SealedTable,
  id: number | string,
  plain: Uint8Array,
): Uint8Array {
  return sealBytes(key.key, plain, cacheAad(dbName, table, id, key.keyId));
}

export function openCache(
  key: CacheKey,
  dbName: string,
  table: SealedTable,
  id: number | string,
  sealed: Uint8Array,
): Uint8Array {
  return openBytes(key.key, sealed, cacheAad(dbName, table, id, key.keyId));
}

export function sealCacheAsync(
  key: CacheKey,
  dbName: string,
  table: SealedTable,
  id: number | string,
  plain: Uint8Array,
): Promise<Uint8Array> {
  return sealBytesAsync(key.key, plain, cacheAad(dbName, table, id, key.keyId));
}

export function openCacheAsync(
  key: CacheKey,
  dbName: string,
  table: SealedTable,
  id: number | string,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  if (!(sealed instanceof Uint8Array))
    return Promise.reject(new VaultError('not-sealed', `a row of ${table} (${String(id)}) is not sealed`));
  return openBytesAsync(key.key, sealed, cacheAad(dbName, table, id, key.keyId));
}

export function jsonBytes(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function bytesJson(bytes: Uint8Array): unknown {
  return JSON.parse(decoder.decode(bytes));
}

/** A known plaintext sealed into the summary row: proves the key opens this cache before anything is read. */
export const KEY_CHECK_PLAIN = encoder.encode('smart-inspect/station-cache-key-check');
