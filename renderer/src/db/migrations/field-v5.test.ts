import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS } from './index.js';
import { FIELD_V5_STORES, fieldV5 } from './field-v5.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

const indexNames = (db: Dexie, table: string): string[] => {
  const s = db.table(table).schema;
  return [s.primKey.name, ...s.indexes.map((i) => i.name)];
};

describe('field (previous version) → v5', () => {
  it('keeps drafts, results, meta and document numbers, and adds the empty journal store', async () => {
    const name = `mig-v5-${Math.random()}`;
    names.push(name);
    // Up to v5 only: later versions are tested in their own files.
    const upToV5 = FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV5) + 1);
    const before = upToV5.filter((m) => m !== fieldV5);
    const old = new FieldDb(name, before);
    await old.meta.put({ key: 'deviceId', value: 'dev-1' });
    await old.drafts.put({ taskId: 'task-1', resultId: 'r-1' } as never);
    await old.results.put({ resultId: 'r-0', taskId: 'task-0' } as never);
    await old.docBlocks.put({ requestId: 'q-1', docType: 'notice', state: 'active' } as never);
    const oldVersion = old.verno;
    old.close();

    const db = new FieldDb(name, upToV5);
    await db.open();
    expect(oldVersion).toBe(4);
    expect(db.verno).toBe(5);
    expect((await db.meta.get('deviceId'))?.value).toBe('dev-1');
    expect((await db.drafts.get('task-1'))?.resultId).toBe('r-1');
    expect((await db.results.get('r-0'))?.taskId).toBe('task-0');
    expect((await db.docBlocks.get('q-1'))?.state).toBe('active');
    expect(Object.keys(FIELD_V5_STORES)).toEqual(['journal']);
    expect(indexNames(db, 'journal')).toEqual(['resultId']);
    expect(await db.journal.count()).toBe(0);
    db.close();
  });
});
