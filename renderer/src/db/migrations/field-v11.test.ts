import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV11 } from './field-v11.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v11', () => {
  it('adds the media chunk and clip stores and keeps every earlier row', async () => {
    const name = `mig-v11-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV11)));
    await old.meta.put({ key: 'deviceSeq', value: 4 });
    await old.docDrafts.put({ taskId: 't-1', docType: 'questioning', values: {}, savedAt: 'x' });
    expect(old.tables.map((t) => t.name)).not.toContain('mediaChunks');
    old.close();

    const db = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV11) + 1));
    await db.open();
    expect(db.verno).toBe(11);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(11);
    expect(db.mediaChunks.schema.primKey.keyPath).toEqual(['attachmentId', 'index']);
    expect(db.mediaClips.schema.indexes.map((i) => i.name).sort()).toEqual(['attachmentId', 'resultId']);
    expect((await db.meta.get('deviceSeq'))?.value).toBe(4);
    expect(await db.docDrafts.count()).toBe(1);
    await db.mediaChunks.put({ attachmentId: 'att-1', index: 0, bytes: new Uint8Array([1, 2]) });
    expect((await db.mediaChunks.get(['att-1', 0]))?.bytes).toEqual(new Uint8Array([1, 2]));
    db.close();
  });
});
