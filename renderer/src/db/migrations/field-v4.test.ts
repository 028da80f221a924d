import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS } from './index.js';
import { FIELD_V4_STORES, fieldV4 } from './field-v4.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

const indexNames = (db: Dexie, table: string): string[] => {
  const s = db.table(table).schema;
  return [s.primKey.name, ...s.indexes.map((i) => i.name)];
};

describe('field (previous version) → v4', () => {
  it('keeps tasks, drafts, results and meta, and adds the document-number stores', async () => {
    const name = `mig-v4-${Math.random()}`;
    names.push(name);
    // Up to v4 only: later versions are tested in their own files.
    const upToV4 = FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV4) + 1);
    const before = upToV4.filter((m) => m !== fieldV4);
    const old = new FieldDb(name, before);
    await old.meta.put({ key: 'deviceId', value: 'dev-1' });
    await old.drafts.put({ taskId: 'task-1', resultId: 'r-1' } as never);
    await old.results.put({ resultId: 'r-0', taskId: 'task-0' } as never);
    const oldVersion = old.verno;
    old.close();

    const db = new FieldDb(name, upToV4);
    await db.open();
    expect(db.verno).toBe(4);
    expect(oldVersion).toBeLessThan(4);
    expect((await db.meta.get('deviceId'))?.value).toBe('dev-1');
    expect((await db.drafts.get('task-1'))?.resultId).toBe('r-1');
    expect((await db.results.get('r-0'))?.taskId).toBe('task-0');
    expect(indexNames(db, 'docBlocks')).toEqual(['requestId', 'docType', 'state']);
    expect(indexNames(db, 'docNumbers')).toEqual([
      '[docType+serial]',
      'docType',
      'state',
      'reportedAt',
      'taskId',
      'resultId',
    ]);
    expect(indexNames(db, 'issuedDocs')).toEqual(['docId', 'taskId', 'resultId', 'docType']);
    expect(Object.keys(FIELD_V4_STORES)).toEqual(['docBlocks', 'docNumbers', 'issuedDocs']);
    expect(await db.docNumbers.count()).toBe(0);
    db.close();
  });
});
