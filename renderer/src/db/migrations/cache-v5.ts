/**
 * Cache database, schema version 5: the search index blobs (credit-files/store/search-blobs.store.ts).
 * The search worker writes its assembled index there, sealed under the station cache key in parts
 * of a few MiB, with a clear header row saying which state of the credit files it was built from;
 * the next unlock reads it back instead of rebuilding the index. Derived data: nothing to migrate.
 */
import type { Dexie } from 'dexie';

export const CACHE_V5_VERSION = 5;

export function cacheV5(db: Dexie): void {
  db.version(CACHE_V5_VERSION).stores({ searchBlobs: 'name' });
}
