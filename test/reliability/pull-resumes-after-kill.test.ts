/**
 * The credit-file pull interrupted, in Node: the real pull engine against the in-process simulator,
 * into fake-indexeddb. The app is killed inside a page write (the IndexedDB transaction dies half
 * way); a 20,000-record snapshot is interrupted at ~60 % (20,000 rather than a province's 500,000 to
 * keep CI fast; the code path is the same); the cursor expires (410) while results wait upstream.
 * Each time the pull must resume from what was committed, with no gap and nothing stored twice.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprisesRepo, quarantineRepo, snapshotRepo, type Databases } from '../../renderer/src/db/index.js';
import { SNAPSHOT_PATH } from '../../shared/protocol/index.js';
import {
  ENTERPRISE_PAGE_SIZE,
  ndjsonFeed,
  type EnterpriseFeedFetcher,
} from '../../renderer/src/credit-files/download/enterprise-feed.js';
import { pullAll } from '../../renderer/src/sync/pull-engine.js';
import { startPlatform } from '../platform/server.js';
import { finalizeWith, rig, type Rig } from './harness.js';
import { cursorFetch, httpFor, jsonFeed, pullDeps, reopen, serverTruth, tokenFor } from './pull-kit.js';

/** uscc → version of every credit file stored locally; throws if one is stored twice. */
async function localFiles(dbs: Databases): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  // Through the repository: the stored directory rows are sealed.
  for (const row of (await enterprisesRepo(dbs.cache).directory()).dir) {
    row.usccs.forEach((u, i) => {
      if (out.has(u)) throw new Error(`${u} stored twice`);
      out.set(u, row.versions[i]!);
    });
  }
  return out;
}

const quarantine = (dbs: Databases) => (rows: Parameters<ReturnType<typeof quarantineRepo>['put']>[0]) =>
  quarantineRepo(dbs.cache).put(rows);

let r: Rig;
beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

describe('credit-file pull interrupted', () => {
  it('killed during a credit-file page write: restart resumes from the last committed cursor, no gaps, replayed rows harmless', async () => {
    const prefix = `${r.prefix}killed-mid-write-`;
    const f = cursorFetch();
    const http = httpFor(r.platform, r.s.internals.runtime.tokens, f.fetch);
    let dbs = reopen(prefix, null);
    // The kill: the 4th page's transaction dies after its chunk rows started to be written.
    let writes = 0;
    dbs.cache.entChunks.hook('creating', () => {
      writes += 1;
      if (writes === 4) throw new Error('app killed mid-write (injected)');
    });
    await expect(pullAll(pullDeps(dbs, http), quarantine(dbs))).rejects.toThrow(/killed mid-write/);
    const committed = await enterprisesRepo(dbs.cache).state();
    expect(committed.cursor).toBe(f.cursors[3]); // page 4 was asked for with page 3's cursor: nothing of page 4 stayed
    expect(await enterprisesRepo(dbs.cache).count()).toBe((await localFiles(dbs)).size);
    expect((await localFiles(dbs)).size).toBe(150);

    dbs = reopen(prefix, dbs);
    f.cursors.length = 0;
    expect(await pullAll(pullDeps(dbs, http), quarantine(dbs))).toMatchObject({ ok: true });
    expect(f.cursors[0]).toBe(committed.cursor);
    const truth = await serverTruth(http);
    expect(await localFiles(dbs)).toEqual(truth);
    expect(await enterprisesRepo(dbs.cache).count()).toBe(truth.size);

    // A replayed page (an old copy of records that changed since) changes nothing: versions compare.
    const old = await jsonFeed(http)('0', 50);
    if (!old.ok) throw new Error(old.error.message);
    const [changed] = r.platform.admin.mutateEnterprises(1);
    expect(await pullAll(pullDeps(dbs, http), quarantine(dbs))).toMatchObject({ ok: true });
    const newer = (await enterprisesRepo(dbs.cache).get(changed!))!.version;
    expect(newer).toBe(truth.get(changed!)! + 1);
    const at = new Date().toISOString();
    const state = await enterprisesRepo(dbs.cache).state();
    await enterprisesRepo(dbs.cache).applyPage({
      changes: old.page.changes,
      raws: old.page.raws,
      quarantined: old.page.bad,
      nextCursor: state.cursor,
      hasMore: false,
      total: state.total,
      at,
    });
    expect((await enterprisesRepo(dbs.cache).get(changed!))!.version).toBe(newer);
    expect(await localFiles(dbs)).toEqual(await serverTruth(http));
    dbs.field.close();
    dbs.cache.close();
  }, 60_000);

  it('snapshot expired (410): only that stream restarts, staged beside the old copy then switched; outbox and results untouched', async () => {
    const task = r.tasks[0]!;
    await finalizeWith(r, task, 1);
    const field = r.dbs.field;
    const before = {
      outbox: await field.outbox.toArray(),
      results: await field.results.toArray(),
      audit: await field.audit.toArray(),
      attachments: await field.attachments.count(),
      drafts: await field.drafts.toArray(),
    };
    expect(before.outbox.length).toBeGreaterThan(0);
    const f = cursorFetch();
    const http = httpFor(r.platform, r.s.internals.runtime.tokens, f.fetch);
    const repo = enterprisesRepo(r.dbs.cache);
    const oldCount = await repo.count();
    const removed = r.platform.admin.removeEnterprises(3);
    r.platform.admin.advanceTombstoneHorizon();
    // While the new generation downloads, the old copy stays readable (nothing half-empty is shown).
    const seenDuring: { removedVisible: boolean; count: number }[] = [];
    let looked: Promise<void> = Promise.resolve();
    const staged = {
      ...repo,
      applyPage(page: Parameters<typeof repo.applyPage>[0]) {
        // Look before each page is written: the engine queues writes two deep, so a look taken after
        // this page's write could land after the final page's switch and see the new generation.
        // Before the last page is applied, the old copy must still be fully readable. The looks run
        // one after another and each page's write is asked for as soon as its own look ends, so the
        // writes keep the engine's order (two looks of different lengths side by side could let a
        // later page's write start first, which the store refuses as out of order).
        const look = looked.then(async () => {
          seenDuring.push({ removedVisible: (await repo.get(removed[0]!)) !== null, count: await repo.count() });
        });
        looked = look;
        return look.then(() => repo.applyPage(page));
      },
    };
    const outcome = await pullAll(pullDeps(r.dbs, http, { enterprises: staged }), quarantine(r.dbs));
    expect(outcome).toMatchObject({ ok: true });
    expect(f.cursors[0]).not.toBe('0');
    expect(f.cursors[1]).toBe('0'); // 410 → the stream restarted from 0
    expect(seenDuring.length).toBeGreaterThan(1);
    expect(seenDuring.every((s) => s.removedVisible && s.count >= oldCount - 3)).toBe(true);
    for (const u of removed) expect(await repo.get(u)).toBeNull(); // switched: the old generation is gone
    expect(await localFiles(r.dbs)).toEqual(await serverTruth(http));
    expect({
      outbox: await field.outbox.toArray(),
      results: await field.results.toArray(),
      audit: await field.audit.toArray(),
      attachments: await field.attachments.count(),
      drafts: await field.drafts.toArray(),
    }).toEqual(before);
  }, 60_000);
});

describe('a 410 with the snapshot at hand', () => {
  it('the restart downloads the snapshot file again, not the pages from 0, and ends identical to the server', async () => {
    const f = cursorFetch();
    const snapshotGets: string[] = [];
    const counting: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.startsWith(`${SNAPSHOT_PATH}/`)) snapshotGets.push(url.pathname);
      return f.fetch(input, init);
    };
    const tokens = r.s.internals.runtime.tokens;
    const http = httpFor(r.platform, tokens, counting);
    const withSnapshot = () =>
      pullDeps(r.dbs, http, {
        snapshot: {
          http,
          fetch: { baseUrl: () => r.platform.url, tokens, fetch: counting, retryDelayMs: 0 },
          store: snapshotRepo(r.dbs.cache),
          seal: null,
        },
      });
    // Synced once (a delta from the stored cursor), then the platform purges past that cursor.
    expect(await pullAll(withSnapshot(), quarantine(r.dbs))).toMatchObject({ ok: true });
    const removed = r.platform.admin.removeEnterprises(2);
    r.platform.admin.advanceTombstoneHorizon();
    f.cursors.length = 0;
    snapshotGets.length = 0;
    const outcome = await pullAll(withSnapshot(), quarantine(r.dbs));
    expect(outcome).toMatchObject({ ok: true });
    expect(f.cursors[0]).not.toBe('0'); // the delta that met the 410
    expect(snapshotGets.length).toBeGreaterThan(0); // then the snapshot file…
    expect(f.cursors.slice(1)).not.toContain('0'); // …and no page from 0
    for (const u of removed) expect(await enterprisesRepo(r.dbs.cache).get(u)).toBeNull();
    expect(await localFiles(r.dbs)).toEqual(await serverTruth(http));
  }, 60_000);
});

describe('large snapshot', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'reliability-large-snapshot-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a 20,000-record snapshot interrupted at ~60 % resumes from the cursor; final count = server total; at most two pages held at once', async () => {
    const platform = await startPlatform({ dataDir, seed: 17, enterprises: 20_000, port: 0 });
    try {
      const tokens = await tokenFor(platform);
      const f = cursorFetch();
      const http = httpFor(platform, tokens, f.fetch);
      // The app's own path: NDJSON pages of ENTERPRISE_PAGE_SIZE, the next one prefetched.
      let held = 0;
      let maxHeld = 0;
      const inner = ndjsonFeed({ baseUrl: () => platform.url, tokens, fetch: f.fetch });
      const feed: EnterpriseFeedFetcher = async (cursor, limit, signal) => {
        const page = await inner(cursor, limit, signal);
        if (page.ok) maxHeld = Math.max(maxHeld, ++held);
        return page;
      };
      const prefix = `large-snapshot-${Math.random().toString(36).slice(2, 7)}-`;
      let dbs = reopen(prefix, null);
      const counted = (d: Databases) => {
        const repo = enterprisesRepo(d.cache);
        return {
          ...repo,
          async applyPage(page: Parameters<typeof repo.applyPage>[0]) {
            try {
              return await repo.applyPage(page);
            } finally {
              held -= 1;
            }
          },
        };
      };
      const pages = Math.ceil(20_000 / ENTERPRISE_PAGE_SIZE);
      f.dieAtPage = Math.round(pages * 0.6) + 1; // dies asking for page 7 of 10
      const heapBefore = process.memoryUsage().heapUsed;
      const first = await pullAll(
        pullDeps(dbs, http, {
          enterpriseFeed: feed,
          enterprises: counted(dbs),
          enterprisePageSize: ENTERPRISE_PAGE_SIZE,
        }),
        quarantine(dbs),
      );
      expect(first).toMatchObject({ ok: false, phase: 'enterprises' });
      const cut = await enterprisesRepo(dbs.cache).state();
      const partial = await enterprisesRepo(dbs.cache).count();
      expect(partial).toBe(Math.round(pages * 0.6) * ENTERPRISE_PAGE_SIZE);

      dbs = reopen(prefix, dbs);
      f.dieAtPage = null;
      f.cursors.length = 0;
      held = 0;
      const second = await pullAll(
        pullDeps(dbs, http, {
          enterpriseFeed: feed,
          enterprises: counted(dbs),
          enterprisePageSize: ENTERPRISE_PAGE_SIZE,
        }),
        quarantine(dbs),
      );
      expect(second).toMatchObject({ ok: true });
      expect(f.cursors[0]).toBe(cut.cursor);
      expect(f.cursors).toHaveLength(pages - partial / ENTERPRISE_PAGE_SIZE);
      const state = await enterprisesRepo(dbs.cache).state();
      const quarantined = (await quarantineRepo(dbs.cache).list()).length;
      expect((await enterprisesRepo(dbs.cache).count()) + quarantined).toBe(state.total);
      expect(await localFiles(dbs)).toEqual(await serverTruth(http));
      expect(maxHeld).toBeLessThanOrEqual(2); // the page being written + the one prefetched: memory bounded by pages, not by the snapshot
      console.info(
        `large snapshot: 20,000 records, heap ${(heapBefore / 2 ** 20).toFixed(0)} → ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB, max pages held ${maxHeld}`,
      );
      dbs.field.close();
      dbs.cache.close();
    } finally {
      await platform.close();
    }
  }, 120_000);
});
