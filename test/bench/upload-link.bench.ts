/**
 * The upload backlog over weak links (`npm run bench -- link`): finalized results with 3 photos of
 * 1 MB each, sent by the real outbox (tus attachments, then the idempotent PUT) through the link
 * emulator (on its own thread) to the in-process simulator, beside the raw floor: the same number of
 * bytes sent up the same emulated link by one plain PUT (link-raw.ts). 100 results at 20 Mbit/s;
 * at 4 Mbit/s 20 results (300 MB would take ten minutes of link time alone).
 */
import 'fake-indexeddb/auto';
import { outboxRepo } from '../../renderer/src/db/index.js';
import { startLinkThread, type LinkThread } from '../net/link-thread.js';
import { finalizeWith, rig, settle } from '../reliability/harness.js';
import type { BenchContext } from './context.js';
import { rawUploadSeconds, type LinkShape } from './link-raw.js';

const RTT_MS = 80;
const PHOTOS = 3;
const PHOTO_BYTES = 1024 * 1024;
const RUNS = [
  { mbit: 20, results: Number(process.env['BENCH_LINK_UPLOAD_RESULTS'] ?? '100') },
  { mbit: 4, results: Number(process.env['BENCH_LINK_UPLOAD_RESULTS_4MBIT'] ?? '20') },
] as const;

async function backlog(ctx: BenchContext, shape: LinkShape, results: number) {
  const held: { link: LinkThread | null } = { link: null };
  const r = await rig({
    publishDelayMs: 3_600_000,
    via: async (platformUrl) => {
      held.link = await startLinkThread({ target: platformUrl, ...shape });
      return held.link.url;
    },
  });
  const over = (): LinkThread => {
    if (!held.link) throw new Error('the rig did not ask for the link');
    return held.link;
  };
  try {
    const last = new Map<string, string>();
    for (let i = 0; i < results; i += 1) {
      const task = r.tasks[i % r.tasks.length]!;
      const made = await finalizeWith(r, task, PHOTOS, PHOTO_BYTES, last.get(task.id) ?? null);
      last.set(task.id, made.resultId);
    }
    const c0 = await over().counters();
    const t0 = performance.now();
    await settle(r, 3);
    const seconds = (performance.now() - t0) / 1000;
    const c1 = await over().counters();
    const ops = await outboxRepo(r.dbs.field).list();
    const accepted = ops.filter((o) => o.state === 'accepted' || o.state === 'published').length;
    if (accepted !== results) throw new Error(`upload over the link: only ${accepted}/${results} results accepted`);
    const up = c1.up - c0.up;
    if (up < results * PHOTOS * PHOTO_BYTES)
      throw new Error(`only ${up} bytes crossed the link: the uploads did not all go through it`);
    ctx.log(`${results} results: ${(up / 1e6).toFixed(1)} MB up in ${seconds.toFixed(1)} s`);
    return { seconds, up, down: c1.down - c0.down };
  } finally {
    await r.stop();
    await held.link?.close();
  }
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const out: Record<string, number> = { 'upload.link.rttMs': RTT_MS };
  const ratios: number[] = [];
  for (const { mbit, results } of RUNS) {
    const shape: LinkShape = { downBitsPerSecond: mbit * 1e6, upBitsPerSecond: mbit * 1e6, rttMs: RTT_MS };
    const b = await backlog(ctx, shape, results);
    const raw = await rawUploadSeconds(shape, b.up);
    const ratio = b.seconds / raw;
    ratios.push(ratio);
    ctx.log(`${mbit} Mbit/s: the same bytes raw in ${raw.toFixed(1)} s (×${ratio.toFixed(3)})`);
    const key = `upload.link.${mbit}mbit`;
    Object.assign(out, {
      [`${key}.results`]: results,
      [`${key}.seconds`]: b.seconds,
      [`${key}.rawTransferSeconds`]: raw,
      [`${key}.ratioToRawTransfer`]: ratio,
      [`${key}.upMB`]: b.up / 1e6,
      // Protocol overhead above the photos' own bytes (tus and result requests, headers).
      [`${key}.overheadBytesPerResult`]: (b.up - results * PHOTOS * PHOTO_BYTES) / results,
    });
  }
  // The figure with a goal (≤ 1.1): the worse of the two links.
  out['upload.link.ratioToRawTransfer'] = Math.max(...ratios);
  return out;
}
