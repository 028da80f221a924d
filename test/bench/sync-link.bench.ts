/**
 * The initial credit-file sync over weak links (`npm run bench -- link`): the bench page's real
 * data layer (the same one credit-files.bench.ts drives) syncs from the simulator through the link
 * emulator at 20 and 4 Mbit/s with an 80 ms round trip, from an empty profile until searchable.
 * Beside each run, the raw floor: the same number of bytes fetched by the same page over the same
 * emulated link with no processing (link-raw.ts). The ratio says how much of the app's CPU work the
 * link fails to hide. It measures whatever the app downloads (today: the paged gzip NDJSON feed),
 * so a different download format is measured by the same bench.
 *
 * Also: wire bytes per record beside the feed's own gzip NDJSON size, and the cost of one drop
 * (the link cuts the connection carrying the middle byte; the sync is started again, as the
 * inspector does after 同步失败): bytes moved minus the no-drop run's.
 */
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { serveStatic } from '../helpers/static-server.js';
import { startLinkThread, type LinkThread } from '../net/link-thread.js';
import { startPlatform } from '../platform/server.js';
import { launchProfile, type BenchContext } from './context.js';
import { rawDownloadSeconds, type LinkShape } from './link-raw.js';
import { startCpuTrace, writeSummary } from './cpu-trace.js';
import type { EnterpriseTimings } from '../../renderer/src/credit-files/timing-sink.js';

const COUNT = Number(process.env['BENCH_LINK_ENTERPRISES'] ?? '50000');
const RTT_MS = 80;
/** `BENCH_LINK_MBITS=20` measures one link only; `BENCH_LINK_DROP=0` leaves out the drop run (comparisons). */
const MBITS = (process.env['BENCH_LINK_MBITS'] ?? '20,4').split(',').map(Number);
const DROP = process.env['BENCH_LINK_DROP'] !== '0';
const TRACE = process.env['BENCH_TRACE'];
/** Records per page of the gzip NDJSON comparison: the app's enterprise page size. */
const FEED_PAGE = 5000;

interface SyncOutcome {
  seconds: number;
  records: number;
  ok: boolean;
  message: string;
  /** From the start of the pull to its credit-file phase (worker start, reference data, tasks). */
  beforeEnterprisesMs: number;
  /** From the start of the pull to the worker's first message (its start-up, unless it was warm). */
  workerStartMs: number;
  /** After the last page: the search index made ready. */
  searchWarmMs: number;
  /** The pull worker's own timers (waitMs = waiting for pages, writeMs = IndexedDB, snapshot*Ms …). */
  timings: EnterpriseTimings | null;
}
interface Bench {
  login(url: string, certNo: string, password: string): Promise<string>;
  unlock(url: string, token: string): Promise<void>;
  sync(url: string, token: string): Promise<SyncOutcome>;
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
    // Readable function names in a traced run's profile.
    build: { outDir, emptyOutDir: true, target: 'es2022', ...(TRACE ? { minify: false } : {}) },
  });
  return outDir;
}

/** The enterprise feed as today's gzip NDJSON pages: compressed body bytes and records. */
async function gzipNdjsonSize(url: string, token: string): Promise<{ bytes: number; records: number }> {
  let cursor = '0';
  let bytes = 0;
  let records = 0;
  for (;;) {
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = http.get(
        `${url}/v1/sync/enterprises?cursor=${encodeURIComponent(cursor)}&limit=${FEED_PAGE}`,
        { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson', 'Accept-Encoding': 'gzip' } },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (d: Buffer) => parts.push(d));
          res.on('end', () =>
            res.headers['content-encoding'] === 'gzip'
              ? resolve(Buffer.concat(parts))
              : reject(new Error('the feed did not answer gzip')),
          );
        },
      );
      req.on('error', reject);
    });
    bytes += body.length;
    const lines = gunzipSync(body).toString('utf8').split('\n').filter(Boolean);
    const header = JSON.parse(lines[0]!) as { nextCursor: string; hasMore: boolean };
    records += lines.length - 1;
    cursor = header.nextCursor;
    if (!header.hasMore) return { bytes, records };
  }
}

async function freshPage(ctx: BenchContext, webUrl: string) {
  const profile = await launchProfile(ctx);
  const page: Page = profile.context.pages()[0] ?? (await profile.context.newPage());
  await page.goto(`${webUrl}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
  return { page, close: () => profile.context.close() };
}

/** Signs in and unlocks over the link, then syncs; the bytes are the sync's alone. */
async function syncOver(
  page: Page,
  link: LinkThread,
  who: { certNo: string; password: string },
  drop: number | null,
): Promise<{ runs: SyncOutcome[]; down: number; up: number }> {
  const token = await page.evaluate(([u, c, p]) => bench.login(u, c, p), [link.url, who.certNo, who.password] as const);
  await page.evaluate(([u, t]) => bench.unlock(u, t), [link.url, token] as const);
  const c0 = await link.counters();
  if (drop !== null) await link.setDrop({ direction: 'down', afterBytes: drop });
  const runs: SyncOutcome[] = [];
  // After a drop the inspector starts the sync again; more than one retry would mean it did not resume.
  for (let i = 0; i < (drop === null ? 1 : 2); i++) {
    const run = await page.evaluate(([u, t]) => bench.sync(u, t), [link.url, token] as const);
    runs.push(run);
    if (run.ok) break;
  }
  const c1 = await link.counters();
  if (drop !== null && c1.drops !== c0.drops + 1) throw new Error(`the drop did not fire (${c1.drops - c0.drops})`);
  return { runs, down: c1.down - c0.down, up: c1.up - c0.up };
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const platform = await startPlatform({ dataDir: join(ctx.tmpDir, 'platform'), seed: 1, enterprises: COUNT, port: 0 });
  const web = await serveStatic({ root: await buildPage(ctx), appConfig: { platformUrl: platform.url, demo: true } });
  const who = platform.logins[0]!;
  const out: Record<string, number> = { 'sync.link.records': COUNT, 'sync.link.rttMs': RTT_MS };
  try {
    const login = await fetch(`${platform.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ certNo: who.certNo, password: who.password, deviceId: 'bench-gzip', deviceName: 'bench' }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const gz = await gzipNdjsonSize(platform.url, accessToken);
    // The platform builds its snapshot once (a scheduled job, not part of any client's sync): asking
    // for the manifest here keeps the build out of the first measured sync.
    const built = await fetch(`${platform.url}/v1/sync/enterprises/snapshot`, {
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!built.ok) throw new Error(`snapshot manifest: HTTP ${built.status}`);
    await built.arrayBuffer();
    out['sync.gzipNdjsonBytesPerRecord'] = gz.bytes / gz.records;
    const ratios: number[] = [];
    for (const mbit of MBITS) {
      const shape: LinkShape = { downBitsPerSecond: mbit * 1e6, upBitsPerSecond: mbit * 1e6, rttMs: RTT_MS };
      const link = await startLinkThread({ target: platform.url, ...shape });
      try {
        const p = await freshPage(ctx, web.url);
        // BENCH_TRACE=<file>: a CPU profile of every thread of the page during this sync (cpu-trace.ts).
        const trace = TRACE ? await startCpuTrace(p.page) : null;
        const clean = await syncOver(p.page, link, who, null);
        if (trace) writeSummary(`${TRACE}.${mbit}mbit.txt`, await trace.stop());
        const result = clean.runs[0]!;
        if (!result.ok) throw new Error(`sync at ${mbit} Mbit/s failed: ${result.message}`);
        const raw = await rawDownloadSeconds(p.page, shape, clean.down);
        await p.close();
        const key = `sync.link.${mbit}mbit`;
        const ratio = result.seconds / raw;
        ratios.push(ratio);
        Object.assign(out, {
          [`${key}.seconds`]: result.seconds,
          [`${key}.rawTransferSeconds`]: raw,
          [`${key}.ratioToRawTransfer`]: ratio,
          [`${key}.wireMB`]: clean.down / 1e6,
          [`${key}.breakdown.beforeEnterprisesMs`]: Math.round(result.beforeEnterprisesMs),
          [`${key}.breakdown.workerStartMs`]: Math.round(result.workerStartMs),
          [`${key}.breakdown.searchWarmMs`]: Math.round(result.searchWarmMs),
        });
        if (result.timings) {
          const t = result.timings;
          Object.assign(out, {
            [`${key}.breakdown.headMs`]: Math.round(t.headMs),
            [`${key}.breakdown.waitMs`]: Math.round(t.waitMs),
            [`${key}.breakdown.writeMs`]: Math.round(t.writeMs),
            [`${key}.breakdown.enterprisesTotalMs`]: Math.round(t.totalMs),
            [`${key}.breakdown.snapshotDownloadMs`]: Math.round(t.snapshotDownloadMs),
            [`${key}.breakdown.snapshotVerifyMs`]: Math.round(t.snapshotVerifyMs),
            [`${key}.breakdown.snapshotTailMs`]: Math.round(t.snapshotImportMs),
            [`${key}.breakdown.importBlockedMs`]: Math.round(t.importBlockedMs),
            [`${key}.breakdown.importIdleMs`]: Math.round(t.importIdleMs),
          });
        }
        ctx.log(
          `${mbit} Mbit/s: ${result.records} records searchable in ${result.seconds.toFixed(1)} s; ` +
            `the same ${(clean.down / 1e6).toFixed(2)} MB raw in ${raw.toFixed(1)} s (×${ratio.toFixed(2)})`,
        );
        if (mbit !== 20 || !DROP) continue;
        out['sync.wireBytesPerRecord'] = clean.down / result.records;
        out['sync.link.upBytesPerRecord'] = clean.up / result.records;
        // One drop at the middle byte of the same sync, from another empty profile.
        const d = await freshPage(ctx, web.url);
        const dropped = await syncOver(d.page, link, who, Math.floor(clean.down / 2));
        await d.close();
        const last = dropped.runs[dropped.runs.length - 1]!;
        if (!last.ok || last.records !== result.records)
          throw new Error(`sync after the drop: ${last.ok ? `${last.records} records` : last.message}`);
        out['sync.link.dropCostBytes'] = dropped.down - clean.down;
        out['sync.link.dropRuns'] = dropped.runs.length;
        ctx.log(
          `drop at ${Math.floor(clean.down / 2)} B: ${dropped.runs.length} runs, ${dropped.down} B down ` +
            `(${dropped.down - clean.down} B more than without the drop)`,
        );
      } finally {
        await link.close();
      }
    }
    // The figure with a goal (≤ 1.1): the worse of the two links.
    out['sync.link.ratioToRawTransfer'] = Math.max(...ratios);
    return out;
  } finally {
    await web.close();
    await platform.close();
  }
}
