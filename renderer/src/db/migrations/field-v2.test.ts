import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { fieldV1 } from './field-v1.js';
import { FIELD_V2_STORES, fieldV2 } from './field-v2.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field v1 → v2', () => {
  it('keeps drafts and old attachment rows, fills v2 defaults and adds the task/kind indexes', async () => {
    const name = `mig-v2-${Math.random()}`;
    names.push(name);
    const v1 = new FieldDb(name, [fieldV1]);
    await v1.drafts.put({ taskId: 'task-1', resultId: 'r-1' } as never);
    await v1.attachments.put({ id: 'att-old', resultId: 'r-1' } as never);
    v1.close();

    const v2 = new FieldDb(name, [fieldV1, fieldV2]);
    await v2.open();
    expect(v2.verno).toBe(2);
    expect((await v2.drafts.get('task-1'))?.resultId).toBe('r-1');
    const old = await v2.attachments.get('att-old');
    expect(old).toMatchObject({ id: 'att-old', resultId: 'r-1', kind: 'photo', taskId: '', thumbnail: null });
    const schema = v2.attachments.schema;
    expect([schema.primKey.name, ...schema.indexes.map((i) => i.name)]).toEqual(['id', 'resultId', 'taskId', 'kind']);
    expect(FIELD_V2_STORES.attachments).toBe('id, resultId, taskId, kind');
    expect(await v2.attachments.where('kind').equals('photo').count()).toBe(1);
    v2.close();
  });
});
