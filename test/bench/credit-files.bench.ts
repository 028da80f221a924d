/**
 * Credit files at station scale: initial sync of 200,000 enterprises from the simulator on
 * loopback into an empty persistent profile until searchable (through the platform's snapshot, the
 * paged feed measured once beside it; the wire bytes per record of both), the per-record baselines on the same
 * feed (raw IndexedDB put, 10,000 per transaction; Dexie bulkPut with the obvious indexes), deltas
 * of 1,000 changes + 100 removals until searchable, start-up to the first search, and 200 mixed queries. The initial
 * sync and the raw baseline run REPEATS times from fresh profiles; their medians make the ratio
 * (the breakdown, delta, start-up and queries come from the first run's profile).
 *
 * Drives a dedicated bench page bundled by Vite from test/bench/page: it runs the app's real data
 * layer (pull worker, packed cache v2, search worker) without the UI, so the figures measure the
 * pipeline and nothing else on the page (the built app would add login and screens to script).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { serveStatic } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';
import { feedStats } from '../platform/routes/sync.js';
import { SnapshotManifestSchema } from '../../shared/protocol/index.js';
import { gzipSync } from 'node:zlib';
import type { EnterpriseTimings } from '../../renderer/src/credit-files/timing-sink.js';
import { launchProfile, type BenchContext } from './context.js';

const COUNT = Number(process.env['BENCH_ENTERPRISES'] ?? '200000');
/**
 * Fresh-profile runs of the initial sync and of the raw baseline (medians reported, with the
 * spread): on these shared 2-core machines one run of either moves by ±10 % from run to run.
 */
const REPEATS = Math.max(1, Number(process.env['BENCH_REPEATS'] ?? '5'));
/** Start-ups measured on the synced profile (each a browser start on it; one run moves by hundreds of ms). */
const STARTUP_REPEATS = Math.max(1, Number(process.env['BENCH_STARTUP_REPEATS'] ?? '3'));

interface Bench {
  login(url: string, certNo: string, password: string): Promise<string>;
  unlock(url: string, token: string): Promise<void>;
  sync(url: string, token: string): Promise<SyncFigures>;
  firstSearch(q: string): Promise<{ readyMs: number; fromLoadMs: number; total: number }>;
  queries(list: { q: string; filters: Record<string, string[]> }[]): Promise<number[]>;
  settle(): Promise<number>;
  hits(q: string): Promise<number>;
  baselineRaw(url: string, token: string): Promise<{ seconds: number; writeSeconds: number; records: number }>;
  baselineDexie(url: string, token: string): Promise<{ seconds: number; writeSeconds: number; records: number }>;
}
declare const bench: Bench;

interface SyncFigures {
  seconds: number;
  records: number;
  longTasks: number;
  peakHeapMB: number;
  ok: boolean;
  message: string;
  timings: EnterpriseTimings | null;
  searchWarmMs: number;
  beforeEnterprisesMs: number;
  workerStartMs: number;
  pullMs: number;
}

/** Between the page's load and the sign-in at each start-up (see its use). */
const SIGNIN_PAUSE_MS = Math.max(0, Number(process.env['BENCH_SIGNIN_PAUSE_MS'] ?? '0'));

/** Deltas measured on the first run's profile, one after another (each 1,000 changed + 100 removed). */
const DELTAS = Math.max(1, Number(process.env['BENCH_DELTAS'] ?? '3'));

/**
 * sync.delta.*: the inspector taps 同步 on a laptop holding the whole city; the figure runs from
 * the tap (the pull worker started) until the delta's changes are searchable: every page stored
 * AND the search index refreshed, checked by searching a removed and a changed credit file's
 * USCC. Measured DELTAS times on the profile of the first run (right after its initial sync, as
 * on the day the laptop is set up), median and range; the breakdown is the median of each part.
 */
async function measureDeltas(
  ctx: BenchContext,
  page: Page,
  platform: Awaited<ReturnType<typeof startPlatform>>,
  token: string,
): Promise<Record<string, number>> {
  const runs: SyncFigures[] = [];
  for (let i = 0; i < DELTAS; i++) {
    const changed = platform.admin.mutateEnterprises(1000);
    const removed = platform.admin.removeEnterprises(100);
    const delta = await page.evaluate(([u, t]) => bench.sync(u, t), [platform.url, token] as const);
    if (!delta.ok) throw new Error(`delta ${i + 1} failed: ${delta.message}`);
    const [gone, kept] = await Promise.all([
      page.evaluate((q) => bench.hits(q), removed[0]!),
      page.evaluate((q) => bench.hits(q), changed[0]!),
    ]);
    if (gone !== 0 || kept !== 1)
      throw new Error(`delta ${i + 1}: not searchable when measured (removed found ${gone}×, changed found ${kept}×)`);
    runs.push(delta);
    ctx.log(`delta ${i + 1}: ${delta.seconds.toFixed(2)} s, ${delta.records} records now`);
  }
  const t = (k: keyof EnterpriseTimings) => median(runs.map((r) => r.timings?.[k] ?? 0));
  const seconds = runs.map((r) => r.seconds);
  return {
    'sync.delta.seconds': median(seconds),
    'sync.delta.secondsMin': Math.min(...seconds),
    'sync.delta.secondsMax': Math.max(...seconds),
    'sync.delta.firstSeconds': seconds[0]!,
    'sync.delta.runs': runs.length,
    'sync.delta.recordsAfter': runs.at(-1)!.records,
    // From the tap to the pull worker's first message (worker start, its databases opened).
    'sync.delta.breakdown.workerStartMs': Math.round(median(runs.map((r) => r.workerStartMs))),
    // Reference data (a 304) and the task feed, fetched together.
    'sync.delta.breakdown.referenceMs': Math.round(t('referenceMs')),
    'sync.delta.breakdown.tasksMs': Math.round(t('tasksMs')),
    // Opening the stored directory (overlaps the two above; the first write waits for it).
    'sync.delta.breakdown.dirOpenMs': Math.round(t('dirOpenMs')),
    // The credit-file part: waiting for its pages, writing them (removals included).
    'sync.delta.breakdown.enterprisesMs': Math.round(t('totalMs')),
    'sync.delta.breakdown.waitMs': Math.round(t('waitMs')),
    'sync.delta.breakdown.writeMs': Math.round(t('writeMs')),
    'sync.delta.breakdown.removalsMs': Math.round(t('removalsMs')),
    'sync.delta.breakdown.dirRowsRewritten': t('dirRowsRewritten'),
    'sync.delta.breakdown.pages': t('pages'),
    // Tap → pull outcome (everything stored), then the search index's refresh until searchable.
    'sync.delta.breakdown.pullMs': Math.round(median(runs.map((r) => r.pullMs))),
    'sync.delta.breakdown.searchRefreshMs': Math.round(median(runs.map((r) => r.searchWarmMs))),
  };
}

/** sync.initial.breakdown.*: where the seconds went (worker timers, server route time, gzip estimate). */
async function breakdown(
  f: SyncFigures,
  server: { ms: number; bytes: number },
  gzipMsPerMB: number,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {
    'sync.initial.breakdown.serverPagesMs': Math.round(server.ms),
    'sync.initial.breakdown.serverGzipEstimateMs': Math.round((server.bytes / 1048576) * gzipMsPerMB),
    'sync.initial.breakdown.wireMB': server.bytes / 1048576,
    'sync.initial.breakdown.searchIndexMs': Math.round(f.searchWarmMs),
    // From the start of the pull to its enterprise phase (worker start, reference data, tasks).
    'sync.initial.breakdown.beforeEnterprisesMs': Math.round(f.beforeEnterprisesMs),
  };
  const t = f.timings;
  if (!t) return out;
  for (const k of [
    'responseMs',
    'bodyMs',
    'waitMs',
    'parseMs',
    'validateMs',
    'sealMs',
    'packMs',
    'writeMs',
    'startMs',
    'commitMs',
    'totalMs',
    'snapshotDownloadMs',
    'snapshotVerifyMs',
    'snapshotImportMs',
    'importBlockedMs',
    'importIdleMs',
  ] as const) {
    out[`sync.initial.breakdown.${k}`] = Math.round(t[k]);
  }
  out['sync.initial.breakdown.pages'] = t.pages;
  // Snapshot import: its write transactions (members joined when the write thread was behind).
  out['sync.initial.breakdown.writes'] = t.writes;
  return out;
}

/** Level-1 gzip throughput (what the simulator uses) on a real page body, in ms per MB. */
async function gzipCost(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/v1/sync/enterprises?cursor=0&limit=2000`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson', 'Accept-Encoding': 'identity' },
  });
  const body = Buffer.from(await res.arrayBuffer());
  const t0 = performance.now();
  for (let i = 0; i < 5; i++) gzipSync(body, { level: 1 });
  return (performance.now() - t0) / 5 / (body.length / 1048576);
}

/**
 * Bytes on the wire per record: the snapshot file as served (built and compressed once), and the
 * paged feed's gzip NDJSON pages as the simulator sends them today (Content-Length of each page).
 */
async function wireBytes(url: string, token: string): Promise<{ snapshot: number; paged: number; records: number }> {
  const auth = { Authorization: `Bearer ${token}` };
  const manifest = SnapshotManifestSchema.parse(
    await (await fetch(`${url}/v1/sync/enterprises/snapshot`, { headers: auth })).json(),
  );
  let paged = 0;
  let cursor = '0';
  for (;;) {
    const res = await fetch(`${url}/v1/sync/enterprises?cursor=${cursor}&limit=5000`, {
      headers: { ...auth, Accept: 'application/x-ndjson', 'Accept-Encoding': 'gzip' },
    });
    paged += Number(res.headers.get('content-length'));
    const text = await res.text();
    const header = JSON.parse(text.slice(0, text.indexOf('\n'))) as { nextCursor: string; hasMore: boolean };
    if (!header.hasMore) break;
    cursor = header.nextCursor;
  }
  return { snapshot: manifest.bytes, paged, records: manifest.records };
}

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

async function loginDirect(url: string, certNo: string, password: string): Promise<{ accessToken: string }> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ certNo, password, deviceId: 'bench-wire', deviceName: 'bench' }),
  });
  return (await res.json()) as { accessToken: string };
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

/** 200 mixed queries, most of them 2–3 character fragments from the middle of names (deterministic). */
function makeQueries(dataDir: string): { q: string; filters: Record<string, string[]> }[] {
  const db = new Database(join(dataDir, 'platform.sqlite'), { readonly: true });
  const rows = db
    .prepare(
      `SELECT name, json_extract(CAST(json AS TEXT), '$.legalRep') AS rep, json_extract(CAST(json AS TEXT), '$.address') AS addr, uscc
    FROM enterprises WHERE deleted = 0 AND seq % 997 = 1 LIMIT 200`,
    )
    .all() as { name: string; rep: string; addr: string; uscc: string }[];
  db.close();
  let seed = 12345;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const out: { q: string; filters: Record<string, string[]> }[] = [];
  for (let i = 0; i < 200; i++) {
    const r = rows[i % rows.length]!;
    const kind = i % 20;
    if (kind < 14) {
      const len = 2 + rnd(2);
      const from = 3 + rnd(Math.max(1, r.name.length - 3 - len));
      out.push({ q: r.name.slice(from, from + len), filters: {} });
    } else if (kind < 16) out.push({ q: r.uscc.slice(0, 8 + rnd(6)), filters: {} });
    else if (kind < 17) out.push({ q: r.rep, filters: {} });
    else if (kind < 18) out.push({ q: r.addr.slice(9, 13), filters: {} });
    else if (kind < 19) out.push({ q: r.name.slice(5, 7), filters: { creditClasses: ['C', 'D', 'E'] } });
    else out.push({ q: '', filters: { warningColors: ['red'], regions: ['371002'] } });
  }
  return out;
}

async function openBench(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const dataDir = join(ctx.tmpDir, 'platform');
  const g0 = Date.now();
  // Faults on: one comparison run hides the snapshot (404) so the app does the paged download.
  const platform = await startPlatform({ dataDir, seed: 1, enterprises: COUNT, port: 0, faults: true });
  const generateSeconds = (Date.now() - g0) / 1000;
  ctx.log(`simulator: ${COUNT} enterprises generated in ${generateSeconds.toFixed(1)} s`);
  const web = await serveStatic({ root: await buildPage(ctx), appConfig: { platformUrl: platform.url, demo: true } });
  const { certNo, password } = platform.logins[0]!;
  const out: Record<string, number> = { 'platform.generateSeconds': generateSeconds };
  try {
    // The platform builds its snapshot once (a scheduled job, not part of any client's sync).
    const b0 = Date.now();
    const w = await wireBytes(platform.url, (await loginDirect(platform.url, certNo, password)).accessToken);
    ctx.log(`snapshot built and wire sizes measured in ${((Date.now() - b0) / 1000).toFixed(1)} s`);
    Object.assign(out, {
      'sync.wireBytesPerRecord': w.snapshot / w.records,
      'sync.paged.wireBytesPerRecord': w.paged / w.records,
      'sync.snapshot.wireMB': w.snapshot / 1048576,
    });
    // Initial syncs from their own empty profiles (sync only), before the delta changes the data.
    const syncSeconds: number[] = [];
    const sealMs: number[] = [];
    for (let i = 1; i < REPEATS; i++) {
      const x = await launchProfile(ctx);
      const px = x.context.pages()[0] ?? (await x.context.newPage());
      await openBench(px, web.url);
      const tx = await px.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
      await px.evaluate(([u, t]) => bench.unlock(u, t), [platform.url, tx] as const);
      const run = await px.evaluate(([u, t]) => bench.sync(u, t), [platform.url, tx] as const);
      await x.context.close();
      if (!run.ok) throw new Error(`initial sync (repeat ${i}) failed: ${run.message}`);
      syncSeconds.push(run.seconds);
      if (run.timings) sealMs.push(run.timings.sealMs);
      ctx.log(`initial sync (repeat ${i}): ${run.records} records in ${run.seconds.toFixed(1)} s`);
    }
    // 0. The same initial sync through the paged feed (the platform answers 404 for the snapshot),
    // in the same conditions, so the two paths compare on this machine's current load.
    {
      platform.admin.addFault({ kind: 'status', status: 404, method: 'GET', path: '^/v1/sync/enterprises/snapshot$' });
      const x = await launchProfile(ctx);
      const px = x.context.pages()[0] ?? (await x.context.newPage());
      await openBench(px, web.url);
      const tx = await px.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
      await px.evaluate(([u, t]) => bench.unlock(u, t), [platform.url, tx] as const);
      const paged = await px.evaluate(([u, t]) => bench.sync(u, t), [platform.url, tx] as const);
      await x.context.close();
      platform.admin.clearFaults();
      if (!paged.ok) throw new Error(`paged initial sync failed: ${paged.message}`);
      ctx.log(`paged initial sync (no snapshot): ${paged.records} records in ${paged.seconds.toFixed(1)} s`);
      out['sync.initial.paged.seconds'] = paged.seconds;
      out['sync.initial.paged.recordsPerSecond'] = Math.round(paged.records / paged.seconds);
    }
    // 1. Ours: empty profile → everything searchable; then a delta; then start-up and queries.
    const a = await launchProfile(ctx);
    let page = a.context.pages()[0] ?? (await a.context.newPage());
    // The search worker's refresh steps during the deltas (its engine trace: refresh.* from the change
    // log, rebuild.* when it assembles the whole index), one entry per refresh.
    const deltaSteps = new Map<string, number[]>();
    let inDeltas = false;
    page.on('worker', (w) =>
      w.on('console', (m) => {
        const hit = /^\[search-trace\] ((?:rebuild|refresh)\.\S+) ([\d.]+) ms$/.exec(m.text());
        if (hit && inDeltas) deltaSteps.set(hit[1]!, [...(deltaSteps.get(hit[1]!) ?? []), Number(hit[2])]);
      }),
    );
    await openBench(page, web.url);
    const token = await page.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
    await page.evaluate(([u, t]) => bench.unlock(u, t), [platform.url, token] as const);
    Object.assign(feedStats, { ms: 0, bytes: 0, pages: 0 });
    const initial = await page.evaluate(([u, t]) => bench.sync(u, t), [platform.url, token] as const);
    if (!initial.ok) throw new Error(`initial sync failed: ${initial.message}`);
    ctx.log(`initial sync: ${initial.records} records in ${initial.seconds.toFixed(1)} s`);
    syncSeconds.push(initial.seconds);
    if (initial.timings) sealMs.push(initial.timings.sealMs);
    Object.assign(out, await breakdown(initial, { ...feedStats }, await gzipCost(platform.url, token)));
    inDeltas = true;
    const deltas = await measureDeltas(ctx, page, platform, token);
    inDeltas = false;
    for (const [step, ms] of deltaSteps) deltas[`sync.delta.steps.${step}Ms`] = median(ms);
    Object.assign(out, deltas);
    // The search worker writes the index blobs a moment after its last rebuild: wait for them
    // before quitting, as an inspector's laptop would have (the next start-up reads them back).
    const blobWriteMs = await page.evaluate(() => bench.settle());
    await a.context.close();
    // Start-up, STARTUP_REPEATS times on the same profile: the page is loaded, the inspector signs
    // in and unlocks; searchReadyMs counts from unlock. The queries run after the first start-up.
    const starts: { readyMs: number; fromLoadMs: number }[] = [];
    // The search worker's start-up steps (its engine trace), per start: where the time goes.
    const steps = new Map<string, number[]>();
    let times: number[] = [];
    for (let i = 0; i < STARTUP_REPEATS; i++) {
      const again = await launchProfile(ctx, a.profileDir);
      page = again.context.pages()[0] ?? (await again.context.newPage());
      page.on('worker', (w) =>
        w.on('console', (m) => {
          const hit = /^\[search-trace\] (\S+) ([\d.]+) ms$/.exec(m.text());
          if (hit) steps.set(hit[1]!, [...(steps.get(hit[1]!) ?? []), Number(hit[2])]);
        }),
      );
      await openBench(page, web.url);
      // BENCH_SIGNIN_PAUSE_MS: the time an inspector takes to type the password (0: signed in at once).
      if (SIGNIN_PAUSE_MS > 0) await page.waitForTimeout(SIGNIN_PAUSE_MS);
      const t = await page.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
      await page.evaluate(([u, tk]) => bench.unlock(u, tk), [platform.url, t] as const);
      starts.push(await page.evaluate((q) => bench.firstSearch(q), '海润'));
      if (i === 0) times = await page.evaluate((list) => bench.queries(list), makeQueries(dataDir));
      if (i === STARTUP_REPEATS - 1) {
        // The first delta of a session whose index came from the blobs (an inspector's morning): no
        // chunk of the index has been through pass one in this session.
        const changed = platform.admin.mutateEnterprises(1000);
        const removed = platform.admin.removeEnterprises(100);
        const d = await page.evaluate(([u, tk]) => bench.sync(u, tk), [platform.url, t] as const);
        if (!d.ok) throw new Error(`delta after start-up failed: ${d.message}`);
        const [gone, kept] = await Promise.all([
          page.evaluate((q) => bench.hits(q), removed[0]!),
          page.evaluate((q) => bench.hits(q), changed[0]!),
        ]);
        if (gone !== 0 || kept !== 1) throw new Error('delta after start-up: not searchable when measured');
        // What the search worker still does for it in the background (assembling, writing the
        // blobs), done now rather than after its quiet delay; then a start-up after that delta.
        const backgroundMs = await page.evaluate(() => bench.settle());
        await again.context.close();
        const after = await launchProfile(ctx, a.profileDir);
        const pa = after.context.pages()[0] ?? (await after.context.newPage());
        await openBench(pa, web.url);
        const ta = await pa.evaluate(([u, c, p]) => bench.login(u, c, p), [platform.url, certNo, password] as const);
        await pa.evaluate(([u, tk]) => bench.unlock(u, tk), [platform.url, ta] as const);
        const afterStart = await pa.evaluate((q) => bench.firstSearch(q), '海润');
        const found = await pa.evaluate((q) => bench.hits(q), changed[0]!);
        await after.context.close();
        if (found !== 1) throw new Error('start-up after the delta: the changed record is not found');
        out['sync.deltaAfterStartup.backgroundMs'] = backgroundMs;
        out['startup.afterDelta.searchReadyMs'] = afterStart.readyMs;
        ctx.log(
          `delta after a start-up: ${d.seconds.toFixed(2)} s; background work after it ${backgroundMs.toFixed(0)} ms; ` +
            `next start-up ready ${afterStart.readyMs.toFixed(0)} ms after unlock`,
        );
        Object.assign(out, {
          'sync.deltaAfterStartup.seconds': d.seconds,
          'sync.deltaAfterStartup.pullMs': d.pullMs,
          'sync.deltaAfterStartup.searchRefreshMs': d.searchWarmMs,
          'sync.deltaAfterStartup.breakdown.workerStartMs': d.workerStartMs,
          ...Object.fromEntries(
            (['headMs', 'tasksMs', 'referenceMs', 'dirOpenMs', 'totalMs', 'waitMs', 'writeMs'] as const).map((k) => [
              `sync.deltaAfterStartup.breakdown.${k}`,
              d.timings?.[k] ?? 0,
            ]),
          ),
        });
        continue; // its context is closed above
      }
      await again.context.close();
    }
    const ready = starts.map((x) => x.readyMs);
    ctx.log(`start-up to the first answer: ${ready.map((x) => x.toFixed(0)).join(', ')} ms after unlock`);
    // 2. Baselines, each in its own fresh profile (the raw one REPEATS times).
    const raws: { seconds: number; writeSeconds: number; records: number }[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const b = await launchProfile(ctx);
      const pb = b.context.pages()[0] ?? (await b.context.newPage());
      await openBench(pb, web.url);
      raws.push(await pb.evaluate(([u, t]) => bench.baselineRaw(u, t), [platform.url, token] as const));
      await b.context.close();
      ctx.log(
        `raw IndexedDB baseline ${i + 1}: ${Math.round(raws[i]!.records / raws[i]!.writeSeconds)} records/s (write time)`,
      );
    }
    const c = await launchProfile(ctx);
    const pc = c.context.pages()[0] ?? (await c.context.newPage());
    await openBench(pc, web.url);
    const dexie = await pc.evaluate(([u, t]) => bench.baselineDexie(u, t), [platform.url, token] as const);
    await c.context.close();

    const seconds = median(syncSeconds);
    const ours = initial.records / seconds;
    // The baselines' rate is their WRITE time only (download and parse excluded): the stricter floor.
    const rawRates = raws.map((r) => r.records / r.writeSeconds);
    const rawRate = median(rawRates);
    const rawEndToEnd = median(raws.map((r) => r.records / r.seconds));
    const dexieRate = dexie.records / dexie.writeSeconds;
    Object.assign(out, {
      'sync.initial.records': initial.records,
      'sync.initial.repeats': syncSeconds.length,
      'sync.initial.seconds': seconds,
      'sync.initial.secondsMin': Math.min(...syncSeconds),
      'sync.initial.secondsMax': Math.max(...syncSeconds),
      'sync.initial.recordsPerSecond': Math.round(ours),
      'baseline.rawIdb.repeats': raws.length,
      'baseline.rawIdb.recordsPerSecond': Math.round(rawRate),
      'baseline.rawIdb.recordsPerSecondMin': Math.round(Math.min(...rawRates)),
      'baseline.rawIdb.recordsPerSecondMax': Math.round(Math.max(...rawRates)),
      'baseline.rawIdb.endToEndRecordsPerSecond': Math.round(rawEndToEnd),
      'baseline.dexieBulkPut.recordsPerSecond': Math.round(dexieRate),
      'baseline.dexieBulkPut.endToEndRecordsPerSecond': Math.round(dexie.records / dexie.seconds),
      'sync.initial.ratioToRawIdb': ours / rawRate,
      'sync.initial.paged.ratioToRawIdb': out['sync.initial.paged.recordsPerSecond']! / rawRate,
      'sync.initial.ratioToDexieBulkPut': ours / dexieRate,
      // The same ratios against the baselines' own end-to-end rate (download + parse + write).
      'sync.initial.ratioToRawIdbEndToEnd': ours / rawEndToEnd,
      'sync.initial.ratioToDexieBulkPutEndToEnd': ours / (dexie.records / dexie.seconds),
      'search.p50Ms': percentile(times, 50),
      'search.p95Ms': percentile(times, 95),
      'search.queries': times.length,
      // From unlock (the station cache key handed over) to the first answer: the index blobs read
      // back and opened (or, when they do not match the cache, the sealed rows opened and indexed).
      'startup.searchReadyMs': median(ready),
      'startup.searchReadyMsMin': Math.min(...ready),
      'startup.searchReadyMsMax': Math.max(...ready),
      'startup.repeats': ready.length,
      'startup.signInPauseMs': SIGNIN_PAUSE_MS,
      // The same answer from page load (includes the sign-in and key fetch the vault makes local).
      'startup.searchReadyFromPageLoadMs': median(starts.map((x) => x.fromLoadMs)),
      // Waiting for the index blobs after the delta (their sealing and write, off the query path).
      'startup.indexBlobsWriteWaitMs': blobWriteMs,
      ...Object.fromEntries([...steps].map(([step, ms]) => [`startup.steps.${step}Ms`, median(ms)])),
      // Feed-worker time spent sealing the initial sync's chunks (summed over both workers; off the write thread).
      'sync.initial.sealMs': median(sealMs),
      'sync.initial.sealMsMin': sealMs.length ? Math.min(...sealMs) : 0,
      'sync.initial.sealMsMax': sealMs.length ? Math.max(...sealMs) : 0,
      'ui.longTasksOver100ms': initial.longTasks,
      'memory.peakJsHeapMB': initial.peakHeapMB,
    });
    return out;
  } finally {
    await web.close();
    await platform.close();
  }
}
