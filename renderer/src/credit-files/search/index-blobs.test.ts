/**
 * The search index blobs through the engine: a new session reads the index back instead of
 * building it, and answers like the built one; blobs of another state of the cache (a delta, a
 * wipe, another station key) are never used; damaged or cut-short blobs are logged and the index
 * is rebuilt, never a crash and never a wrong answer.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import {
  enterprisesRepo,
  PART_BYTES,
  searchBlobStore,
  type Databases,
  type EnterprisesRepo,
  type SearchBlobStore,
} from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { createSearchEngine, type SearchEngine } from './engine.js';

let dbs: Databases;
let repo: EnterprisesRepo;
let store: SearchBlobStore;
beforeEach(() => {
  dbs = freshDatabases();
  repo = enterprisesRepo(dbs.cache);
  store = searchBlobStore(dbs.cache);
});
afterEach(() => disposeDatabases(dbs));

const QUERIES = ['海润', '有限公司', '王', '公司 海', makeUscc(7).slice(0, 12), '统一路', '不存在'];

async function page(from: number, names: readonly string[], seq = from): Promise<void> {
  const changes: EnterpriseChange[] = names.map((name, i) => ({
    kind: 'upsert',
    seq: seq + i,
    enterprise: makeEnterprise(from + i, {
      name,
      legalRep: ['王海', '李娜', '张伟'][i % 3]!,
      address: `山东省威海市环翠区${['统一路', '成山大道', '胜利街'][i % 3]!}${i + 10}号`,
    }),
  }));
  await repo.applyPage({
    changes,
    quarantined: [],
    nextCursor: String(seq + names.length),
    hasMore: false,
    total: from + names.length,
    at: '2026-05-01T00:00:00Z',
  });
}

const NAMES = Array.from({ length: 40 }, (_, i) => `${['威海市', '荣成市', '乳山市'][i % 3]!}海润${i}号食品有限公司`);

/** A part row's sealed bytes (its Blob's). */
async function sealedOf(row: unknown): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await (row as { blob: Blob }).blob.arrayBuffer());
}

/** The part names `load` fetches from the database itself. */
function partsFetched(): string[] {
  const fetched: string[] = [];
  const bulkGet = dbs.cache.searchBlobs.bulkGet.bind(dbs.cache.searchBlobs);
  vi.spyOn(dbs.cache.searchBlobs, 'bulkGet').mockImplementation((keys) => {
    fetched.push(...(keys as string[]));
    return bulkGet(keys);
  });
  return fetched;
}

/** A session that counts how often the engine opened search rows (the work the blobs spare) and read the log. */
function session(log: (m: string) => void = () => undefined): {
  engine: SearchEngine;
  opened: () => number;
  logReads: () => number;
} {
  let opened = 0;
  let logReads = 0;
  const counting: EnterprisesRepo = {
    ...repo,
    changesSince: (stamp, firstTail) => ((logReads += 1), repo.changesSince(stamp, firstTail)),
    searchRows: (ids) => ((opened += ids.length), repo.searchRows(ids)),
    searchRowsAfter: async (id, limit) => {
      const rows = await repo.searchRowsAfter(id, limit);
      opened += rows.length;
      return rows;
    },
  };
  return {
    engine: createSearchEngine(counting, { blobs: store, log, saveDelayMs: 0 }),
    opened: () => opened,
    logReads: () => logReads,
  };
}

async function answers(engine: SearchEngine): Promise<unknown[]> {
  return Promise.all(QUERIES.map((q) => engine.search(q).then((a) => ({ q, total: a.total, hits: a.hits }))));
}

/** A first session builds the index and writes the blobs; returns its answers. */
async function firstSession(): Promise<unknown[]> {
  const first = session();
  await first.engine.warm();
  await first.engine.settle();
  expect(first.opened()).toBeGreaterThan(0);
  const want = await answers(first.engine);
  first.engine.close();
  return want;
}

describe('search index blobs', () => {
  it('a new session reads the index back, opening no search row, and answers exactly like the built one', async () => {
    await page(1, NAMES);
    const want = await firstSession();
    const next = session();
    await next.engine.warm();
    expect(await answers(next.engine)).toEqual(want);
    expect(next.opened()).toBe(0);
  });

  it('blobs written before a delta are read back and caught up from the change log; without the log, rebuilt', async () => {
    await page(1, NAMES);
    await firstSession();
    const header = await dbs.cache.searchBlobs.get('meta');
    await page(100, ['文登区海润新开超市'], 41);
    const next = session();
    expect((await next.engine.search('新开')).hits.map((h) => h.uscc)).toEqual([makeUscc(100)]);
    expect(next.opened()).toBe(1); // the delta's chunk, not the one the blobs hold
    const want = await answers(next.engine);
    expect(want).toEqual(await answers(createSearchEngine(repo)));
    // A small delta is not written: the blobs and the log make it again at the next start-up.
    await next.engine.settle();
    expect(await dbs.cache.searchBlobs.get('meta')).toEqual(header);
    const third = session();
    expect(await answers(third.engine)).toEqual(want);
    expect(third.opened()).toBe(1);
    expect(third.logReads()).toBe(1); // the read that decided to use the blobs is the one applied
    // The log no longer reaches back to the blobs: they are not even read, and everything is indexed again.
    await dbs.cache.entLog.clear();
    const fetched = partsFetched();
    const fourth = session();
    expect(await answers(fourth.engine)).toEqual(want);
    expect(fourth.opened()).toBe(2);
    expect(fetched).toEqual([]);
  });

  it('tells its listeners when another index answers: an answer given while a delta was applied is asked again', async () => {
    await page(1, NAMES);
    const engine = createSearchEngine(repo, { blobs: store, saveDelayMs: 0 });
    let told = 0;
    engine.onIndex(() => (told += 1));
    await engine.warm();
    expect(told).toBe(1);
    await page(100, ['文登区海润新开超市'], 41);
    // Asked right after the write: answered from the index it had while the delta is applied...
    expect((await engine.search('新开')).total).toBe(0);
    // ...and the listener hears when the delta is searchable; asked again, the answer has it.
    // (The index may change once more after it: assembled whole in the background before the blobs are written.)
    await vi.waitFor(() => expect(told).toBeGreaterThanOrEqual(2));
    expect((await engine.search('新开')).hits.map((h) => h.uscc)).toEqual([makeUscc(100)]);
    engine.close();
  });

  it('a query while earlier blobs are caught up waits for the catch-up: it never answers from the state before the delta', async () => {
    await page(1, NAMES);
    await firstSession();
    await page(100, ['文登区海润新开超市'], 41);
    // The catch-up is held where it reads the delta's search rows; a query arrives meanwhile.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const atRows = new Promise<void>((resolve) => (reached = resolve));
    const held: EnterprisesRepo = {
      ...repo,
      searchRows: async (ids) => {
        reached();
        await gate;
        return repo.searchRows(ids);
      },
    };
    const engine = createSearchEngine(held, { blobs: store, saveDelayMs: 0 });
    const warming = engine.warm();
    await atRows;
    let answered = false;
    const during = engine.search('新开').then((a) => ((answered = true), a));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    release();
    expect((await during).hits.map((h) => h.uscc)).toEqual([makeUscc(100)]);
    await warming;
    engine.close();
  });

  it('a delta after a start-up from the blobs indexes only its own chunks; grown large, it is assembled and written', async () => {
    await page(1, NAMES);
    await page(1001, NAMES, 100);
    await page(2001, NAMES, 200);
    await firstSession();
    const next = session();
    await next.engine.warm();
    expect(next.opened()).toBe(0);
    next.engine.follow(); // as during a sync: chunks are indexed as their pages commit
    // More than a sixteenth of the index: once quiet, it is assembled whole and written.
    await page(5000, ['文登区海润新开超市', ...Array.from({ length: 9 }, (_, i) => `乳山市新店${i}号`)], 300);
    await page(1005, ['荣成市改名食品有限公司'], 301); // an update of a record the blobs hold
    // Only the two new chunks are opened (the three the blobs were built from are not indexed again).
    await next.engine.warm();
    expect((await next.engine.search('新开')).hits.map((h) => h.uscc)).toEqual([makeUscc(5000)]);
    expect(next.opened()).toBe(2);
    const want = await answers(next.engine);
    expect(want).toEqual(await answers(createSearchEngine(repo)));
    expect((await next.engine.search('改名', {}, 10)).total).toBe(1);
    expect((await next.engine.search('海润', {}, 200)).total).toBe(3 * NAMES.length);
    // Written once quiet: the delta and the index before it assembled as one, then read back as is.
    await next.engine.settle();
    const third = session();
    expect(await answers(third.engine)).toEqual(want);
    expect(third.opened()).toBe(0);
  });

  it('never uses blobs of a wiped cache (other station key): the wipe removes them, and a lone header is refused', async () => {
    await page(1, NAMES);
    await firstSession();
    const oldHeader = await dbs.cache.searchBlobs.get('meta');
    expect(oldHeader).toBeDefined();
    dbs.cache.setCacheKey({ keyId: 'rotated-station-key', key: new Uint8Array(32).fill(9) });
    expect((await repo.verifyKey()).ok).toBe(false); // the cache is emptied under the new key
    expect(await dbs.cache.searchBlobs.count()).toBe(0);
    await page(
      1,
      NAMES.map((n) => n.replace('海润', '金桥')),
    );
    // Even a header of the old key put back, under a stamp that repeats the old one, is refused
    // before anything is opened.
    await dbs.cache.searchBlobs.put(oldHeader!);
    await dbs.cache.entMeta.update('summary', { stamp: (oldHeader as unknown as { stamp: number }).stamp });
    expect(await store.load()).toMatchObject({ ok: false, error: { kind: 'stale' } });
    const next = session();
    expect((await next.engine.search('海润')).total).toBe(0);
    expect((await next.engine.search('金桥')).total).toBe(NAMES.length);
  });

  it('never uses blobs of a cache emptied and filled again under the same key', async () => {
    await page(1, NAMES);
    await firstSession();
    // Emptied as a failed key check does it (the stream's generation moves on), then filled again
    // with the same count in the same chunks, under a stamp that happens to repeat the old one.
    const { stamp } = (await dbs.cache.searchBlobs.get('meta')) as { stamp: number };
    const c = dbs.cache;
    await c.transaction('rw', [c.entChunks, c.entSearch, c.entDir, c.entMeta, c.syncState], async () => {
      await Promise.all([c.entChunks.clear(), c.entSearch.clear(), c.entDir.clear(), c.entMeta.clear()]);
      await c.syncState.update('enterprises', { generation: 2, cursor: '0' });
    });
    repo = enterprisesRepo(c);
    await page(
      1,
      NAMES.map((n) => n.replace('海润', '金桥')),
    );
    await c.entMeta.update('summary', { stamp });
    expect(await store.load()).toMatchObject({ ok: false, error: { kind: 'stale' } });
    const next = session();
    expect((await next.engine.search('金桥')).total).toBe(NAMES.length);
  });

  it('falls back to a rebuild, with a log, when a part is damaged, missing, or holds no index', async () => {
    await page(1, NAMES);
    const want = await firstSession();
    const parts = (await dbs.cache.searchBlobs.toArray()).filter((r) => r.name !== 'meta');
    expect(parts.length).toBeGreaterThan(0);

    const damaged = parts[0]!;
    const flipped = await sealedOf(damaged);
    flipped[flipped.length >> 1]! ^= 0x40;
    await dbs.cache.searchBlobs.put({ name: damaged.name, blob: new Blob([flipped]) });
    const logs: string[] = [];
    const a = session((m) => logs.push(m));
    expect(await answers(a.engine)).toEqual(want);
    expect(a.opened()).toBeGreaterThan(0);
    expect(logs).toEqual([expect.stringMatching(/检索索引数据无法读取.*重新建立企业检索索引/)]);
    a.engine.close();

    await dbs.cache.searchBlobs.delete(damaged.name); // cut short: a part is gone
    const b = session((m) => logs.push(m));
    expect(await answers(b.engine)).toEqual(want);
    expect(logs[1]).toMatch(/缺少第 1\/\d+ 块/);
    b.engine.close();

    // Sealed correctly, for the current state, but not an index: the image is refused.
    const stamp = await repo.stamp();
    expect((await store.save(stamp, [new Uint8Array([0x53, 0x49, 0x58, 0x33, 0xff, 0xff, 0, 0])])).ok).toBe(true);
    const c = session((m) => logs.push(m));
    expect(await answers(c.engine)).toEqual(want);
    expect(logs[2]).toMatch(/检索索引数据无法使用.*头部被截断/);
    c.engine.close();

    // Blobs of the previous layout ("SIX1": plain u32 posting ids, UTF-8 text) are not read as this one: rebuilt.
    expect((await store.save(stamp, [new Uint8Array([0x53, 0x49, 0x58, 0x31, 0, 0, 0, 0])])).ok).toBe(true);
    const d = session((m) => logs.push(m));
    expect(await answers(d.engine)).toEqual(want);
    expect(logs[3]).toMatch(/检索索引数据无法使用（不是检索索引数据）/);
  });

  it('keeps nothing readable without the key, and writes nothing for a state the cache has left', async () => {
    await page(1, NAMES);
    await firstSession();
    const parts = (await dbs.cache.searchBlobs.toArray()).filter((r) => r.name !== 'meta');
    expect(parts.length).toBeGreaterThan(0);
    const sealed = await Promise.all(parts.map(sealedOf));
    const clear = new TextDecoder().decode(Buffer.concat(sealed));
    expect(clear).not.toContain('海润');
    const stamp = await repo.stamp();
    await page(200, ['新的企业有限公司'], 41);
    expect(await store.save(stamp, [new Uint8Array(16)])).toMatchObject({ ok: false, error: { kind: 'stale' } });
    dbs.cache.setCacheKey(null);
    await expect(store.load()).rejects.toThrow();
  });

  it('reads back blobs of many parts byte for byte, in batches, and refuses them with one part missing', async () => {
    await page(1, NAMES.slice(0, 3));
    // Segments that straddle the part boundaries, 9.6 parts in all (more than one batch; the last part short).
    const sizes = [5, PART_BYTES - 3, PART_BYTES + 1, 2 * PART_BYTES, 4 * PART_BYTES, Math.floor(PART_BYTES * 1.6)];
    let seed = 7;
    const segments = sizes.map((n) =>
      Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24),
    );
    const stamp = await repo.stamp();
    expect(await store.save(stamp, segments)).toMatchObject({ ok: true });
    const loaded = await store.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    const joined = new Uint8Array(sizes.reduce((a, b) => a + b, 0));
    segments.reduce((at, seg) => (joined.set(seg, at), at + seg.length), 0);
    expect(loaded.bytes.length).toBe(joined.length);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(joined))).toBe(true);
    const names = (await dbs.cache.searchBlobs.toCollection().primaryKeys()).filter((n) => n !== 'meta');
    expect(names).toHaveLength(10);
    await dbs.cache.searchBlobs.delete(names.find((n) => n.endsWith(':1'))!);
    expect(await store.load()).toMatchObject({
      ok: false,
      error: { kind: 'unreadable', message: expect.stringMatching(/缺少第 2\/10 块/) },
    });
  });
});

describe('index blobs read ahead of the unlock', () => {
  /** Blobs of `parts` parts (the last one short) saved for the current state; returns their bytes. */
  async function saveParts(parts: number, seed: number): Promise<Uint8Array> {
    const bytes = Uint8Array.from({ length: Math.floor(PART_BYTES * (parts - 0.5)) }, (_, i) => (i * seed) >>> 3);
    expect(await store.save(await repo.stamp(), [bytes])).toMatchObject({ ok: true });
    return bytes;
  }

  it('reads the first parts sealed with no key; the load after the unlock opens them without fetching them again', async () => {
    await page(1, NAMES.slice(0, 3));
    const bytes = await saveParts(4, 7);
    const key = dbs.cache.cacheKey;
    dbs.cache.setCacheKey(null); // locked: the inspector is still signing in
    expect(await store.readAhead(2 * PART_BYTES)).toBe(2);
    const fetched = partsFetched();
    dbs.cache.setCacheKey(key);
    const loaded = await store.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(fetched.map((n) => n.split(':').at(-1))).toEqual(['2', '3']);
    // Handed over once: a second load reads every part from the database again.
    fetched.length = 0;
    expect((await store.load()).ok).toBe(true);
    expect(fetched).toHaveLength(4);
  });

  it('never hands over parts of a write the header no longer names: the blobs written since are read', async () => {
    await page(1, NAMES.slice(0, 3));
    await saveParts(2, 7);
    expect(await store.readAhead()).toBe(2);
    // Another session writes the blobs again (a new write id) before this one loads.
    const other = searchBlobStore(dbs.cache);
    const now = Uint8Array.from({ length: PART_BYTES + 5 }, (_, i) => (i * 13) >>> 5);
    expect(await other.save(await repo.stamp(), [now])).toMatchObject({ ok: true });
    const loaded = await store.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(now))).toBe(true);
  });

  it('a part damaged on disk is refused when read ahead as when read at the load', async () => {
    await page(1, NAMES.slice(0, 3));
    await saveParts(2, 7);
    const part = (await dbs.cache.searchBlobs.get((await dbs.cache.searchBlobs.toCollection().primaryKeys())[1]!))!;
    const flipped = await sealedOf(part);
    flipped[100]! ^= 1;
    await dbs.cache.searchBlobs.put({ name: part.name, blob: new Blob([flipped]) });
    expect(await store.readAhead()).toBe(2);
    expect(await store.load()).toMatchObject({ ok: false, error: { kind: 'unreadable' } });
  });
});
