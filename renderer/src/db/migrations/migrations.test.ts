import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dexie } from 'dexie';
import { CacheDb, FieldDb } from '../databases.js';
import { CACHE_V1_STORES, cacheV1 } from './cache-v1.js';
import { FIELD_V1_STORES, fieldV1 } from './field-v1.js';
import { FIELD_SCHEMA_VERSION } from './index.js';

const open: Dexie[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

function indexNames(db: Dexie, table: string): string[] {
  const schema = db.table(table).schema;
  return [schema.primKey.name, ...schema.indexes.map((i) => i.name)];
}

describe('field v1', () => {
  it('creates every store with the declared primary key and indexes', async () => {
    // v1 alone: later versions add stores (each tested in its own field-vN.test.ts).
    const db = new FieldDb(`mig-field-${Math.random()}`, [fieldV1]);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(1);
    expect(new FieldDb('mig-field-unopened').verno).toBe(FIELD_SCHEMA_VERSION);
    expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(FIELD_V1_STORES).sort());
    expect(indexNames(db, 'outbox')).toEqual(['opId', 'order', 'state', 'resultId', 'taskId']);
    expect(indexNames(db, 'tasks')).toEqual(['id', 'dueDate', 'enterpriseUscc', 'status']);
  });

  it('keeps data across a reopen at the same version', async () => {
    const name = `mig-field-${Math.random()}`;
    const db = new FieldDb(name);
    await db.meta.put({ key: 'deviceId', value: 'dev-1' });
    db.close();
    const again = new FieldDb(name);
    open.push(again);
    expect((await again.meta.get('deviceId'))?.value).toBe('dev-1');
  });
});

describe('cache v1', () => {
  it('creates the cache stores', async () => {
    // v1 alone (the current version is covered by cache-v2.test.ts).
    const db = new CacheDb(`mig-cache-${Math.random()}`, [cacheV1]);
    open.push(db);
    await db.open();
    expect(db.verno).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(CACHE_V1_STORES).sort());
    expect(indexNames(db, 'enterprises')).toEqual(['uscc', 'name', 'generation']);
  });
});
