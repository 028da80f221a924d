/**
 * A browser killed during the credit-file pull resumes where it stopped: the real app pulls a
 * 20,000 credit files (instead of 500,000, to keep CI fast; the code path is the same: the
 * platform's snapshot file, then its records imported page by page in the Web Worker) from the
 * simulator into a persistent profile. The kill is a SIGKILL of the whole browser while the sync
 * runs: during the import (the relaunch resumes from the committed cursor, with no gaps and no
 * duplicates) or during the file's download (the relaunch asks for the bytes after the stored
 * ones). The page's JS heap is sampled and reported; no timings are asserted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { startPlatform } from '../platform/server.js';
import { readCache, storedCredits, type StoredCredits } from './cache-store.js';
import { expect, test as base, type Browser } from './fixtures.js';
import { signIn, syncAll } from './pages.js';

const RECORDS = 20_000;

const test = base.extend({
  // eslint-disable-next-line no-empty-pattern
  platform: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-pull-'));
    const platform = await startPlatform({ dataDir, seed: 16, enterprises: RECORDS, port: 0, faults: true });
    await use(platform);
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

// The platform builds the 20,000-record snapshot on first demand: on a loaded machine that alone takes a
// while, so these waits are bounds, not expectations of speed.
test.describe.configure({ timeout: 300_000 });

type Stored = StoredCredits;
const stored = storedCredits;

/** Signs in (which starts the sync) and SIGKILLs the browser once `at` records are committed. */
async function killMidSync(
  app: Browser,
  platform: {
    admin: {
      addFault(r: { kind: 'delay'; method: string; path: string; ms: number; times: number }): unknown;
      clearFaults(): void;
    };
  },
  who: { certNo: string; password: string },
  at: number,
): Promise<Stored> {
  // Each page answers 400 ms late, so the kill lands while pages are still coming (not a timing assertion).
  platform.admin.addFault({ kind: 'delay', method: 'GET', path: '^/v1/sync/enterprises', ms: 400, times: 1000 });
  const page = await app.open();
  await signIn(page, who.certNo, who.password);
  let seen: Stored = await stored(page);
  await expect
    .poll(async () => (seen = await stored(page)).count, { timeout: 150_000, intervals: [50] })
    .toBeGreaterThanOrEqual(at);
  await app.kill(); // no clean shutdown: the workers die with the browser
  platform.admin.clearFaults();
  return seen;
}

/** Relaunches on the same profile, records the enterprise cursors asked for, and syncs to the end. */
async function resume(
  app: Browser,
  who: { certNo: string; password: string },
): Promise<{ page: Page; cursors: string[] }> {
  const page = await app.relaunch();
  const cursors: string[] = [];
  app.context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/v1/sync/enterprises') cursors.push(url.searchParams.get('cursor') ?? '');
  });
  await signIn(page, who.certNo, who.password); // nothing is open after a launch
  await syncAll(page);
  return { page, cursors };
}

function expectComplete(final: Stored): void {
  expect(final.count + final.quarantined).toBe(final.total);
  expect(final.total).toBeGreaterThanOrEqual(RECORDS - 50);
  // count is the directory's live records, each USCC once: as many stored means none stored twice.
  expect(final.stored).toBe(final.count);
}

test('browser killed during the downstream pull: the relaunch resumes from the last committed cursor; no gaps, no duplicates', async ({
  platform,
  app,
}) => {
  const cut = await killMidSync(app, platform, platform.logins[0]!, 2_000);
  expect(cut.count).toBeLessThan(RECORDS);
  const { page, cursors } = await resume(app, platform.logins[0]!);
  expect(cursors.length).toBeGreaterThan(0);
  expect(cursors[0]).not.toBe('0'); // resumed, not restarted
  expect(cursors).not.toContain('0');
  expectComplete(await stored(page));
});

test('a 20,000-record snapshot interrupted mid-way resumes from the cursor; final count = server total; heap sampled', async ({
  platform,
  app,
}) => {
  // One write may commit up to 10,000 prepared records, so the cut is the first commit at or past 30 %
  // (logged): below 80 %, which leaves a real part of the snapshot to resume.
  const cut = await killMidSync(app, platform, platform.logins[0]!, Math.round(RECORDS * 0.3));
  expect(cut.count).toBeLessThan(RECORDS * 0.8);
  const page = await app.relaunch();
  const cursors: string[] = [];
  app.context.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/v1/sync/enterprises') cursors.push(url.searchParams.get('cursor') ?? '');
  });
  // The page's main-thread heap only: `performance.memory` reads 0 inside workers (Chromium 156),
  // and a worker.evaluate pending while the app terminates its pull worker after the sync never
  // settles in Playwright (seen in CI: the test hung on it). One read at a time, each bounded.
  const heap: number[] = [];
  const readHeap = () =>
    Promise.race([
      page.evaluate(
        () => (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
      ),
      new Promise<number>((resolve) => setTimeout(() => resolve(0), 2_000)),
    ]).catch(() => 0);
  await signIn(page, platform.logins[0]!.certNo, platform.logins[0]!.password); // nothing is open after a launch
  let syncing = true;
  const sampling = (async () => {
    while (syncing) {
      heap.push(await readHeap());
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  try {
    await syncAll(page);
  } finally {
    syncing = false;
    await sampling;
  }
  heap.push(await readHeap());
  const final = await stored(page);
  expectComplete(final);
  expect(cursors[0]).not.toBe('0');
  expect(Number(cursors[0])).toBeGreaterThanOrEqual(Number(cut.cursor)); // from the committed cursor (a page may have committed as the browser died)
  expect(cursors.length).toBeLessThanOrEqual(Math.ceil((RECORDS - cut.count) / 2_000) + 1); // only the rest was fetched
  const peakMb = Math.max(...heap) / 2 ** 20;
  test.info().annotations.push({
    type: 'pull heap after resume',
    description: `peak JS heap (page main thread) ${peakMb.toFixed(1)} MB over ${heap.length} samples; ${final.count} records stored`,
  });
  console.info(
    `pull resumed: cut at ${cut.count} of ${RECORDS} (cursor ${cut.cursor}); resumed with ${JSON.stringify(cursors)}; peak JS heap (page main thread) ${peakMb.toFixed(1)} MB; ${final.count} records`,
  );
  expect(peakMb).toBeLessThan(512); // bounded by pages, not the snapshot (a generous ceiling, not a timing)
});

/** The snapshot download stored in the profile: the bytes received so far (0 when none). */
async function storedSnapshotBytes(page: Page): Promise<number> {
  const got = await readCache(page, [{ store: 'snapMeta', key: 'current', field: 'received' }]);
  return (got?.[0] as number | undefined) ?? 0;
}

test('browser killed during the snapshot download: the relaunch asks for the bytes after the stored ones, and ends complete', async ({
  platform,
  app,
}) => {
  const who = platform.logins[0]!;
  // The file by its own name, or as `current` (asked for with the manifest on a fresh download).
  const file = '^/v1/sync/enterprises/snapshot/([0-9a-f]{64}|current)$';
  // The one request for the whole file drops after 600 kB (stored part by part as it arrived); the
  // retry is held back, so the browser is killed while the snapshot is part-stored (not a timing assertion).
  platform.admin.addFault({ kind: 'drop-mid-body', method: 'GET', path: file, ms: 600_000, times: 1 });
  platform.admin.addFault({ kind: 'delay', method: 'GET', path: file, ms: 60_000, times: 1 });
  const page = await app.open();
  await signIn(page, who.certNo, who.password);
  let bytes = 0;
  await expect
    .poll(async () => (bytes = await storedSnapshotBytes(page)), { timeout: 150_000, intervals: [50] })
    .toBeGreaterThanOrEqual(256 * 1024);
  await expect.poll(() => platform.admin.listFaults().filter((r) => r.fired > 0).length).toBe(2); // held back now
  bytes = await storedSnapshotBytes(page);
  await app.kill();
  platform.admin.clearFaults();
  console.info(`snapshot download killed with ${bytes} bytes stored (what arrived before the drop)`);
  const again = await app.relaunch();
  expect(await storedSnapshotBytes(again)).toBe(bytes); // the stored bytes survived the SIGKILL
  const ranges: string[] = [];
  app.context.on('request', (r) => {
    if (/\/v1\/sync\/enterprises\/snapshot\/([0-9a-f]{64}|current)$/.test(new URL(r.url()).pathname))
      ranges.push(r.headers()['range'] ?? '');
  });
  await signIn(again, who.certNo, who.password);
  await syncAll(again);
  expect(ranges[0]).toMatch(new RegExp(`^bytes=${bytes}-`)); // resumed at the stored byte count
  expect(ranges.some((r) => r.startsWith('bytes=0-'))).toBe(false);
  expectComplete(await stored(again));
  expect(await storedSnapshotBytes(again)).toBe(0); // imported: the stored file is gone
});
