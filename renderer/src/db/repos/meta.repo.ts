/**
 * Device identity and bookkeeping in the field database: the device id (made once), the per-device
 * sequence used for upload ordering, and the store marker that lets start-up notice a wiped store.
 */
import type { FieldDb } from '../databases.js';
import { FIELD_SCHEMA_VERSION } from '../migrations/index.js';

export interface MetaRepo {
  /** The device id, generated once with crypto.randomUUID() and stored. */
  deviceId(): Promise<string>;
  /** The store marker (written on first use), or null when the store was wiped or never used. */
  marker(): Promise<string | null>;
  ensureMarker(): Promise<string>;
  schemaVersion(): Promise<number | null>;
}

export function metaRepo(db: FieldDb): MetaRepo {
  return {
    async deviceId() {
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('deviceId');
        if (row && typeof row.value === 'string') return row.value;
        const id = crypto.randomUUID();
        await db.meta.put({ key: 'deviceId', value: id });
        return id;
      });
    },
    async marker() {
      const row = await db.meta.get('marker');
      return row && typeof row.value === 'string' ? row.value : null;
    },
    async ensureMarker() {
      return db.transaction('rw', db.meta, async () => {
        const row = await db.meta.get('marker');
        if (row && typeof row.value === 'string') return row.value;
        const marker = `store-${crypto.randomUUID()}`;
        await db.meta.bulkPut([
          { key: 'marker', value: marker },
          { key: 'schema', value: FIELD_SCHEMA_VERSION },
        ]);
        return marker;
      });
    },
    async schemaVersion() {
      const row = await db.meta.get('schema');
      return row && typeof row.value === 'number' ? row.value : null;
    },
  };
}

/** Next per-device sequence number. Call only inside a rw transaction that includes `meta`. */
export async function nextDeviceSeq(db: FieldDb): Promise<number> {
  const row = await db.meta.get('deviceSeq');
  const next = (row && typeof row.value === 'number' ? row.value : 0) + 1;
  await db.meta.put({ key: 'deviceSeq', value: next });
  return next;
}
