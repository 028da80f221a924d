/**
 * Records that failed validation during a pull, with the reason (shown to the user). The line's
 * text is a credit file's (confidential) content: it is sealed under the station cache key like
 * the credit files themselves; key, stream and time stay in clear (indexed, listed in order).
 */
import type { CacheDb } from '../databases.js';
import type { QuarantineRow } from '../rows.js';
import { openQuarantine, sealQuarantineSync } from '../../credit-files/store/enterprises.store.js';

export interface QuarantineRepo {
  list(): Promise<readonly QuarantineRow[]>;
  count(): Promise<number>;
  put(rows: readonly QuarantineRow[]): Promise<void>;
}

export function quarantineRepo(db: CacheDb): QuarantineRepo {
  return {
    async list() {
      const rows = await db.quarantine.orderBy('at').reverse().toArray();
      return Promise.all(rows.map((r) => openQuarantine(db, r)));
    },
    count() {
      return db.quarantine.count();
    },
    async put(rows) {
      if (rows.length > 0) await db.quarantine.bulkPut(rows.map((r) => sealQuarantineSync(db, r)));
    },
  };
}
