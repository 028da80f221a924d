/**
 * The engine that follows a sync: chunks indexed as their pages commit are reused, so the build
 * after the last page reads no search rows; and whatever happened in between (updates that move
 * records to new chunks, tombstones, compaction, a cache wiped and filled again with reused chunk
 * ids) it answers exactly like an engine that builds from scratch.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import { enterprisesRepo, searchBlobStore, type Databases, type EnterprisesRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { aheadDue, createSearchEngine } from './engine.js';

let dbs: Databases;
let repo: EnterprisesRepo;
beforeEach(() => {
  dbs = freshDatabases();
  repo = enterprisesRepo(dbs.cache);
});
afterEach(() => disposeDatabases(dbs));

const PLACES = ['海润', '鑫源', '华通', '晨光', '浩瀚', '润丰'];
const KINDS = ['食品有限公司', '水产有限公司', '商贸有限公司', '超市', '百货店'];
let seq = 0;
const upsert = (n: number, version = 1, word = PLACES[n % PLACES.length]!): EnterpriseChange => ({
  kind: 'upsert',
  seq: ++seq,
  enterprise: makeEnterprise(n, {
    version,
    name: `威海市${word}${KINDS[n % KINDS.length]!}${n}`,
    legalRep: `王${'一二三四五'[n % 5]!}`,
    address: `山东省威海市环翠区统一路${n}号`,
  }),
});

/**
 * A page of a download; `total`: the records the download announced (0: not known); `linkBound`:
 * its download waits on the link, not on the import (as a snapshot import reports it).
 */
async function page(changes: EnterpriseChange[], hasMore = true, total = 0, linkBound = false): Promise<void> {
  await repo.applyPage({
    changes,
    quarantined: [],
    nextCursor: String(seq),
    hasMore,
    total,
    at: '2026-05-01T00:00:00Z',
    ...(linkBound ? { linkBound } : {}),
  });
}

const pageOf = (from: number, count: number, word?: string) =>
  Array.from({ length: count }, (_, i) => upsert(from + i, 1, word));

const QUERIES = ['海润', '鑫源水', '润', '王三', '统一路1', makeUscc(7).slice(0, 12), '有限公司', '威海市晨光'];

async function answers(engine: ReturnType<typeof createSearchEngine>) {
  await engine.warm();
  return Promise.all(
    QUERIES.map(async (q) => (await engine.search(q, {}, 500)).hits.map((h) => `${h.uscc}:${h.name}`)),
  );
}

async function until(check: () => boolean, tries = 200): Promise<void> {
  for (let i = 0; i < tries && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('search engine following a sync', () => {
  it('indexes chunks as pages commit; the final build reads no search rows and answers like a fresh build', async () => {
    const rowsAfter = vi.spyOn(repo, 'searchRowsAfter');
    const rowsById = vi.spyOn(repo, 'searchRows');
    const engine = createSearchEngine(repo);
    engine.follow();
    for (let p = 0; p < 3; p++) {
      await page(
        Array.from({ length: 1500 }, (_, i) => upsert(p * 1500 + i + 1)),
        p < 2,
      );
      await until(() => rowsAfter.mock.calls.length >= p + 2); // the initial prime + one per page
    }
    await new Promise((r) => setTimeout(r, 20));
    const followed = await answers(engine);
    expect(rowsById).not.toHaveBeenCalled();
    expect(followed).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    expect(followed[0]!.length).toBeGreaterThan(100);
  });

  it('puts the index together as the last page commits, before anyone asks; an empty page after it keeps it', async () => {
    const built = vi.spyOn(repo, 'directory');
    const engine = createSearchEngine(repo);
    engine.follow();
    await page(Array.from({ length: 1500 }, (_, i) => upsert(i + 1)));
    await new Promise((r) => setTimeout(r, 50));
    expect(built).not.toHaveBeenCalled(); // more pages to come: nothing is put together yet
    await page(
      Array.from({ length: 1500 }, (_, i) => upsert(1501 + i)),
      false,
    );
    await until(() => built.mock.calls.length === 1);
    const stamp = await repo.stamp();
    await page([], false); // the delta page after a snapshot, with nothing in it
    expect(await repo.stamp()).toBe(stamp);
    const followed = await answers(engine);
    expect(built).toHaveBeenCalledTimes(1); // warm() found the index current
    expect(followed).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
  });

  it('assembles ahead once a large download that waits on its link is mostly stored; its last pages go beside that index, exactly', async () => {
    const directory = vi.spyOn(repo, 'directory');
    const changesSince = vi.spyOn(repo, 'changesSince');
    const blobs = searchBlobStore(dbs.cache);
    const engine = createSearchEngine(repo, { blobs, saveDelayMs: 60_000 });
    engine.follow();
    const total = 20_000;
    const PAGE = 2500;
    for (let p = 0; p < 7; p++) await page(pageOf(p * PAGE + 1, PAGE), true, total, true);
    // 17,500 of 20,000 stored (over 85 %): the index is put together before the download ends.
    await until(() => directory.mock.calls.length === 1);
    await page(pageOf(7 * PAGE + 1, PAGE, '末页'), false, total, true);
    await engine.warm();
    expect(directory).toHaveBeenCalledTimes(1); // the last page went beside it, from the change log
    expect(changesSince).toHaveBeenCalled();
    expect((await engine.search('末页', {}, 5000)).total).toBe(PAGE);
    expect((await engine.search('海润')).indexed).toBe(total);
    const want = await answers(createSearchEngine(enterprisesRepo(dbs.cache)));
    expect(await answers(engine)).toEqual(want);
    // The last page beside the index ahead (2,500 of 17,500: over a sixteenth) is assembled whole
    // before the blobs are written: the next start-up reads them back and opens no search rows.
    await engine.settle();
    engine.close();
    const reader = enterprisesRepo(dbs.cache);
    let opened = 0;
    const next = createSearchEngine(
      {
        ...reader,
        searchRows: (ids) => ((opened += ids.length), reader.searchRows(ids)),
        searchRowsAfter: async (id, limit) => {
          const rows = await reader.searchRowsAfter(id, limit);
          opened += rows.length;
          return rows;
        },
      },
      { blobs },
    );
    expect(await answers(next)).toEqual(want);
    expect(opened).toBe(0);
  });

  it('does not assemble ahead while the import is the one behind, nor for a small download or far from its end', async () => {
    const directory = vi.spyOn(repo, 'directory');
    const engine = createSearchEngine(repo);
    engine.follow();
    const quiet = async () => {
      await new Promise((r) => setTimeout(r, 100));
      expect(directory).not.toHaveBeenCalled();
    };
    // A large download, mostly stored, that the import holds back (a fast link): its CPU is the import's.
    const total = 20_000;
    for (let p = 0; p < 7; p++) await page(pageOf(p * 2500 + 1, 2500), true, total);
    await quiet();
    // A small download that waits on its link, all but its last page stored.
    await page(pageOf(30_001, 1900), true, 2000, true);
    await quiet();
    // A large one at half way (as far as the store holds).
    await page(pageOf(40_001, 1000), true, 60_000, true);
    await quiet();
  });

  it('is due an index ahead once 85 % is stored and what is left fits in half the writes the change log keeps', () => {
    expect(aheadDue(17_000, 20_000, 1000)).toBe(true);
    expect(aheadDue(16_999, 20_000, 1000)).toBe(false); // under 85 %
    expect(aheadDue(19_000, 19_999, 1000)).toBe(false); // a small download
    // 85.5 % of a million, but 145,000 left: 145 writes of the 1,000 seen, past what the log keeps.
    expect(aheadDue(855_000, 1_000_000, 1000)).toBe(false);
    expect(aheadDue(984_000, 1_000_000, 1000)).toBe(true); // 16 such writes left
    expect(aheadDue(983_999, 1_000_000, 1000)).toBe(false);
    expect(aheadDue(855_000, 1_000_000, 10_000)).toBe(true); // writes that large: 15 left
  });

  it('judges what is left by the smallest write of the download so far', async () => {
    const directory = vi.spyOn(repo, 'directory');
    const engine = createSearchEngine(repo);
    engine.follow();
    const total = 20_000;
    await page(pageOf(1, 16_000), true, total, true);
    await page(pageOf(16_001, 100), true, total, true);
    // 17,100 stored (85.5 %): the 2,900 left are 29 writes of the smallest (100), not 3 of the last (1,000).
    await page(pageOf(16_101, 1000), true, total, true);
    await new Promise((r) => setTimeout(r, 200));
    expect(directory).not.toHaveBeenCalled();
    await page(pageOf(17_101, 1400), true, total, true); // 1,500 left: 15 writes of 100
    await until(() => directory.mock.calls.length === 1);
    await page(pageOf(18_501, 1500), false, total, true);
    await engine.warm();
    expect(directory).toHaveBeenCalledTimes(1);
    expect((await engine.search('海润')).indexed).toBe(total);
  });

  it('an index waiting to be written waits while pages keep committing, and is written once they stop', async () => {
    const blobs = searchBlobStore(dbs.cache);
    const save = vi.spyOn(blobs, 'save');
    const engine = createSearchEngine(repo, { blobs, saveDelayMs: 1000 });
    engine.follow();
    await page(Array.from({ length: 1000 }, (_, i) => upsert(i + 1)));
    await engine.search('海润'); // an index now, waiting a second to be written
    const started = Date.now();
    for (let p = 1; Date.now() - started < 2500; p++) {
      await page(Array.from({ length: 200 }, (_, i) => upsert(p * 1000 + i + 1)));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(save).not.toHaveBeenCalled();
    await until(() => save.mock.calls.length === 1, 400);
  });

  it('warm waits past a rebuild that read the store before the last page, and answers with that page', async () => {
    await page(Array.from({ length: 1500 }, (_, i) => upsert(i + 1)));
    // The rebuild a search starts reads the directory, then holds until the last page has committed.
    let release = () => undefined as void;
    const held = new Promise<void>((r) => (release = r));
    const read = repo.directory.bind(repo);
    let first = true;
    vi.spyOn(repo, 'directory').mockImplementation(async () => {
      const snap = await read();
      if (first) {
        first = false;
        await held;
      }
      return snap;
    });
    const engine = createSearchEngine(repo);
    const early = engine.search('海润');
    await until(() => !first);
    await page(
      Array.from({ length: 500 }, (_, i) => upsert(5001 + i, 1, '末页')),
      false,
    );
    const warmed = engine.warm();
    release();
    await early;
    await warmed;
    expect((await engine.search('末页', {}, 1000)).total).toBe(500);
  });

  it('stays exact through updates, tombstones and compaction after chunks were indexed', async () => {
    const engine = createSearchEngine(repo);
    await page(Array.from({ length: 2000 }, (_, i) => upsert(i + 1)));
    await engine.warm();
    // Most of the first chunk changes: its stale copies are compacted away; some leave scope.
    await page(
      [
        ...Array.from({ length: 700 }, (_, i) => upsert(i + 1, 2, '新名')),
        ...Array.from({ length: 50 }, (_, i): EnterpriseChange => ({
          kind: 'tombstone',
          seq: ++seq,
          uscc: makeUscc(1001 + i),
        })),
      ],
      false,
    );
    const now = await answers(engine);
    expect(now).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    expect((await engine.search('新名', {}, 1000)).total).toBe(700);
    expect((await engine.search(makeUscc(1001))).total).toBe(0);
  });

  it('starts over when the cache was wiped and filled again (chunk ids reused)', async () => {
    const engine = createSearchEngine(repo);
    await page(Array.from({ length: 1200 }, (_, i) => upsert(i + 1)));
    await engine.warm();
    expect((await engine.search('海润')).total).toBeGreaterThan(0);
    await dbs.cache.transaction(
      'rw',
      [dbs.cache.entChunks, dbs.cache.entSearch, dbs.cache.entDir, dbs.cache.entMeta, dbs.cache.syncState],
      async () => {
        await Promise.all([
          dbs.cache.entChunks.clear(),
          dbs.cache.entSearch.clear(),
          dbs.cache.entDir.clear(),
          dbs.cache.entMeta.clear(),
          dbs.cache.syncState.clear(),
        ]);
      },
    );
    const fresh = enterprisesRepo(dbs.cache);
    await fresh.applyPage({
      changes: Array.from({ length: 300 }, (_, i) => upsert(5000 + i, 1, '乳山')),
      quarantined: [],
      nextCursor: String(seq),
      hasMore: false,
      total: 300,
      at: '2026-05-01T00:00:00Z',
    });
    await engine.warm();
    expect((await engine.search('海润')).total).toBe(0);
    expect((await engine.search('乳山', {}, 1000)).total).toBe(300);
  });

  it('a follow that starts with nothing indexed reads the stored rows a batch at a time, never all at once', async () => {
    await page(
      Array.from({ length: 20 * 1000 }, (_, i) => upsert(i + 1)),
      false,
    );
    const after = vi.spyOn(repo, 'searchRowsAfter');
    const engine = createSearchEngine(repo);
    engine.follow();
    await engine.warm();
    const sizes = await Promise.all(after.mock.results.map((r) => r.value as Promise<unknown[]>));
    expect(sizes.map((rows) => rows.length).reduce((a, b) => a + b, 0)).toBe(20);
    expect(Math.max(...sizes.map((rows) => rows.length))).toBeLessThanOrEqual(16);
    expect((await engine.search('海润')).indexed).toBe(20 * 1000);
  });

  it('close drops the index: the next search builds it again from the stored rows', async () => {
    const engine = createSearchEngine(repo);
    await page(
      Array.from({ length: 300 }, (_, i) => upsert(i + 1)),
      false,
    );
    const before = await answers(engine);
    const after = vi.spyOn(repo, 'searchRowsAfter');
    const byId = vi.spyOn(repo, 'searchRows');
    const reads = () => after.mock.calls.length + byId.mock.calls.length;
    await engine.search('海润');
    expect(reads()).toBe(0); // built once, kept
    engine.close();
    expect(await answers(engine)).toEqual(before);
    expect(reads()).toBeGreaterThan(0); // nothing was kept: read again
  });
});

const tombstone = (n: number): EnterpriseChange => ({ kind: 'tombstone', seq: ++seq, uscc: makeUscc(n) });

describe('search engine refreshing after a delta', () => {
  it('reads the change log, not the directory, and answers like a fresh build through updates, tombstones and new records', async () => {
    const engine = createSearchEngine(repo);
    await page(
      Array.from({ length: 4000 }, (_, i) => upsert(i + 1)),
      false,
    );
    await engine.warm();
    const directory = vi.spyOn(repo, 'directory');
    // Updates spread over every chunk, records leaving scope, new enterprises.
    await page(
      [
        ...Array.from({ length: 100 }, (_, i) => upsert(i * 37 + 1, 2, '新名')),
        ...Array.from({ length: 20 }, (_, i) => tombstone(3001 + i)),
        ...Array.from({ length: 50 }, (_, i) => upsert(9001 + i, 1, '新开')),
      ],
      false,
    );
    expect(await answers(engine)).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    // A second delta changes records of the first one's chunk and of the old ones again.
    await page(
      [upsert(1, 3, '再改'), upsert(9001, 2, '再改'), tombstone(38), tombstone(9002), upsert(2, 2, '再改')],
      false,
    );
    expect(await answers(engine)).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    expect(directory).not.toHaveBeenCalled();
    expect((await engine.search('新名', {}, 1000)).total).toBe(98);
    expect((await engine.search('新开', {}, 1000)).total).toBe(48);
    expect((await engine.search('再改', {}, 1000)).total).toBe(3);
    expect((await engine.search(makeUscc(3001))).total).toBe(0);
    expect((await engine.search('海润')).indexed).toBe(await repo.count());
  });

  it('reads the directory when the log cannot say what changed, or the change is too large to keep beside the index', async () => {
    const engine = createSearchEngine(repo);
    await page(
      Array.from({ length: 3000 }, (_, i) => upsert(i + 1)),
      false,
    );
    await engine.warm();
    const directory = vi.spyOn(repo, 'directory');
    await page([upsert(5, 2, '新名')], false);
    await dbs.cache.entLog.clear(); // as if pruned: the entry of this stamp is gone
    expect(await answers(engine)).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    expect(directory).toHaveBeenCalledTimes(1);
    await page(
      Array.from({ length: 1000 }, (_, i) => upsert(i + 1, 3, '大改')),
      false,
    );
    expect(await answers(engine)).toEqual(await answers(createSearchEngine(enterprisesRepo(dbs.cache))));
    expect(directory).toHaveBeenCalledTimes(2);
    expect((await engine.search('大改', {}, 2000)).total).toBe(1000);
  });
});
