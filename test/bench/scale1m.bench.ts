/**
 * City scale: 1,000,000 credit files in one station cache. The simulator generates them; the bench
 * page's real data layer syncs them on loopback into an empty persistent profile until searchable;
 * then the browser quits and starts again on that profile, and the bench measures start-up to the
 * first search answer, 200 mixed queries, the peak memory of the page and its workers during the
 * sync (renderer processes, /proc: process-memory.ts) and the profile's size on disk. A third launch
 * measures the start-up again with the app's key derivation before the key (`afterKdf.*`).
 *
 * Takes several minutes and a few GB of disk, so it runs only when asked by name:
 * `npm run bench -- scale1m` (or BENCH_SCALE1M=1; BENCH_SCALE1M_ENTERPRISES to change the count).
 *
 * BENCH_SCALE1M_KEEP=<dir> keeps the simulator's data and the synced profile in <dir>: a later run
 * with the same dir skips generating and syncing and measures the start-up only (the figures of the
 * sync are then absent), which turns a rerun from minutes into seconds.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { serveStatic } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';
import { launchProfile, type BenchContext } from './context.js';
import { samplePeaks } from './process-memory.js';
import type { EnterpriseTimings } from '../../renderer/src/credit-files/timing-sink.js';

const COUNT = Number(process.env['BENCH_SCALE1M_ENTERPRISES'] ?? '1000000');
const ASKED = process.argv[2] === 'scale1m' || process.env['BENCH_SCALE1M'] === '1';
const KEEP = process.env['BENCH_SCALE1M_KEEP'];

interface Bench {
  login(url: string, certNo: string, password: string): Promise<string>;
  unlock(url: string, token: string, withKdf?: boolean): Promise<void>;
  sync(
    url: string,
    token: string,
  ): Promise<{
    seconds: number;
    records: number;
    ok: boolean;
    message: string;
    peakHeapMB: number;
    searchWarmMs: number;
    timings: EnterpriseTimings | null;
  }>;
  firstSearch(q: string): Promise<{ readyMs: number; fromLoadMs: number; total: number; kdfMs: number }>;
  queries(list: { q: string; filters: Record<string, string[]> }[]): Promise<number[]>;
  settle(): Promise<number>;
}
declare const bench: Bench;

/** The bench page of credit-files.bench.ts, bundled the same way. */
async function buildPage(ctx: BenchContext): Promise<string> {
  const outDir = join(ctx.tmpDir, 'page-dist');
  await build({
    configFile: false,
    root: join(ctx.root, 'test/bench/page'),
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** The page's port in a kept profile (its IndexedDB directory is named after the origin). */
function keptPort(profileDir: string): number {
  const dirs = readdirSync(join(profileDir, 'Default', 'IndexedDB'));
  const ports = new Set(dirs.map((d) => /^http_127\.0\.0\.1_(\d+)\.indexeddb/.exec(d)?.[1]).filter(Boolean));
  if (ports.size !== 1) throw new Error(`kept profile ${profileDir}: expected one origin, found ${dirs.join(', ')}`);
  return Number([...ports][0]);
}

/** Bytes of every file under `dir`. */
function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

/** 200 queries in the mix of credit-files.bench.ts: mostly 2–3 character fragments from mid-name. */
function makeQueries(dataDir: string): { q: string; filters: Record<string, string[]> }[] {
  const db = new Database(join(dataDir, 'platform.sqlite'), { readonly: true });
  const step = Math.max(2, Math.floor(COUNT / 200) - 3);
  const rows = db
    .prepare(
      `SELECT name, json_extract(CAST(json AS TEXT), '$.legalRep') AS rep, json_extract(CAST(json AS TEXT), '$.address') AS addr, uscc
    FROM enterprises WHERE deleted = 0 AND seq % ? = 1 LIMIT 200`,
    )
    .all(step) as { name: string; rep: string; addr: string; uscc: string }[];
  db.close();
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  return rows.map((r, i): { q: string; filters: Record<string, string[]> } => {
    const kind = i % 20;
    if (kind < 14) {
      const len = 2 + rnd(2);
      const from = 3 + rnd(Math.max(1, r.name.length - 3 - len));
      return { q: r.name.slice(from, from + len), filters: {} };
    }
    if (kind < 16) return { q: r.uscc.slice(0, 8 + rnd(6)), filters: {} };
    if (kind < 17) return { q: r.rep, filters: {} };
    if (kind < 18) return { q: r.addr.slice(9, 13), filters: {} };
    if (kind < 19) return { q: r.name.slice(5, 7), filters: { creditClasses: ['C', 'D', 'E'] } };
    return { q: '', filters: { warningColors: ['red'], regions: ['371002'] } };
  });
}

async function open(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  if (!ASKED) {
    ctx.log('skipped (several minutes, GBs of disk): run it with `npm run bench -- scale1m`');
    return {};
  }
  const keepDir = KEEP ? join(KEEP, String(COUNT)) : null;
  if (keepDir) mkdirSync(keepDir, { recursive: true });
  const dataDir = join(keepDir ?? ctx.tmpDir, 'platform');
  const profileDir = keepDir ? join(keepDir, 'profile') : undefined;
  const reuse = keepDir !== null && existsSync(join(keepDir, 'synced'));
  if (profileDir && !reuse) rmSync(profileDir, { recursive: true, force: true }); // a sync cut short: start over
  const g0 = Date.now();
  const platform = await startPlatform({ dataDir, seed: 1, enterprises: COUNT, port: 0 });
  const generateSeconds = (Date.now() - g0) / 1000;
  ctx.log(
    reuse
      ? `reusing the synced profile in ${keepDir}`
      : `simulator: ${COUNT} enterprises in ${generateSeconds.toFixed(0)} s`,
  );
  // IndexedDB belongs to the page's origin: a kept profile is opened on the port it was synced on.
  const port = reuse ? keptPort(profileDir!) : undefined;
  const web = await serveStatic({
    root: await buildPage(ctx),
    port,
    appConfig: { platformUrl: platform.url, demo: true },
  });
  const { certNo, password } = platform.logins[0]!;
  try {
    const synced = reuse
      ? { profileDir: profileDir!, figures: {} }
      : await syncProfile(ctx, web.url, platform, profileDir);
    if (keepDir) writeFileSync(join(keepDir, 'synced'), new Date().toISOString());
    const again = await launchProfile(ctx, synced.profileDir);
    const p2 = again.context.pages()[0] ?? (await again.context.newPage());
    // The search worker's start-up steps (engine trace): where the time to the first answer goes.
    const steps: Record<string, number> = {};
    p2.on('worker', (w) =>
      w.on('console', (m) => {
        const hit = /^\[search-trace\] (\S+) ([\d.]+) ms$/.exec(m.text());
        if (hit) steps[`scale1m.startup.${hit[1]}Ms`] = Number(hit[2]);
      }),
    );
    await open(p2, web.url);
    const t2 = await p2.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
    await p2.evaluate(([u, t]) => bench.unlock(u, t), [platform.url, t2] as const);
    const startSampler = samplePeaks(again.profileDir);
    const first = await p2.evaluate((q) => bench.firstSearch(q), '海润');
    const asked = makeQueries(dataDir);
    const times = await p2.evaluate((list) => bench.queries(list), asked);
    const slowest = times
      .map((ms, i) => ({ ms, i }))
      .sort((x, y) => y.ms - x.ms)
      .slice(0, 12);
    ctx.log(
      `slowest: ${slowest.map(({ ms, i }) => `#${i} "${asked[i]!.q}"${Object.keys(asked[i]!.filters).length ? '+filters' : ''} ${ms.toFixed(1)}`).join(', ')}`,
    );
    const startPeak = startSampler.stop();
    ctx.log(`200 queries took ${times.reduce((a, b) => a + b, 0).toFixed(0)} ms in all`);
    // Not measured: lets a rebuild (blobs of an older layout in a kept profile) write its blobs, so
    // the next start-up-only run reads them back.
    if (keepDir) await p2.evaluate(() => bench.settle());
    await again.context.close();
    ctx.log(
      `start-up: first answer ${first.readyMs.toFixed(0)} ms after unlock; p95 ${percentile(times, 95).toFixed(1)} ms; ` +
        Object.entries(steps)
          .map(([k, v]) => `${k.replace('scale1m.startup.', '')} ${v.toFixed(0)}`)
          .join(', '),
    );
    // Again, with the app's key derivation (scrypt, DEFAULT_KDF_PARAMS) between the password and the
    // key: the app never has the key sooner than that after its lock screen appears, and the search
    // worker reads ahead meanwhile. The typing of the password is not counted (it only adds time).
    const third = await launchProfile(ctx, synced.profileDir);
    const p3 = third.context.pages()[0] ?? (await third.context.newPage());
    await open(p3, web.url);
    const t3 = await p3.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
    const kdfSampler = samplePeaks(third.profileDir);
    await p3.evaluate(([u, t]) => bench.unlock(u, t, true), [platform.url, t3] as const);
    const afterKdf = await p3.evaluate((q) => bench.firstSearch(q), '海润');
    const kdfPeak = kdfSampler.stop();
    await third.context.close();
    ctx.log(
      `start-up after the key derivation (${afterKdf.kdfMs.toFixed(0)} ms): first answer ` +
        `${afterKdf.readyMs.toFixed(0)} ms after unlock, ${(afterKdf.kdfMs + afterKdf.readyMs).toFixed(0)} ms after the password`,
    );
    return {
      ...synced.figures,
      ...steps,
      ...(reuse ? {} : { 'scale1m.generateSeconds': generateSeconds }),
      'scale1m.search.p50Ms': percentile(times, 50),
      'scale1m.search.p95Ms': percentile(times, 95),
      'scale1m.search.queries': times.length,
      'scale1m.startup.searchReadyMs': first.readyMs,
      'scale1m.startup.afterKdf.kdfMs': afterKdf.kdfMs,
      'scale1m.startup.afterKdf.searchReadyMs': afterKdf.readyMs,
      'scale1m.startup.afterKdf.fromPasswordMs': afterKdf.kdfMs + afterKdf.readyMs,
      'scale1m.startup.afterKdf.peakMB': kdfPeak.renderersPssMB,
      // The same after a restart: the search index built from disk, then 200 queries.
      'scale1m.memory.startupPeakMB': startPeak.renderersPssMB,
    };
  } finally {
    await web.close();
    await platform.close();
  }
}

/**
 * Syncs COUNT credit files into a new profile (in `profileDir` when given) until searchable, waits
 * for the index blobs, and quits normally; returns the profile and the figures of the sync.
 */
async function syncProfile(
  ctx: BenchContext,
  webUrl: string,
  platform: Awaited<ReturnType<typeof startPlatform>>,
  profileDir: string | undefined,
): Promise<{ profileDir: string; figures: Record<string, number> }> {
  const { certNo, password } = platform.logins[0]!;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const a = await launchProfile(ctx, profileDir);
  const page = a.context.pages()[0] ?? (await a.context.newPage());
  await open(page, webUrl);
  const token = await page.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
  await page.evaluate(([u, t]) => bench.unlock(u, t), [platform.url, token] as const);
  // The platform builds its snapshot once, as a scheduled job does (credit-files.bench.ts does the
  // same): built inside the client's first manifest request it takes longer than the app's 30 s
  // request timeout at this size, and the sync failed with 请求超时 before it started.
  const b0 = Date.now();
  const manifest = await fetch(`${platform.url}/v1/sync/enterprises/snapshot`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!manifest.ok) throw new Error(`snapshot manifest: HTTP ${manifest.status}`);
  await manifest.arrayBuffer();
  const snapshotBuildSeconds = (Date.now() - b0) / 1000;
  ctx.log(`snapshot built in ${snapshotBuildSeconds.toFixed(0)} s`);
  const sampler = samplePeaks(a.profileDir);
  const synced = await page.evaluate(([u, t]) => bench.sync(u, t), [platform.url, token] as const);
  const peak = sampler.stop();
  if (!synced.ok) throw new Error(`1M sync failed: ${synced.message}`);
  ctx.log(
    `sync: ${synced.records} records searchable in ${synced.seconds.toFixed(0)} s; peak renderers ` +
      `${peak.renderersPssMB.toFixed(0)} MB PSS (${peak.renderersRssMB.toFixed(0)} MB RSS), browser ${peak.treePssMB.toFixed(0)} MB`,
  );
  // The index blobs are written a moment after the last rebuild: wait for them before quitting.
  const blobWriteMs = await page.evaluate(() => bench.settle());
  ctx.log(`index blobs written ${blobWriteMs.toFixed(0)} ms after the sync`);
  await a.context.close(); // a normal quit: what is on disk is what the station keeps
  const diskBytes = du(a.profileDir);
  const idbBytes = du(join(a.profileDir, 'Default', 'IndexedDB'));
  return {
    profileDir: a.profileDir,
    figures: {
      'scale1m.records': synced.records,
      'scale1m.snapshotBuildSeconds': snapshotBuildSeconds,
      'scale1m.sync.seconds': synced.seconds,
      // Page + workers (renderer processes, PSS) at their peak during the sync.
      'scale1m.memory.peakMB': peak.renderersPssMB,
      'scale1m.memory.peakRssMB': peak.renderersRssMB,
      'scale1m.memory.browserTreePeakMB': peak.treePssMB,
      'scale1m.memory.pageHeapPeakMB': synced.peakHeapMB,
      'scale1m.disk.MB': diskBytes / 1e6,
      'scale1m.disk.indexedDbMB': idbBytes / 1e6,
      'scale1m.startup.indexBlobsWriteWaitMs': blobWriteMs,
      // After the last page: the index made searchable (warm), and which side the import waited on.
      'scale1m.sync.searchWarmMs': synced.searchWarmMs,
      ...(synced.timings
        ? {
            'scale1m.sync.importBlockedMs': synced.timings.importBlockedMs,
            'scale1m.sync.importIdleMs': synced.timings.importIdleMs,
          }
        : {}),
    },
  };
}
