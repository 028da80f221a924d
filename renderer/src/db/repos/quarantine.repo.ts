/** Records that failed validation during a pull, with the reason (shown to the user). */
import type { CacheDb } from '../databases.js';
import type { QuarantineRow } from '../rows.js';

export interface QuarantineRepo {
  list(): Promise<readonly QuarantineRow[]>;
  count(): Promise<number>;
  put(rows: readonly QuarantineRow[]): Promise<void>;
}

export function quarantineRepo(db: CacheDb): QuarantineRepo {
  return {
    async list() {
      return db.quarantine.orderBy('at').reverse().toArray();
    },
    count() {
      return db.quarantine.count();
    },
    async put(rows) {
      if (rows.length > 0) await db.quarantine.bulkPut([...rows]);
    },
  };
}
