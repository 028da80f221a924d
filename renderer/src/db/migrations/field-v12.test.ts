import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV12 } from './field-v12.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v12', () => {
  it('adds the USB bundles store and keeps every earlier row', async () => {
    const name = `mig-v12-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV12)));
    await old.results.put({ resultId: 'r-1', taskId: 't-1' } as never);
    expect(old.tables.map((t) => t.name)).not.toContain('usbBundles');
    old.close();

    const db = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV12) + 1));
    await db.open();
    expect(db.verno).toBe(12);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(12);
    expect(db.usbBundles.schema.primKey.keyPath).toBe('id');
    expect(db.usbBundles.schema.indexes.map((i) => i.name)).toEqual(['kind']);
    expect((await db.results.get('r-1'))?.taskId).toBe('t-1');
    await db.usbBundles.put({ id: 'b-1', kind: 'receipts', forBundleId: 'x', at: 'now', resultIds: ['r-1'] });
    expect(await db.usbBundles.where('kind').equals('receipts').count()).toBe(1);
    db.close();
  });
});
