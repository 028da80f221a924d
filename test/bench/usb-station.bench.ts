/**
 * Station bundle import against the network sync it stands in for, in the same run on the same
 * simulator: `usb.importStation.seconds` — a fresh profile imports the platform's station bundle file
 * (200,000 credit files unless BENCH_ENTERPRISES says otherwise) until its credit files are searchable —
 * beside `usb.loopbackSync.seconds` — a fresh profile syncs the same data over loopback (reference,
 * tasks, the snapshot, number blocks) until searchable. Both run BENCH_REPEATS times (default 3),
 * alternating, each on its own fresh on-disk profile; medians, ranges and the ratio are reported.
 * Figures only: the goal (ratio ≤ 1.2) is read from the output, not asserted.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { build } from 'vite';
import { serveStatic } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';
import { launchProfile, type BenchContext } from './context.js';

const COUNT = Number(process.env['BENCH_ENTERPRISES'] ?? '200000');
const REPEATS = Math.max(1, Number(process.env['BENCH_REPEATS'] ?? '3'));

interface Figures {
  readonly seconds: number;
  readonly ok: boolean;
  readonly message: string;
  readonly tasks: number;
  readonly records: number;
  readonly steps?: Record<string, number>;
}
interface StationBench {
  setup(url: string, certNo: string, password: string, logKey: string): Promise<void>;
  syncNetwork(): Promise<Figures>;
  importFile(): Promise<Figures>;
}
declare const stationBench: StationBench;

async function buildPage(ctx: BenchContext): Promise<string> {
  const outDir = join(ctx.tmpDir, 'station-page-dist');
  await build({
    configFile: false,
    root: join(ctx.root, 'test/bench/station-page'),
    base: './',
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, target: 'es2022' },
  });
  return outDir;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

async function openPage(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/index.html`);
  await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const dataDir = join(ctx.tmpDir, 'platform');
  const g0 = Date.now();
  const platform = await startPlatform({ dataDir, seed: 1, enterprises: COUNT, port: 0 });
  ctx.log(`simulator: ${COUNT} enterprises generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  const web = await serveStatic({
    root: await buildPage(ctx),
    appConfig: { platformUrl: platform.url, demo: true, platformLogKey: platform.logKey },
  });
  const who = platform.logins[0]!;
  try {
    // The platform's side, once: the snapshot (a scheduled job in either case) and the bundle file.
    const e0 = Date.now();
    const built = await platform.stationBundle({ inspectorIds: [who.inspectorId] });
    const parts: Uint8Array[] = [];
    for await (const p of built.bytes) parts.push(p);
    const file = join(ctx.tmpDir, 'station.sibundle');
    const bytes = Buffer.concat(parts);
    writeFileSync(file, bytes);
    const exportSeconds = (Date.now() - e0) / 1000;
    ctx.log(`station bundle: ${(bytes.length / 1048576).toFixed(1)} MB exported in ${exportSeconds.toFixed(1)} s`);

    const runOne = async (what: 'sync' | 'import'): Promise<Figures> => {
      const x = await launchProfile(ctx);
      try {
        const page = x.context.pages()[0] ?? (await x.context.newPage());
        await openPage(page, web.url);
        await page.evaluate(([u, c, p, k]) => stationBench.setup(u, c, p, k), [
          platform.url,
          who.certNo,
          who.password,
          platform.logKey,
        ] as const);
        if (what === 'import') await page.setInputFiles('#bundle', file);
        const f = await page.evaluate(
          (w) => (w === 'sync' ? stationBench.syncNetwork() : stationBench.importFile()),
          what,
        );
        if (!f.ok) throw new Error(`${what} failed: ${f.message}`);
        const steps = Object.entries(f.steps ?? {})
          .map(([k, v]) => (k.startsWith('worker:') ? `${k} ×${v}` : `${k} ${v.toFixed(1)} s`))
          .join(', ');
        ctx.log(
          `${what}: ${f.records} credit files, ${f.tasks} tasks, searchable in ${f.seconds.toFixed(1)} s${steps ? ` (${steps})` : ''}`,
        );
        return f;
      } finally {
        await x.context.close();
      }
    };

    const sync: Figures[] = [];
    const imports: Figures[] = [];
    for (let i = 0; i < REPEATS; i++) {
      // Alternating, so a change in the machine's load falls on both sides alike.
      sync.push(await runOne('sync'));
      imports.push(await runOne('import'));
    }
    const s = sync.map((f) => f.seconds);
    const m = imports.map((f) => f.seconds);
    return {
      'usb.importStation.records': imports[0]!.records,
      'usb.importStation.bundleMB': bytes.length / 1048576,
      'usb.importStation.exportSeconds': exportSeconds,
      'usb.importStation.repeats': REPEATS,
      'usb.importStation.seconds': median(m),
      'usb.importStation.secondsMin': Math.min(...m),
      'usb.importStation.secondsMax': Math.max(...m),
      'usb.loopbackSync.seconds': median(s),
      'usb.loopbackSync.secondsMin': Math.min(...s),
      'usb.loopbackSync.secondsMax': Math.max(...s),
      'usb.importStation.ratioToLoopbackSync': median(m) / median(s),
    };
  } finally {
    await web.close();
    await platform.close();
  }
}
