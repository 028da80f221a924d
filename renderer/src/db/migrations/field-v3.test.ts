import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { fieldV1 } from './field-v1.js';
import { fieldV2 } from './field-v2.js';
import { FIELD_V3_STORES } from './field-v3.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field v3 (upload state)', () => {
  it('upgrading from v2 keeps results, outbox and attachments, and adds uploads, receipts, reviews, setAside', async () => {
    const name = `mig-v3-${Math.random()}`;
    names.push(name);
    const v2 = new Dexie(name);
    fieldV1(v2);
    fieldV2(v2);
    await v2.open();
    await v2.table('outbox').add({ opId: 'op-1', order: 1, state: 'waiting', resultId: 'r-1', taskId: 't-1' });
    await v2.table('attachments').add({ id: 'att-1', resultId: 'r-1', taskId: 't-1', kind: 'photo' });
    v2.close();

    const db = new FieldDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(3);
    for (const table of Object.keys(FIELD_V3_STORES)) expect(db.tables.map((t) => t.name)).toContain(table);
    expect((await db.outbox.get('op-1'))?.state).toBe('waiting');
    expect((await db.attachments.get('att-1'))?.resultId).toBe('r-1');
    await db.uploads.add({
      attachmentId: 'att-1',
      resultId: 'r-1',
      sha256: 'a'.repeat(64),
      size: 3,
      mime: 'image/jpeg',
      uploadUrl: 'http://x/u/1',
      offset: 1,
      done: false,
      creationTime: null,
      chunkSize: 65536,
      updatedAt: '',
    });
    expect(await db.uploads.where('resultId').equals('r-1').count()).toBe(1);
    db.close();
  });
});
