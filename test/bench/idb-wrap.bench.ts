/**
 * What a row over 64 KiB costs the thread that writes it (`npm run bench -- idb-wrap`). Chromium's
 * IndexedDB moves a value larger than 64 KiB out of the database into a blob file of its own, and
 * the wrapping is done on the calling thread inside put(). The pull worker writes the credit files'
 * rows and is the initial sync's busiest thread, so the row sizes matter there.
 *
 * In a dedicated worker on a fresh on-disk profile, the same bytes (sealed-like: random) are put as
 * rows of 140 KiB (a 1,000-line member's chunk row) and of 56 KiB (a 350-line one's), ~1.4 MB per
 * transaction either way; alternating, REPEATS runs each. Figures: the time spent inside put()
 * calls per row and per MB, the time until every transaction completed, and the CPU time of the
 * whole browser (every process: the database is written by the browser process, not the worker).
 */
import { readFileSync } from 'node:fs';
import { launchProfile, median, serveWorkerPage, type BenchContext } from './context.js';
import { browserProcesses } from './process-memory.js';

const REPEATS = Number(process.env['BENCH_REPEATS'] ?? '5');
const TOTAL_BYTES = 12 * 1024 * 1024;
const TX_BYTES = 1400 * 1024;
const SIZES = { large: 140 * 1024, small: 56 * 1024 } as const;

const WORKER = `
onmessage = async (e) => {
  const { rowBytes, rows, perTx } = e.data;
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open('wrap', 1);
    r.onupgradeneeded = () => r.result.createObjectStore('rows');
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const values = [];
  for (let i = 0; i < rows; i++) {
    const bytes = new Uint8Array(rowBytes);
    for (let at = 0; at < rowBytes; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(rowBytes, at + 65536)));
    values.push(bytes);
  }
  let putMs = 0;
  const t0 = performance.now();
  for (let i = 0; i < rows; i += perTx) {
    await new Promise((resolve, reject) => {
      const tx = db.transaction('rows', 'readwrite');
      const store = tx.objectStore('rows');
      const p0 = performance.now();
      for (let j = i; j < Math.min(rows, i + perTx); j++) store.put({ id: j, keyId: 'k', sealed: values[j] }, j);
      putMs += performance.now() - p0;
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
  postMessage({ putMs, totalMs: performance.now() - t0 });
  db.close();
};`;

/** CPU time (user + system) of every process of the browser on `profileDir`, ms. */
function cpuMs(profileDir: string): number {
  const tick = 10; // USER_HZ = 100 on Linux
  let ticks = 0;
  for (const { pid } of browserProcesses(profileDir)) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // ended between listing and reading
    }
  }
  return ticks * tick;
}

interface Run {
  putMs: number;
  totalMs: number;
  cpuMs: number;
}

async function once(ctx: BenchContext, url: string, rowBytes: number): Promise<Run> {
  const { context, profileDir } = await launchProfile(ctx);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const rows = Math.round(TOTAL_BYTES / rowBytes);
    const perTx = Math.max(1, Math.round(TX_BYTES / rowBytes));
    const c0 = cpuMs(profileDir);
    const r = await page.evaluate(
      ([rowBytes, rows, perTx]) =>
        new Promise<{ putMs: number; totalMs: number }>((resolve) => {
          const w = new Worker('/worker.js');
          w.onmessage = (e: MessageEvent<{ putMs: number; totalMs: number }>) => resolve(e.data);
          w.postMessage({ rowBytes, rows, perTx });
        }),
      [rowBytes, rows, perTx] as const,
    );
    return { ...r, cpuMs: cpuMs(profileDir) - c0 };
  } finally {
    await context.close();
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const { url, close } = await serveWorkerPage(WORKER);
  const runs: Record<keyof typeof SIZES, Run[]> = { large: [], small: [] };
  try {
    for (let i = 0; i < REPEATS; i++)
      for (const kind of ['large', 'small'] as const) runs[kind].push(await once(ctx, url, SIZES[kind]));
  } finally {
    close();
  }
  const out: Record<string, number> = {};
  for (const kind of ['large', 'small'] as const) {
    const rows = Math.round(TOTAL_BYTES / SIZES[kind]);
    const put = runs[kind].map((r) => r.putMs);
    ctx.log(
      `${SIZES[kind] / 1024} KiB rows × ${rows}: put() ${put.map((x) => x.toFixed(0)).join(', ')} ms; ` +
        `until committed ${runs[kind].map((r) => r.totalMs.toFixed(0)).join(', ')} ms; ` +
        `browser CPU ${runs[kind].map((r) => r.cpuMs).join(', ')} ms`,
    );
    out[`idbWrap.${kind}.rowKiB`] = SIZES[kind] / 1024;
    out[`idbWrap.${kind}.putMsPerRow`] = median(put) / rows;
    out[`idbWrap.${kind}.putMsPerMB`] = median(put) / (TOTAL_BYTES / 2 ** 20);
    out[`idbWrap.${kind}.committedMs`] = median(runs[kind].map((r) => r.totalMs));
    out[`idbWrap.${kind}.browserCpuMs`] = median(runs[kind].map((r) => r.cpuMs));
  }
  out['idbWrap.putRatioLargeToSmall'] = out['idbWrap.large.putMsPerMB']! / out['idbWrap.small.putMsPerMB']!;
  return out;
}
