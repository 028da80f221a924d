/**
 * WebCrypto AES-GCM decrypt throughput by input size, in a dedicated worker of Debian's Chromium
 * (`npm run bench -- webcrypto-size`): the reason the search index blobs are sealed in 512 KiB parts.
 * Each size decrypts the same 64 MiB, four calls at a time, sizes alternating, REPEATS rounds;
 * figures are the median MB/s per size, and the ratio of 512 KiB to 8 MiB (the old part size).
 */
import { launchProfile, median, serveWorkerPage, type BenchContext } from './context.js';

const REPEATS = Number(process.env['BENCH_REPEATS'] ?? '3');
const TOTAL_BYTES = 64 * 1024 * 1024;
const SIZES_KIB = [256, 512, 768, 1024, 2048, 8192];

const WORKER = `
onmessage = async (e) => {
  const { size, total } = e.data;
  const key = await crypto.subtle.importKey('raw', crypto.getRandomValues(new Uint8Array(32)), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const plain = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(plain.subarray(at, Math.min(size, at + 65536)));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
  const calls = Math.round(total / size);
  const t0 = performance.now();
  for (let i = 0; i < calls; i += 4)
    await Promise.all(Array.from({ length: Math.min(4, calls - i) }, () => crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, sealed)));
  postMessage((total / 1e6) / ((performance.now() - t0) / 1000));
};`;

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const { url, close } = await serveWorkerPage(WORKER);
  const { context } = await launchProfile(ctx);
  const mbps = new Map<number, number[]>(SIZES_KIB.map((k) => [k, []]));
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    for (let r = 0; r < REPEATS; r++)
      for (const kib of SIZES_KIB)
        mbps.get(kib)!.push(
          await page.evaluate(
            ([size, total]) =>
              new Promise<number>((resolve) => {
                const w = new Worker('/worker.js');
                w.onmessage = (e: MessageEvent<number>) => {
                  resolve(e.data);
                  w.terminate();
                };
                w.postMessage({ size, total });
              }),
            [kib * 1024, TOTAL_BYTES] as const,
          ),
        );
  } finally {
    await context.close();
    close();
  }
  const out: Record<string, number> = {};
  for (const [kib, runs] of mbps) {
    ctx.log(`${kib} KiB: ${runs.map((x) => x.toFixed(0)).join(', ')} MB/s`);
    out[`webcrypto.decrypt.${kib}KiB.MBps`] = median(runs);
  }
  out['webcrypto.decrypt.ratio512KiBTo8MiB'] =
    out['webcrypto.decrypt.512KiB.MBps']! / out['webcrypto.decrypt.8192KiB.MBps']!;
  return out;
}
