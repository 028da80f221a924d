/**
 * Cache database, schema version 2: credit files packed ~1,000 per chunk row with compact
 * search columns and a per-chunk directory (see credit-files/store/enterprises.rows.ts), replacing v1's one row
 * per enterprise. The cache is re-downloadable: the upgrade drops the v1 rows and resets the
 * enterprise stream's cursor to 0 in the same versionchange transaction, so the next sync does one
 * full download into the new layout. Tasks, reference data and the quarantine are kept.
 */
import type { Dexie, Transaction } from 'dexie';
import type { SyncStateRow } from '../rows.js';

export const CACHE_V2_VERSION = 2;

export const CACHE_V2_STORES = {
  enterprises: null,
  entChunks: 'id, generation',
  entSearch: 'id, generation',
  entDir: 'id, generation',
  entMeta: 'key',
} as const;

export async function resetEnterpriseCursor(tx: Transaction): Promise<void> {
  const table = tx.table<SyncStateRow, string>('syncState');
  const old = await table.get('enterprises');
  const reset: SyncStateRow = {
    stream: 'enterprises',
    cursor: '0',
    etag: null,
    total: old?.total ?? 0,
    generation: (old?.generation ?? 0) + 1,
    restarting: false,
    lastSyncedAt: old?.lastSyncedAt ?? null,
  };
  await table.put(reset);
}

export function cacheV2(db: Dexie): void {
  db.version(CACHE_V2_VERSION).stores(CACHE_V2_STORES).upgrade(resetEnterpriseCursor);
}
