/**
 * Cache database, schema version 1: re-downloadable credit files, reference data, the quarantine
 * of records that failed validation, and the cursors of the streams written into this database
 * (a cursor must live in the same database as the rows it covers: one transaction per page).
 */
import type { Dexie } from 'dexie';

export const CACHE_V1_STORES = {
  enterprises: 'uscc, name, generation',
  reference: 'key',
  quarantine: 'key, stream, at',
  syncState: 'stream',
} as const;

export function cacheV1(db: Dexie): void {
  db.version(1).stores(CACHE_V1_STORES);
}
