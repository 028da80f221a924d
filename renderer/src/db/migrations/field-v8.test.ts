import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV8 } from './field-v8.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v8', () => {
  it('adds the device key and signed checkpoint stores and keeps every earlier row', async () => {
    const name = `mig-v8-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(
      name,
      FIELD_MIGRATIONS.filter((m) => m !== fieldV8),
    );
    await old.results.put({ resultId: 'r-1', taskId: 't-1' } as never);
    await old.meta.put({ key: 'deviceSeq', value: 3 });
    expect(old.tables.map((t) => t.name)).not.toContain('deviceKeys');
    old.close();

    const db = new FieldDb(name);
    await db.open();
    expect(db.verno).toBe(FIELD_SCHEMA_VERSION);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(8);
    expect(db.deviceKeys.schema.primKey.name).toBe('id');
    expect(db.checkpoints.schema.primKey.name).toBe('resultId');
    expect((await db.results.get('r-1'))?.taskId).toBe('t-1');
    expect((await db.meta.get('deviceSeq'))?.value).toBe(3);
    await db.checkpoints.put({
      resultId: 'r-1',
      suite: 'sha256+ed25519',
      deviceId: 'd',
      deviceSeq: 3,
      contentHash: 'c',
      count: 1,
      headHash: 'h',
      signature: 's',
    });
    expect((await db.checkpoints.get('r-1'))?.deviceSeq).toBe(3);
    db.close();
  });
});
