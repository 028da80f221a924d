import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV10 } from './field-v10.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v10', () => {
  it('adds the document form drafts store and keeps every earlier row', async () => {
    const name = `mig-v10-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV10)));
    await old.results.put({ resultId: 'r-1', taskId: 't-1' } as never);
    await old.meta.put({ key: 'deviceSeq', value: 3 });
    expect(old.tables.map((t) => t.name)).not.toContain('docDrafts');
    old.close();

    // Up to v10 only: later versions have their own tests.
    const db = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV10) + 1));
    await db.open();
    expect(db.verno).toBe(10);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(10);
    expect(db.docDrafts.schema.primKey.keyPath).toEqual(['taskId', 'docType']);
    expect(db.docDrafts.schema.indexes.map((i) => i.name)).toEqual(['taskId']);
    expect((await db.results.get('r-1'))?.taskId).toBe('t-1');
    expect((await db.meta.get('deviceSeq'))?.value).toBe(3);
    await db.docDrafts.put({ taskId: 't-1', docType: 'questioning', values: { qa: [] }, savedAt: 'x' });
    expect((await db.docDrafts.get(['t-1', 'questioning']))?.values).toEqual({ qa: [] });
    db.close();
  });
});
