/**
 * What a row over 64 KiB costs the thread that writes it (`npm run bench -- idb-wrap`). Chromium's
 * IndexedDB moves a value larger than 64 KiB out of the database into a blob file of its own, and
 * the wrapping is done on the calling thread inside put(). The pull worker writes the credit files'
 * rows and is the initial sync's busiest thread, so the row sizes matter there.
 *
 * In a dedicated worker on a fresh on-disk profile, the same bytes (sealed-like: random) are put as
 * rows of 140 KiB (a 1,000-line member's chunk row) and of 56 KiB (a 350-line one's), and of 512 KiB
 * (a search index part) as a byte array and as a Blob (how the media chunks and the index parts are
 * stored), ~1.4 MB per transaction each time; then read back in the same batches (a Blob's bytes read with arrayBuffer()); alternating,
 * REPEATS runs each. Figures: the time spent inside put() calls (Blob construction included) per row
 * and per MB, the time until every transaction completed, the read-back time, and the CPU time of the
 * whole browser (every process: the database is written by the browser process, not the worker).
 */
import { readFileSync } from 'node:fs';
import { launchProfile, median, serveWorkerPage, type BenchContext } from './context.js';
import { browserProcesses } from './process-memory.js';

const REPEATS = Number(process.env['BENCH_REPEATS'] ?? '5');
const TOTAL_BYTES = 12 * 1024 * 1024;
const TX_BYTES = 1400 * 1024;
const SIZES = { large: 140 * 1024, small: 56 * 1024, part: 512 * 1024, partBlob: 512 * 1024 } as const;
const KINDS = ['large', 'small', 'part', 'partBlob'] as const;

const WORKER = `
onmessage = async (e) => {
  const { rowBytes, rows, perTx, asBlob } = e.data;
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
      for (let j = i; j < Math.min(rows, i + perTx); j++)
        store.put({ id: j, keyId: 'k', sealed: asBlob ? new Blob([values[j]]) : values[j] }, j);
      putMs += performance.now() - p0;
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
  const totalMs = performance.now() - t0;
  const r0 = performance.now();
  let readBytes = 0;
  for (let i = 0; i < rows; i += perTx) {
    const got = await new Promise((resolve, reject) => {
      const req = db.transaction('rows').objectStore('rows').getAll(IDBKeyRange.bound(i, i + perTx - 1));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    for (const row of got) readBytes += asBlob ? (await row.sealed.arrayBuffer()).byteLength : row.sealed.length;
  }
  postMessage({ putMs, totalMs, readMs: performance.now() - r0, readBytes });
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
  readMs: number;
  cpuMs: number;
}

async function once(ctx: BenchContext, url: string, kind: (typeof KINDS)[number]): Promise<Run> {
  const rowBytes = SIZES[kind];
  const { context, profileDir } = await launchProfile(ctx);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    const rows = Math.round(TOTAL_BYTES / rowBytes);
    const perTx = Math.max(1, Math.round(TX_BYTES / rowBytes));
    const c0 = cpuMs(profileDir);
    type Reply = { putMs: number; totalMs: number; readMs: number; readBytes: number };
    const r = await page.evaluate(
      ([rowBytes, rows, perTx, asBlob]) =>
        new Promise<Reply>((resolve) => {
          const w = new Worker('/worker.js');
          w.onmessage = (e: MessageEvent<Reply>) => resolve(e.data);
          w.postMessage({ rowBytes, rows, perTx, asBlob });
        }),
      [rowBytes, rows, perTx, kind === 'partBlob'] as const,
    );
    if (r.readBytes !== rows * rowBytes)
      throw new Error(`${kind}: read back ${r.readBytes} of ${rows * rowBytes} bytes`);
    return { putMs: r.putMs, totalMs: r.totalMs, readMs: r.readMs, cpuMs: cpuMs(profileDir) - c0 };
  } finally {
    await context.close();
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const { url, close } = await serveWorkerPage(WORKER);
  const runs: Record<(typeof KINDS)[number], Run[]> = { large: [], small: [], part: [], partBlob: [] };
  try {
    for (let i = 0; i < REPEATS; i++) for (const kind of KINDS) runs[kind].push(await once(ctx, url, kind));
  } finally {
    close();
  }
  const out: Record<string, number> = {};
  for (const kind of KINDS) {
    const rows = Math.round(TOTAL_BYTES / SIZES[kind]);
    const put = runs[kind].map((r) => r.putMs);
    ctx.log(
      `${SIZES[kind] / 1024} KiB rows × ${rows}: put() ${put.map((x) => x.toFixed(0)).join(', ')} ms; ` +
        `until committed ${runs[kind].map((r) => r.totalMs.toFixed(0)).join(', ')} ms; ` +
        `read back ${runs[kind].map((r) => r.readMs.toFixed(0)).join(', ')} ms; ` +
        `browser CPU ${runs[kind].map((r) => r.cpuMs).join(', ')} ms`,
    );
    out[`idbWrap.${kind}.rowKiB`] = SIZES[kind] / 1024;
    out[`idbWrap.${kind}.putMsPerRow`] = median(put) / rows;
    out[`idbWrap.${kind}.putMsPerMB`] = median(put) / (TOTAL_BYTES / 2 ** 20);
    out[`idbWrap.${kind}.committedMs`] = median(runs[kind].map((r) => r.totalMs));
    out[`idbWrap.${kind}.readMsPerMB`] = median(runs[kind].map((r) => r.readMs)) / (TOTAL_BYTES / 2 ** 20);
    out[`idbWrap.${kind}.browserCpuMs`] = median(runs[kind].map((r) => r.cpuMs));
  }
  out['idbWrap.putRatioLargeToSmall'] = out['idbWrap.large.putMsPerMB']! / out['idbWrap.small.putMsPerMB']!;
  out['idbWrap.readRatioPartToBlob'] = out['idbWrap.part.readMsPerMB']! / out['idbWrap.partBlob.readMsPerMB']!;
  return out;
}
