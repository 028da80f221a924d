/**
 * What the device key's signature and the audit chain add to a FULL finalize (finalize-cost.ts: the
 * inspection service's finalize on a sealed partition, timed end to end, with signNext and the
 * chain's prepare timed inside it). The baseline is the whole finalize of the same run. Measured in
 * headless Chromium on a fresh on-disk profile (the app's real IndexedDB) and in Node
 * (fake-indexeddb), `BENCH_REPEATS` runs each (default 5): median and range of the per-run shares.
 * Goal: the signature under 5 % of finalize. Figures only; no assertions.
 *
 * `npm run bench -- integrity-finalize` merges `integrity.finalizeFull.*` into latest.json.
 */
import 'fake-indexeddb/auto';
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import type * as Cost from './finalize-cost.js';
import { finalizeCostRun, type FinalizeCostOptions, type FinalizeCostRun } from './finalize-cost.js';
import { launchProfile, type BenchContext } from './context.js';

const RUNS = Math.max(5, Number(process.env['BENCH_REPEATS'] ?? 5));
const SHAPE = { finalizes: 12, photosPerResult: 3, photoBytes: 300 * 1024 } as const;
const ORIGIN = 'http://bench.localhost';

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function figures(where: string, runs: readonly FinalizeCostRun[], ctx: BenchContext): Record<string, number> {
  const per = (f: (r: FinalizeCostRun) => number) => runs.map((r) => f(r) / r.finalizes);
  const signShare = runs.map((r) => (100 * r.signMs) / r.finalizeMs);
  const bothShare = runs.map((r) => (100 * (r.signMs + r.chainMs)) / r.finalizeMs);
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
  ctx.log(
    `${where}: finalize ${median(per((r) => r.finalizeMs)).toFixed(2)} ms (median of ${runs.length} runs, ${range(per((r) => r.finalizeMs))}); ` +
      `signature ${median(per((r) => r.signMs)).toFixed(2)} ms = ${median(signShare).toFixed(2)} % (${range(signShare)} %); ` +
      `signature + chain ${median(per((r) => r.signMs + r.chainMs)).toFixed(2)} ms = ${median(bothShare).toFixed(2)} % (${range(bothShare)} %)`,
  );
  const k = `integrity.finalizeFull.${where}`;
  return {
    [`${k}.finalizeMs`]: median(per((r) => r.finalizeMs)),
    [`${k}.signMs`]: median(per((r) => r.signMs)),
    [`${k}.chainMs`]: median(per((r) => r.chainMs)),
    [`${k}.signPercent`]: median(signShare),
    [`${k}.signPercentMin`]: Math.min(...signShare),
    [`${k}.signPercentMax`]: Math.max(...signShare),
    [`${k}.signAndChainPercent`]: median(bothShare),
    [`${k}.signAndChainPercentMin`]: Math.min(...bothShare),
    [`${k}.signAndChainPercentMax`]: Math.max(...bothShare),
    [`${k}.runs`]: runs.length,
  };
}

async function inChromium(ctx: BenchContext): Promise<FinalizeCostRun[]> {
  const bundle = buildSync({
    entryPoints: [resolve(import.meta.dirname, 'finalize-cost.ts')],
    bundle: true,
    format: 'iife',
    globalName: 'finalizeCost',
    write: false,
    logLevel: 'error',
    // The print fonts come in through the services' imports; a finalize never prints.
    loader: { '.ttf': 'empty' },
  }).outputFiles[0]!.text;
  const { context } = await launchProfile(ctx);
  try {
    // A secure origin of its own (*.localhost), answered here: WebCrypto Ed25519 and on-disk IndexedDB.
    await context.route(`${ORIGIN}/**`, (route) =>
      route.request().url().endsWith('/bench.js')
        ? route.fulfill({ contentType: 'text/javascript', body: bundle })
        : route.fulfill({ contentType: 'text/html', body: '<!doctype html><script src="/bench.js"></script>' }),
    );
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/`);
    const runs: FinalizeCostRun[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const o: FinalizeCostOptions = { prefix: `c${i}-`, ...SHAPE };
      runs.push(
        await page.evaluate(
          (opts) => (globalThis as unknown as { finalizeCost: typeof Cost }).finalizeCost.finalizeCostRun(opts),
          o,
        ),
      );
    }
    return runs;
  } finally {
    await context.close();
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const chromium = await inChromium(ctx);
  const node: FinalizeCostRun[] = [];
  for (let i = 0; i < RUNS; i += 1) node.push(await finalizeCostRun({ prefix: `n${i}-`, ...SHAPE }));
  return { ...figures('chromium', chromium, ctx), ...figures('node', node, ctx) };
}
