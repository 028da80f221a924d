import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { Dexie, type Table } from 'dexie';
import { SEALED_FIELD, sealingMiddleware } from './sealing.js';
import { KeySlot } from '../vault/key-slot.js';
import { VaultError, VaultLockedError } from '../vault/vault.errors.js';

const MARKER = '机密标记-SECRET-7f3a';

interface Draft {
  id: string;
  taskId: string;
  status: string;
  tags: string[];
  meta: { updatedAt: number; by: string };
  note: string;
  photo: Uint8Array;
}
interface AuditRow {
  seq?: number;
  note: string;
}

const SCHEMA = {
  drafts: 'id, taskId, status, [taskId+status], *tags, meta.updatedAt',
  results: 'id, taskId',
  plain: 'id, taskId',
  plainDrafts: 'id, taskId, status, [taskId+status], *tags, meta.updatedAt',
  audit: '++seq',
};

class TestDb extends Dexie {
  declare drafts: Table<Draft, string>;
  declare results: Table<Draft, string>;
  declare plain: Table<Draft, string>;
  declare plainDrafts: Table<Draft, string>;
  declare audit: Table<AuditRow, number>;
  constructor(name: string, slot?: KeySlot) {
    super(name);
    this.version(1).stores(SCHEMA);
    if (slot) this.use(sealingMiddleware({ tables: ['drafts', 'results', 'audit'], keys: slot }));
  }
}

const open: Dexie[] = [];
let n = 0;
function dbs(): { db: TestDb; raw: TestDb; slot: KeySlot } {
  const name = `sealing-${++n}-${Math.random()}`;
  const slot = new KeySlot();
  slot.unlock(crypto.getRandomValues(new Uint8Array(32)));
  const db = new TestDb(name, slot);
  const raw = new TestDb(name);
  open.push(db, raw);
  return { db, raw, slot };
}
afterEach(async () => {
  for (const d of open.splice(0)) d.close();
});

function draft(i: number, extra: Partial<Draft> = {}): Draft {
  return {
    id: `D-${i}`,
    taskId: `T-${i % 3}`,
    status: i % 2 ? 'open' : 'done',
    tags: ['食品', `t${i}`],
    meta: { updatedAt: 1000 + i, by: '于晓东' },
    note: `${MARKER} 第${i}条`,
    photo: new Uint8Array([i, 1, 2]),
    ...extra,
  };
}

/** Everything in a stored value as text, bytes decoded too, so a marker anywhere is found. */
function rawText(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : v));
}

async function vaultCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VaultError) return e.code;
    throw e;
  }
  throw new Error('expected a VaultError');
}

describe('sealing middleware', () => {
  it('round-trips rows through get, getMany, cursors, index queries and modify', async () => {
    const { db } = dbs();
    await db.drafts.bulkPut([0, 1, 2, 3, 4, 5].map((i) => draft(i)));
    expect(await db.drafts.get('D-1')).toEqual(draft(1));
    expect(await db.drafts.bulkGet(['D-2', 'nope'])).toEqual([draft(2), undefined]);
    expect(await db.drafts.toArray()).toEqual([0, 1, 2, 3, 4, 5].map((i) => draft(i)));
    const viaEach: Draft[] = [];
    await db.drafts.each((d) => {
      viaEach.push(d);
    });
    expect(viaEach.map((d) => d.note)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${MARKER} 第${i}条`));
    expect((await db.drafts.where('status').equals('open').toArray()).map((d) => d.id)).toEqual(['D-1', 'D-3', 'D-5']);
    expect((await db.drafts.where('[taskId+status]').equals(['T-1', 'open']).toArray()).map((d) => d.id)).toEqual([
      'D-1',
    ]);
    expect((await db.drafts.where('tags').equals('t4').first())?.note).toBe(`${MARKER} 第4条`);
    expect((await db.drafts.orderBy('meta.updatedAt').reverse().limit(2).toArray()).map((d) => d.id)).toEqual([
      'D-5',
      'D-4',
    ]);
    expect(await db.drafts.where('taskId').equals('T-0').count()).toBe(2);
    expect(await db.drafts.filter((d) => d.note.endsWith('第3条')).primaryKeys()).toEqual(['D-3']);
    await db.drafts.update('D-1', { note: '已修改', status: 'done' });
    await db.drafts
      .where('taskId')
      .equals('T-2')
      .modify((d) => {
        d.tags.push('复查');
      });
    expect(await db.drafts.get('D-1')).toEqual({ ...draft(1), note: '已修改', status: 'done' });
    expect((await db.drafts.where('tags').equals('复查').toArray()).map((d) => d.id)).toEqual(['D-2', 'D-5']);
    await db.drafts.bulkUpdate([{ key: 'D-3', changes: { note: '批量' } }]);
    await db.drafts.upsert('D-8', { ...draft(8) });
    expect((await db.drafts.get('D-3'))?.note).toBe('批量');
    expect(await db.drafts.get('D-8')).toEqual(draft(8));
    await db.drafts.delete('D-8');
    await db.drafts.where('status').equals('done').delete();
    expect(await db.drafts.toCollection().primaryKeys()).toEqual(['D-3', 'D-5']);
  });

  it('stores nothing but keys and indexed fields in clear', async () => {
    const { db, raw } = dbs();
    await db.drafts.put(draft(1));
    await db.plain.put(draft(1));
    const stored = (await raw.drafts.get('D-1')) as unknown as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual([SEALED_FIELD, 'id', 'meta', 'status', 'tags', 'taskId']);
    expect(stored.meta).toEqual({ updatedAt: 1001 });
    expect(stored[SEALED_FIELD]).toBeInstanceOf(Uint8Array);
    expect(rawText(stored)).not.toContain(MARKER);
    expect(rawText(stored)).not.toContain('于晓东');
    // The same check on an unsealed table does find the marker: the check itself can fail.
    expect(rawText(await raw.plain.get('D-1'))).toContain(MARKER);
  });

  it('a row moved to another table or another key does not open', async () => {
    const { db, raw } = dbs();
    await db.drafts.put(draft(1));
    const stored = await raw.drafts.get('D-1');
    await raw.results.put(stored!);
    expect(await vaultCode(db.results.get('D-1'))).toBe('cannot-open');
    await raw.drafts.put({ ...stored!, id: 'D-9' });
    expect(await vaultCode(db.drafts.get('D-9'))).toBe('cannot-open');
    expect(await vaultCode(db.drafts.toArray())).toBe('cannot-open');
  });

  it('tampered or unsealed rows throw instead of returning anything', async () => {
    const { db, raw } = dbs();
    await db.drafts.put(draft(1));
    const stored = (await raw.drafts.get('D-1')) as unknown as Record<string, Uint8Array>;
    const sealed = stored[SEALED_FIELD]!.slice();
    sealed[sealed.length - 1]! ^= 1;
    await raw.drafts.put({ ...stored, [SEALED_FIELD]: sealed } as unknown as Draft);
    expect(await vaultCode(db.drafts.get('D-1'))).toBe('cannot-open');
    expect(await vaultCode(db.drafts.each(() => undefined))).toBe('cannot-open');
    await raw.drafts.put(draft(2));
    expect(await vaultCode(db.drafts.get('D-2'))).toBe('not-sealed');
  });

  it('locked: every read and write of a sealed table throws; other tables still work', async () => {
    const { db, raw, slot } = dbs();
    await db.drafts.put(draft(1));
    const before = await raw.drafts.toArray();
    slot.lock();
    const attempts: Promise<unknown>[] = [
      db.drafts.get('D-1'),
      db.drafts.toArray(),
      db.drafts.where('status').equals('open').toArray(),
      db.drafts.count(),
      db.drafts.each(() => undefined),
      db.drafts.put(draft(2)),
      db.drafts.update('D-1', { note: 'x' }),
      db.drafts.delete('D-1'),
      db.drafts.bulkGet(['D-1']),
    ];
    for (const a of attempts) {
      const e: unknown = await a.then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(VaultLockedError);
      expect((e as Error).message).toBe('数据已锁定，请先输入密码解锁。');
    }
    expect(await raw.drafts.toArray()).toEqual(before);
    await db.plain.put(draft(3));
    expect((await db.plain.get('D-3'))?.note).toContain(MARKER);
  });

  it('a transaction of several sealed writes and reads commits together or not at all', async () => {
    const { db, raw } = dbs();
    await db.transaction('rw', [db.drafts, db.results], async () => {
      await db.drafts.put(draft(1));
      expect((await db.drafts.get('D-1'))?.id).toBe('D-1');
      await db.results.put(draft(2));
      await db.drafts.bulkPut([draft(3), draft(4)]);
      await db.results.update('D-2', { status: 'final' });
    });
    expect(await db.drafts.count()).toBe(3);
    expect((await db.results.get('D-2'))?.status).toBe('final');

    const failing = db.transaction('rw', [db.drafts, db.results], async () => {
      await db.drafts.put(draft(5));
      await db.results.put(draft(6));
      await db.drafts.put(draft(7, { photo: new Blob(['x']) as unknown as Uint8Array }));
    });
    expect(await vaultCode(failing)).toBe('unsupported-value');
    expect(await raw.drafts.toCollection().primaryKeys()).toEqual(['D-1', 'D-3', 'D-4']);
    expect(await raw.results.toCollection().primaryKeys()).toEqual(['D-2']);
  });

  it('auto-increment tables need the key set by the caller (the key is in the AAD)', async () => {
    const { db } = dbs();
    await expect(db.audit.add({ note: 'x' })).rejects.toThrow(/no primary key/);
    await db.audit.add({ seq: 1, note: MARKER });
    expect(await db.audit.get(1)).toEqual({ seq: 1, note: MARKER });
  });

  it('refuses to configure tables it cannot seal', async () => {
    const slot = new KeySlot();
    const typo = new Dexie(`sealing-typo-${Math.random()}`);
    typo.version(1).stores({ drafts: 'id' });
    typo.use(sealingMiddleware({ tables: ['draft'], keys: slot }));
    open.push(typo);
    await expect(typo.open()).rejects.toThrow(/no table draft/);
    const outbound = new Dexie(`sealing-outbound-${Math.random()}`);
    outbound.version(1).stores({ blobs: '' });
    outbound.use(sealingMiddleware({ tables: ['blobs'], keys: slot }));
    open.push(outbound);
    await expect(outbound.table('blobs').get('x')).rejects.toThrow(/outbound primary key/);
  });
});

describe('sealing overhead (printed, not asserted: timings vary with the machine)', () => {
  it('writes and reads the same draft rows sealed and in clear', async () => {
    const { db } = dbs();
    const rows = Array.from({ length: 1000 }, (_, i) => draft(i, { note: `${MARKER} ${'现场检查记录'.repeat(60)}` }));
    const figures: Record<string, number> = {};
    // Same schema sealed and unsealed; a small warm-up first so neither side pays for the JIT.
    for (const table of [db.plainDrafts, db.drafts]) {
      await table.bulkPut(rows.slice(0, 100).map((r) => ({ ...r, id: `W-${r.id}` })));
      await table.toArray();
      await table.where('id').startsWith('W-').delete();
    }
    for (const table of [db.plainDrafts, db.drafts]) {
      let t0 = performance.now();
      await table.bulkPut(rows);
      figures[`${table.name}.writePerS`] = Math.round(rows.length / ((performance.now() - t0) / 1000));
      t0 = performance.now();
      const back = await table.toArray();
      figures[`${table.name}.readPerS`] = Math.round(rows.length / ((performance.now() - t0) / 1000));
      expect(back).toHaveLength(rows.length);
      expect(back[999]).toEqual(rows[999]);
    }
    console.log(
      `[sealing overhead, fake-indexeddb, ${rows.length} rows of ~1 KB] same schema: plainDrafts unsealed, drafts sealed`,
      figures,
    );
  });
});
