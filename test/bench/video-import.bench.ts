/**
 * Importing a body-camera recording against reading it: a 1 GB mp4 (BENCH_VIDEO_MB to change it)
 * is generated once; then, 3 times, a fresh on-disk Chromium profile picks the file and (1) reads it
 * in the importer's 4 MiB slices doing nothing else (the raw read floor) and (2) imports it with the
 * app's own code (hash-wasm SHA-256, WebCrypto AES-GCM per chunk, IndexedDB writes, in a sealed
 * partition), and times each stage alone on the first 256 MiB (read + hash, read + seal, read +
 * seal + write) to show where the import's time goes; then (3) reads the imported recording back
 * through the repo, chunk by chunk in order, as playback, the upload and a USB export do (IndexedDB
 * read and open, nothing else). Both imports read the same file in the same run; the OS page cache
 * holds it for both (it was just written), so the gap is the importer's own cost. Median and range
 * of the 3 runs.
 *
 * `npx tsx test/bench/video-import.bench.ts` writes test/bench/results/video-import.json; `npm run
 * bench -- video` runs it through the runner and merges `evidence.videoImportMBps` into latest.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeRecording } from '../e2e/media-files.js';
import { launchProfile, type BenchContext } from './context.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(import.meta.dirname, 'results', 'video-import.json');
const REPEATS = 3;
const MIB = Number(process.env['BENCH_VIDEO_MB'] ?? 1024);

const PAGE_ENTRY = `
import { attachmentsRepo, chunksInOrder, mediaChunksRepo, openPartition } from './renderer/src/db/index.ts';
import { sealMediaChunk } from './renderer/src/db/repos/media-chunks.repo.ts';
import { KeySlot, newDataKey } from './renderer/src/vault/index.ts';
import { importMedia } from './renderer/src/services/inspection/media-import.ts';
import { createSHA256 } from 'hash-wasm';
const CHUNK = 4 * 1024 * 1024;
const file = () => document.querySelector('#pick').files[0];
globalThis.videoBench = {
  async rawRead() {
    const f = file();
    const t0 = performance.now();
    let bytes = 0;
    for (let at = 0; at < f.size; at += CHUNK) bytes += (await f.slice(at, at + CHUNK).arrayBuffer()).byteLength;
    return { ms: performance.now() - t0, bytes };
  },
  // Where the import's time goes: each stage alone over the file's first 256 MiB (read included).
  async stages() {
    const f = file();
    const n = Math.min(64, Math.ceil(f.size / CHUNK));
    const bytesOf = async (i) => new Uint8Array(await f.slice(i * CHUNK, (i + 1) * CHUNK).arrayBuffer());
    const timed = async (step) => {
      const t0 = performance.now();
      let total = 0;
      for (let i = 0; i < n; i++) { const b = await bytesOf(i); total += b.length; await step(b, i); }
      return total / 1024 / 1024 / ((performance.now() - t0) / 1000);
    };
    const h = await createSHA256();
    h.init();
    const key = newDataKey();
    const slot = new KeySlot();
    slot.unlock(newDataKey());
    const db = openPartition('field-stages', slot);
    const chunks = mediaChunksRepo(db);
    const out = {
      hashMBps: await timed(async (b) => { h.update(b); }),
      sealMBps: await timed(async (b, i) => { await sealMediaChunk(key, 'bench', 'a', i, b); }),
      sealAndWriteMBps: await timed(async (b, i) => { await chunks.put('att-stage', i, b); }),
    };
    db.close();
    return out;
  },
  async importFile() {
    const f = file();
    const slot = new KeySlot();
    slot.unlock(newDataKey());
    const db = openPartition('field-bench', slot);
    let peakHeap = 0;
    const t0 = performance.now();
    const out = await importMedia(
      { files: attachmentsRepo(db), chunks: mediaChunksRepo(db), now: () => new Date(), player: null,
        estimate: () => navigator.storage.estimate() },
      { taskId: 't-bench', resultId: 'r-bench', file: f, fileName: f.name, lastModified: f.lastModified,
        clockSkewMs: null, place: { source: 'registered-address', address: '', reason: 'unavailable' } },
      () => { peakHeap = Math.max(peakHeap, performance.memory ? performance.memory.usedJSHeapSize : 0); },
    );
    const ms = performance.now() - t0;
    if (!out.ok) throw new Error(out.error.message);
    const row = await attachmentsRepo(db).get(out.file.id);
    const r0 = performance.now();
    let readBack = 0;
    for await (const bytes of chunksInOrder(mediaChunksRepo(db), row.id, row.media.chunkCount)) readBack += bytes.length;
    const readBackMs = performance.now() - r0;
    db.close();
    return { ms, bytes: out.file.size, sha256: out.file.sha256, peakHeap, readBackMs, readBack };
  },
};
`;

function bundle(): string {
  return execFileSync(
    join(ROOT, 'node_modules/.bin/esbuild'),
    ['--bundle', '--format=iife', '--platform=browser', '--target=es2022', '--log-level=error'],
    { cwd: ROOT, input: PAGE_ENTRY, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
}

interface Stats {
  readonly runs: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function stats(runs: number[]): Stats {
  const sorted = [...runs].sort((a, b) => a - b);
  const r = (n: number): number => Math.round(n * 10) / 10;
  return {
    runs: runs.map(r),
    median: r(sorted[Math.floor(sorted.length / 2)]!),
    min: r(sorted[0]!),
    max: r(sorted.at(-1)!),
  };
}

interface Measured {
  readonly fileBytes: number;
  readonly rawReadMBps: Stats;
  readonly importMBps: Stats;
  readonly importPeakHeapMB: Stats;
  readonly readBackMBps: Stats;
  readonly stagesOnFirst256MiB: { readHashMBps: Stats; readSealMBps: Stats; readSealWriteMBps: Stats };
}

async function measure(ctx: BenchContext): Promise<Measured> {
  const script = bundle();
  const rec = await writeRecording(join(ctx.tmpDir, 'DCIM_0001.mp4'), MIB, 1800, new Date('2026-05-06T01:00:00Z'));
  ctx.log(`generated ${MIB} MiB recording (${rec.size} bytes)`);
  const raw: number[] = [];
  const imported: number[] = [];
  const heap: number[] = [];
  const readBack: number[] = [];
  const hash: number[] = [];
  const seal: number[] = [];
  const sealWrite: number[] = [];
  for (let i = 0; i < REPEATS; i += 1) {
    const { context } = await launchProfile(ctx);
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      // A secure context (WebCrypto) without a server: the route answers the page itself.
      await page.route('http://127.0.0.1/video-bench', (route) =>
        route.fulfill({ contentType: 'text/html', body: '<!doctype html><input id="pick" type="file">' }),
      );
      await page.goto('http://127.0.0.1/video-bench');
      await page.addScriptTag({ content: script });
      await page.locator('#pick').setInputFiles(rec.path);
      const r = await page.evaluate(() =>
        (
          globalThis as unknown as { videoBench: { rawRead(): Promise<{ ms: number; bytes: number }> } }
        ).videoBench.rawRead(),
      );
      const st = await page.evaluate(() =>
        (
          globalThis as unknown as {
            videoBench: { stages(): Promise<{ hashMBps: number; sealMBps: number; sealAndWriteMBps: number }> };
          }
        ).videoBench.stages(),
      );
      hash.push(st.hashMBps);
      seal.push(st.sealMBps);
      sealWrite.push(st.sealAndWriteMBps);
      const m = await page.evaluate(() =>
        (
          globalThis as unknown as {
            videoBench: {
              importFile(): Promise<{
                ms: number;
                bytes: number;
                sha256: string;
                peakHeap: number;
                readBackMs: number;
                readBack: number;
              }>;
            };
          }
        ).videoBench.importFile(),
      );
      if (r.bytes !== rec.size || m.bytes !== rec.size || m.readBack !== rec.size || m.sha256 !== rec.sha256)
        throw new Error(
          `run ${i + 1}: read ${r.bytes}, imported ${m.bytes}, read back ${m.readBack} bytes, hash ${m.sha256} ≠ ${rec.sha256}`,
        );
      const mbps = (bytes: number, ms: number): number => bytes / 1024 / 1024 / (ms / 1000);
      raw.push(mbps(r.bytes, r.ms));
      imported.push(mbps(m.bytes, m.ms));
      heap.push(m.peakHeap / 1024 / 1024);
      readBack.push(mbps(m.readBack, m.readBackMs));
      ctx.log(
        `run ${i + 1}: raw read ${raw.at(-1)!.toFixed(0)} MB/s, import ${imported.at(-1)!.toFixed(1)} MB/s, ` +
          `read back ${readBack.at(-1)!.toFixed(1)} MB/s ` +
          `(alone: read+hash ${st.hashMBps.toFixed(0)}, read+seal ${st.sealMBps.toFixed(0)}, read+seal+write ${st.sealAndWriteMBps.toFixed(0)} MB/s)`,
      );
    } finally {
      await context.close();
    }
  }
  return {
    fileBytes: rec.size,
    rawReadMBps: stats(raw),
    importMBps: stats(imported),
    importPeakHeapMB: stats(heap),
    readBackMBps: stats(readBack),
    stagesOnFirst256MiB: { readHashMBps: stats(hash), readSealMBps: stats(seal), readSealWriteMBps: stats(sealWrite) },
  };
}

function save(m: Measured): void {
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify({ at: new Date().toISOString(), repeats: REPEATS, ...m }, null, 2)}\n`);
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const m = await measure(ctx);
  save(m);
  return {
    'evidence.videoImportMBps': m.importMBps.median,
    'evidence.videoImportMBpsMin': m.importMBps.min,
    'evidence.videoImportMBpsMax': m.importMBps.max,
    'evidence.videoRawReadMBps': m.rawReadMBps.median,
    'evidence.videoRawReadMBpsMin': m.rawReadMBps.min,
    'evidence.videoRawReadMBpsMax': m.rawReadMBps.max,
    'evidence.videoImportPeakHeapMB': m.importPeakHeapMB.max,
    'evidence.videoReadBackMBps': m.readBackMBps.median,
    'evidence.videoReadBackMBpsMin': m.readBackMBps.min,
    'evidence.videoReadBackMBpsMax': m.readBackMBps.max,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const tmpDir = mkdtempSync(join(tmpdir(), 'bench-video-'));
  measure({ root: ROOT, tmpDir, log: (msg) => console.log(`[video-import] ${msg}`) })
    .then((m) => {
      save(m);
      console.log(JSON.stringify(m, null, 2), `\nwritten to ${OUT}`);
    })
    .catch((e: unknown) => {
      console.error('基准测试失败：', e instanceof Error ? (e.stack ?? e.message) : e);
      process.exitCode = 1;
    })
    .finally(() => rmSync(tmpDir, { recursive: true, force: true }));
}
