import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS } from './index.js';
import { fieldV7 } from './field-v7.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field v6 → v7', () => {
  it('adds the log checkpoint and alarm stores and keeps every existing row', async () => {
    const name = `mig-v7-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV7)));
    await old.meta.put({ key: 'deviceSeq', value: 4 });
    await old.receipts.put({ resultId: 'r-1', storedAt: '2026-06-01T00:00:00.000Z' } as never);
    expect(old.verno).toBe(6);
    old.close();

    const db = new FieldDb(name);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(7);
    await db.logCheckpoints.put({ size: 3, rootHash: 'ab', note: 'n', seenAt: '2026-06-01T00:00:00.000Z' });
    expect((await db.logCheckpoints.orderBy('size').last())?.size).toBe(3);
    expect((await db.meta.get('deviceSeq'))?.value).toBe(4);
    expect((await db.receipts.get('r-1'))?.resultId).toBe('r-1');
    db.close();
  });
});
