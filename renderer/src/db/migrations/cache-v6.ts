/**
 * Cache database, schema version 6: the change log of the credit files (entLog). Each page write
 * that changes the store also writes, in the same transaction, which records it took out of which
 * chunks, under the stamp it moved the store to. The search worker reads the entries since the
 * index it holds instead of the whole directory, so a small delta refreshes the index without
 * opening every directory row. Derived data kept for a few dozen stamps: nothing to migrate (a
 * cache without entries is read as "no log": the index is rebuilt as before).
 */
import type { Dexie } from 'dexie';

export const CACHE_V6_VERSION = 6;

export function cacheV6(db: Dexie): void {
  db.version(CACHE_V6_VERSION).stores({ entLog: 'stamp' });
}
