import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import type { Databases } from '../../db/databases.js';
import { enterprisesRepo, type EnterprisePage } from './enterprises.repo.js';
import { CHUNK_SIZE } from './enterprises.pack.js';
import { LOG_KEEP } from './enterprises.rows.js';
import { quarantineRepo } from '../../db/repos/quarantine.repo.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

function page(over: Partial<EnterprisePage>): EnterprisePage {
  return {
    changes: [],
    quarantined: [],
    nextCursor: '0',
    hasMore: false,
    total: 0,
    at: '2026-05-01T00:00:00Z',
    ...over,
  } as EnterprisePage;
}
const upsert = (n: number, seq: number, over = {}): EnterpriseChange => ({
  kind: 'upsert',
  seq,
  enterprise: makeEnterprise(n, over),
});

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('enterprisesRepo (packed)', () => {
  it('writes a page, its quarantine and its cursor together', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(
      page({
        changes: [upsert(1, 1), upsert(2, 2)],
        quarantined: [{ key: 'enterprises:x', stream: 'enterprises', reason: '坏记录', raw: '{}', at: 'x' }],
        nextCursor: '3',
        hasMore: true,
        total: 3,
      }),
    );
    expect(await repo.count()).toBe(2);
    expect((await repo.get(makeUscc(1)))?.name).toBe('测试企业1有限公司');
    expect((await repo.state()).cursor).toBe('3');
    expect(await quarantineRepo(dbs.cache).count()).toBe(1);
  });

  it('packs records into chunk rows, not one row per record', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const n = CHUNK_SIZE + 10;
    await repo.applyPage(
      page({ changes: Array.from({ length: n }, (_, i) => upsert(i + 1, i + 1)), nextCursor: String(n) }),
    );
    expect(await repo.count()).toBe(n);
    expect(await dbs.cache.entChunks.count()).toBe(2);
    expect(await dbs.cache.entSearch.count()).toBe(2);
    expect((await repo.get(makeUscc(n)))?.uscc).toBe(makeUscc(n));
  });

  it('stores the received bytes and reads them back through the shared schema', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const change = upsert(1, 1);
    const received = new TextEncoder().encode(JSON.stringify({ ...change, extra: 'ignored' }));
    await repo.applyPage(page({ changes: [change], raws: [received], nextCursor: '1' }));
    const e = await repo.get(makeUscc(1));
    expect(e).toEqual(makeEnterprise(1));
    const [row] = await dbs.cache.entChunks.toArray();
    // Stored sealed: the received bytes are inside, never in clear.
    expect(Object.keys(row!).sort()).toEqual(['generation', 'id', 'sealed']);
    expect(indexOfBytes(row!.sealed, received.subarray(0, 40))).toBe(-1);
  });

  it('refuses a summary page whose upsert lacks its stored form, and writes nothing', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await expect(repo.applyPage(page({ changes: [upsert(1, 1)], raws: [null], nextCursor: '1' }))).rejects.toThrow(
      /缺少原始记录/,
    );
    expect(await repo.count()).toBe(0);
    expect((await repo.state()).cursor).toBe('0');
  });

  it('refuses a page whose starting cursor is not the stored one (a queued page behind a failed write)', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [upsert(1, 1)], fromCursor: '0', nextCursor: '1' }));
    await expect(repo.applyPage(page({ changes: [upsert(3, 3)], fromCursor: '2', nextCursor: '3' }))).rejects.toThrow(
      /分页顺序错误/,
    );
    expect((await repo.state()).cursor).toBe('1');
    expect(await repo.get(makeUscc(3))).toBeNull();
    await repo.applyPage(page({ changes: [upsert(2, 2)], fromCursor: '1', nextCursor: '2' }));
    expect(await repo.count()).toBe(2);
  });

  it('pages handed over back to back commit in the order given, even when the first has removals to seal', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [upsert(1, 1)], fromCursor: '0', nextCursor: '1', hasMore: true }));
    // The first page replaces a stored record (its removal is sealed before its transaction); the
    // second only adds one. Handed over without waiting, the second must still commit after the first.
    const first = repo.applyPage(
      page({ changes: [upsert(1, 2, { version: 2 })], fromCursor: '1', nextCursor: '2', hasMore: true }),
    );
    const second = repo.applyPage(page({ changes: [upsert(5, 3)], fromCursor: '2', nextCursor: '3' }));
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    expect((await repo.state()).cursor).toBe('3');
    expect((await repo.get(makeUscc(1)))?.version).toBe(2);
    expect(await repo.count()).toBe(2);
  });

  it('a commit announces the records held of those its download announced, and a link-bound download; odd values are dropped', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const seen: unknown[] = [];
    const stop = repo.watch((c) => seen.push(c));
    const arrived = async (n: number) => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 5));
    };
    await repo.applyPage(
      page({ changes: [1, 2, 3].map((n) => upsert(n, n)), nextCursor: '3', hasMore: true, total: 10 }),
    );
    await repo.applyPage(
      page({ changes: [upsert(4, 4)], fromCursor: '3', nextCursor: '4', hasMore: true, total: 10, linkBound: true }),
    );
    await arrived(2);
    expect(seen).toEqual([
      { type: 'committed', last: false, held: 3, total: 10 },
      { type: 'committed', last: false, held: 4, total: 10, linkBound: true },
    ]);
    // Anything else on the channel still says something committed, but carries only what is well formed.
    const other = new BroadcastChannel(`${dbs.cache.name}:enterprises-committed`);
    other.postMessage({ type: 'committed', last: true, held: -1, total: 10, linkBound: 'yes' });
    other.postMessage({ held: 5, total: '10', linkBound: true });
    other.postMessage('x');
    await arrived(5);
    other.close();
    stop();
    expect(seen.slice(2)).toEqual([
      { type: 'committed', last: true },
      { type: 'committed', last: false, linkBound: true },
      { type: 'committed', last: false },
    ]);
  });

  it('tombstones remove a credit file; older versions never overwrite newer', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(
      page({ changes: [upsert(1, 1, { version: 5, name: '新名称' }), upsert(2, 2)], nextCursor: '2' }),
    );
    await repo.applyPage(
      page({
        changes: [upsert(1, 3, { version: 4, name: '旧名称' }), { kind: 'tombstone', seq: 4, uscc: makeUscc(2) }],
        nextCursor: '4',
      }),
    );
    expect((await repo.get(makeUscc(1)))?.name).toBe('新名称');
    expect(await repo.get(makeUscc(2))).toBeNull();
    expect(await repo.count()).toBe(1);
  });

  it('a delta moves updated records to a new chunk; stale copies are ignored and compacted away', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(
      page({ changes: Array.from({ length: 10 }, (_, i) => upsert(i + 1, i + 1)), nextCursor: '10' }),
    );
    const other = enterprisesRepo(dbs.cache); // a second reader (the UI) with its own directory
    expect((await other.get(makeUscc(3)))?.name).toBe('测试企业3有限公司');
    await repo.applyPage(
      page({
        changes: [1, 2, 3, 4, 5, 6].map((n, i) => upsert(n, 11 + i, { version: 2, name: `改名${n}` })),
        nextCursor: '16',
      }),
    );
    expect((await other.get(makeUscc(3)))?.name).toBe('改名3');
    expect((await other.get(makeUscc(9)))?.name).toBe('测试企业9有限公司');
    expect(await other.count()).toBe(10);
    const { dir } = await repo.directory();
    const search = await repo.searchRows(dir.map((d) => d.id));
    expect(search.reduce((n, r) => n + r.usccs.length, 0)).toBe(10); // the first chunk was compacted to its 4 live records
    expect(dir.reduce((n, r) => n + r.usccs.length, 0)).toBe(10);
  });

  it('restart keeps old records readable until the new full download completes, then drops the rest', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [1, 2, 3].map((n) => upsert(n, n)), nextCursor: '3' }));
    await repo.restart();
    expect((await repo.state()).cursor).toBe('0');
    await repo.applyPage(page({ changes: [upsert(1, 10)], nextCursor: '10', hasMore: true }));
    expect(await repo.count()).toBe(3);
    await repo.applyPage(page({ changes: [upsert(2, 11)], nextCursor: '11', hasMore: false }));
    expect(await repo.count()).toBe(2);
    expect(await repo.get(makeUscc(3))).toBeNull();
    expect((await repo.get(makeUscc(1)))?.uscc).toBe(makeUscc(1));
    expect((await repo.state()).restarting).toBe(false);
  });

  it('logs, sealed, which records each write took out of which chunks; readers catch up from it or are told it cannot', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(
      page({ changes: Array.from({ length: 10 }, (_, i) => upsert(i + 1, i + 1)), nextCursor: '10' }),
    );
    const s1 = await repo.stamp();
    await repo.applyPage(
      page({
        changes: [
          upsert(3, 11, { version: 2, name: '改名3' }),
          { kind: 'tombstone', seq: 12, uscc: makeUscc(7) },
          upsert(20, 13),
        ],
        nextCursor: '13',
      }),
    );
    await repo.applyPage(page({ changes: [], nextCursor: '13' })); // changes nothing: no stamp, no entry
    await repo.applyPage(page({ changes: [upsert(3, 14, { version: 3 })], nextCursor: '14' }));
    const changes = await repo.changesSince(s1, 2);
    expect(changes?.stamp).toBe(s1 + 2);
    expect(changes?.entries).toEqual([
      { stamp: s1 + 1, removed: [[1, [makeUscc(3), makeUscc(7)]]], reset: false },
      { stamp: s1 + 2, removed: [[2, [makeUscc(3)]]], reset: false },
    ]);
    // The tail: the chunks numbered 2 and up, as they stand now.
    expect(changes?.tail.map((d) => [d.id, d.usccs])).toEqual([
      [2, [makeUscc(20)]],
      [3, [makeUscc(3)]],
    ]);
    expect(await repo.changesSince(s1 + 2, 4)).toEqual({ stamp: s1 + 2, nextChunk: 4, entries: [], tail: [] });
    const stored = await dbs.cache.entLog.toArray();
    const uscc = new TextEncoder().encode(makeUscc(3));
    expect(stored.every((r) => indexOfBytes(r.sealed, uscc) < 0)).toBe(true);
    // An entry altered on disk is refused, never read as another change.
    const row = stored.find((r) => r.stamp === s1 + 1)!;
    const bad = row.sealed.slice();
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    await dbs.cache.entLog.put({ ...row, sealed: bad });
    await expect(repo.changesSince(s1, 2)).rejects.toThrow();
    // A gap (an entry pruned) and a reader further back than the log: no answer, the reader rereads the directory.
    await dbs.cache.entLog.delete(s1 + 1);
    expect(await repo.changesSince(s1, 2)).toBeNull();
    expect(await repo.changesSince(s1 - 1, 2)).toBeNull();
    expect((await repo.changesSince(s1 + 1, 2))?.entries.length).toBe(1);
  });

  it('keeps the log to its last stamps, and empties it with the cache', async () => {
    const repo = enterprisesRepo(dbs.cache);
    for (let p = 0; p < LOG_KEEP + 5; p++)
      await repo.applyPage(page({ changes: [upsert(p + 1, p + 1)], nextCursor: String(p + 1) }));
    const stamps = (await dbs.cache.entLog.toArray()).map((r) => r.stamp);
    const now = await repo.stamp();
    expect(stamps).toEqual(Array.from({ length: LOG_KEEP }, (_, i) => now - LOG_KEEP + 1 + i));
    dbs.cache.setCacheKey({ keyId: 'rotated-station-key', key: new Uint8Array(32).fill(9) });
    expect((await repo.verifyKey()).ok).toBe(false);
    expect(await dbs.cache.entLog.count()).toBe(0);
  });

  it('a finished 410 restart logs a reset: what it dropped is not listed record by record', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [1, 2, 3].map((n) => upsert(n, n)), nextCursor: '3' }));
    const s1 = await repo.stamp();
    await repo.restart();
    await repo.applyPage(page({ changes: [upsert(1, 10)], nextCursor: '10', hasMore: true }));
    await repo.applyPage(page({ changes: [upsert(2, 11)], nextCursor: '11', hasMore: false }));
    expect((await repo.changesSince(s1, 2))?.entries.map((e) => e.reset)).toEqual([false, true]);
  });
});
