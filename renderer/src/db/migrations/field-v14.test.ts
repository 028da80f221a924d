import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV14 } from './field-v14.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v14', () => {
  it('adds the acknowledged-alarm store and keeps an alarm raised before, without evidence', async () => {
    const name = `mig-v14-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV14)));
    const alarm = {
      id: 'current' as const,
      message: '平台记录被改写：…',
      at: '2026-05-06T02:00:00.000Z',
      seenSize: 2,
      seenRoot: 'a'.repeat(64),
      newSize: 2,
      newRoot: 'b'.repeat(64),
    };
    await old.logAlarm.put(alarm);
    expect(old.tables.map((t) => t.name)).not.toContain('logAlarmReviews');
    old.close();

    const db = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV14) + 1));
    await db.open();
    expect(db.verno).toBe(14);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(14);
    expect(db.logAlarmReviews.schema.primKey.keyPath).toBe('id');
    const kept = await db.logAlarm.get('current');
    expect(kept).toEqual(alarm);
    expect(kept?.evidence).toBeUndefined();
    db.close();
  });
});
