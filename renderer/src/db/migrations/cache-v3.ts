/**
 * Cache database, schema version 3: the credit-file rows, the summary row and the quarantine are
 * sealed under the station cache key (credit-files/store/enterprises.seal.ts). Rows of the clear v2 layout can
 * never be opened, and they hold confidential text: the upgrade deletes them and resets the
 * enterprise cursor in the same versionchange transaction (the cache is re-downloadable), so the
 * next sync does one full download into the sealed layout. Reference data (public codes, the item
 * catalogue and the calendar) stays in clear.
 */
import type { Dexie, Transaction } from 'dexie';
import { resetEnterpriseCursor } from './cache-v2.js';

export const CACHE_V3_VERSION = 3;

export async function dropClearRows(tx: Transaction): Promise<void> {
  await Promise.all(
    ['entChunks', 'entSearch', 'entDir', 'entMeta', 'quarantine'].map((name) => tx.table(name).clear()),
  );
  await resetEnterpriseCursor(tx);
}

export function cacheV3(db: Dexie): void {
  // Same stores: what changes is the rows' content, not what is indexed.
  db.version(CACHE_V3_VERSION)
    .stores({ entChunks: 'id, generation', entSearch: 'id, generation', entDir: 'id, generation', entMeta: 'key' })
    .upgrade(dropClearRows);
}
