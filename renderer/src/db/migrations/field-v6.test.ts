import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie } from 'dexie';
import { FieldDb } from '../databases.js';
import { FIELD_MIGRATIONS, FIELD_SCHEMA_VERSION } from './index.js';
import { fieldV6 } from './field-v6.js';

const names: string[] = [];
afterEach(async () => {
  for (const n of names.splice(0)) await Dexie.delete(n);
});

describe('field (previous version) → v6', () => {
  it('drops the verifier and CryptoKey stores and the enterprise index of tasks, and keeps the rows', async () => {
    const name = `mig-v6-${Math.random()}`;
    names.push(name);
    const old = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV6)));
    await old.table('credentials').put({ certNo: '37100000001', verifier: { hash: 'h' } });
    await old.table('keys').put({ name: 'token-sealing', key: 'k' });
    await old.tasks.put({ id: 't-1', dueDate: '2026-06-01', enterpriseUscc: 'U', status: 'assigned' } as never);
    await old.drafts.put({ taskId: 't-1', resultId: 'r-1' } as never);
    await old.meta.put({ key: 'deviceSeq', value: 3 });
    expect(old.verno).toBe(5);
    old.close();

    // Up to v6 only: later versions have their own tests.
    const db = new FieldDb(name, FIELD_MIGRATIONS.slice(0, FIELD_MIGRATIONS.indexOf(fieldV6) + 1));
    await db.open();
    expect(db.verno).toBe(6);
    expect(FIELD_SCHEMA_VERSION).toBeGreaterThanOrEqual(6);
    const tables = db.tables.map((t) => t.name);
    expect(tables).not.toContain('credentials');
    expect(tables).not.toContain('keys');
    expect(db.tasks.schema.indexes.map((i) => i.name).sort()).toEqual(['dueDate', 'status']);
    expect((await db.tasks.get('t-1'))?.dueDate).toBe('2026-06-01');
    expect((await db.drafts.get('t-1'))?.resultId).toBe('r-1');
    expect((await db.meta.get('deviceSeq'))?.value).toBe(3);
    db.close();
    // The stores are gone on disk too, not only from Dexie's view.
    const raw = new Dexie(name);
    await raw.open();
    expect(raw.tables.map((t) => t.name)).not.toContain('credentials');
    raw.close();
  });
});
