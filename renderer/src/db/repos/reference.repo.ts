/** Reference data (codes, item catalogue, calendar) with its ETag, in the cache database. */
import type { Reference } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../databases.js';

export interface ReferenceRepo {
  get(): Promise<{ reference: Reference; etag: string | null; fetchedAt: string } | null>;
  put(reference: Reference, etag: string | null, at: string): Promise<void>;
}

export function referenceRepo(db: CacheDb): ReferenceRepo {
  return {
    async get() {
      const row = await db.reference.get('current');
      return row ? { reference: row.reference, etag: row.etag, fetchedAt: row.fetchedAt } : null;
    },
    async put(reference, etag, at) {
      await db.reference.put({ key: 'current', reference, etag, fetchedAt: at });
    },
  };
}
