/**
 * Upload backlog benchmark: 100 finalized results with 3 photos of 1 MB each, sent by
 * the real outbox (tus attachments, then the idempotent PUT) to the in-process simulator over
 * loopback, beside a baseline measured in the same run: the same bytes sent by plain sequential
 * PUTs to a sink server. Same task results form correction chains (each `replaces` the previous),
 * because the platform accepts one live result per task. Figures only; no assertions.
 */
import 'fake-indexeddb/auto';
import { randomFillSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { outboxRepo } from '../../renderer/src/db/index.js';
import { finalizeWith, rig, settle } from '../reliability/harness.js';
import type { BenchContext } from './context.js';

const RESULTS = 100;
const PHOTOS = 3;
const PHOTO_BYTES = 1024 * 1024;

async function rawTransfer(bodies: readonly Buffer[]): Promise<number> {
  const sink = http.createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
  const { port } = sink.address() as AddressInfo;
  const t0 = performance.now();
  for (const [i, body] of bodies.entries()) {
    const res = await fetch(`http://127.0.0.1:${port}/blob/${i}`, { method: 'PUT', body: new Uint8Array(body) });
    await res.arrayBuffer();
  }
  const seconds = (performance.now() - t0) / 1000;
  await new Promise<void>((resolve) => {
    sink.close(() => resolve());
    sink.closeAllConnections();
  });
  return seconds;
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const r = await rig({ publishDelayMs: 3_600_000 });
  try {
    const last = new Map<string, string>();
    let bytes = 0;
    for (let i = 0; i < RESULTS; i += 1) {
      const task = r.tasks[i % r.tasks.length]!;
      const made = await finalizeWith(r, task, PHOTOS, PHOTO_BYTES, last.get(task.id) ?? null);
      last.set(task.id, made.resultId);
      bytes += PHOTOS * PHOTO_BYTES;
    }
    ctx.log(`upload bench: ${RESULTS} results × ${PHOTOS} photos × ${PHOTO_BYTES} B queued`);
    const t0 = performance.now();
    await settle(r, 3);
    const seconds = (performance.now() - t0) / 1000;
    const ops = await outboxRepo(r.dbs.field).list();
    const accepted = ops.filter((o) => o.state === 'accepted' || o.state === 'published').length;
    if (accepted !== RESULTS) throw new Error(`upload bench: only ${accepted}/${RESULTS} results accepted`);
    const bodies = Array.from({ length: RESULTS * PHOTOS }, () => randomFillSync(Buffer.alloc(PHOTO_BYTES)));
    const raw = await rawTransfer(bodies);
    ctx.log(
      `upload bench: backlog ${seconds.toFixed(2)} s, raw sequential PUTs ${raw.toFixed(2)} s for ${(bytes / 1e6).toFixed(0)} MB`,
    );
    return {
      'upload.backlog.seconds': seconds,
      'baseline.rawTransfer.seconds': raw,
      'upload.backlog.ratioToRawTransfer': seconds / raw,
    };
  } finally {
    await r.stop();
  }
}
