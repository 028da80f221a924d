/**
 * `npm run bench [-- <name filter>]`: runs every test/bench/*.bench.ts module in turn, merges the
 * dotted keys they return into test/bench/results/latest.json and prints a table. Figures, never
 * assertions: each module measures its own baseline in the same run.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchContext, BenchModule } from './context.js';

function isModule(m: unknown): m is BenchModule {
  return typeof m === 'object' && m !== null && typeof (m as { run?: unknown }).run === 'function';
}

function table(results: Record<string, number>): string {
  const keys = Object.keys(results).sort();
  const width = Math.max(...keys.map((k) => k.length), 6);
  const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 3 : 1));
  return [
    `${'figure'.padEnd(width)}  value`,
    `${'-'.repeat(width)}  ${'-'.repeat(12)}`,
    ...keys.map((k) => `${k.padEnd(width)}  ${fmt(results[k]!)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const root = resolve(import.meta.dirname, '../..');
  const filter = process.argv[2] ?? '';
  const files = readdirSync(import.meta.dirname)
    .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
    .sort();
  if (files.length === 0) throw new Error(`没有匹配的基准测试模块：${filter}`);
  const results: Record<string, number> = {};
  for (const file of files) {
    const tmpDir = mkdtempSync(join(tmpdir(), 'bench-'));
    const ctx: BenchContext = { root, tmpDir, log: (msg) => console.log(`[${file}] ${msg}`) };
    try {
      const mod: unknown = await import(pathToFileURL(join(import.meta.dirname, file)).href);
      if (!isModule(mod)) throw new Error(`${file} does not export run(ctx)`);
      const started = Date.now();
      Object.assign(results, await mod.run(ctx));
      ctx.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  }
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  const out = join(import.meta.dirname, 'results', 'latest.json');
  // A filtered run (`npm run bench -- name`) replaces only its own figures; the others stay.
  const merged: Record<string, number> = {
    ...(existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, number>) : {}),
    ...results,
  };
  const sorted = Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((k) => [k, merged[k]!]),
  );
  writeFileSync(out, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`\n${table(results)}\n\nwritten to ${out}`);
}

main().catch((e: unknown) => {
  console.error('基准测试失败：', e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
