/**
 * Integrity benchmark: what the device key costs. In one run, on the reliability harness (the real
 * simulator, the app's data layer on fake-indexeddb):
 * - finalize: the finalize transaction with the device key's signature (audit entry, sign, write)
 *   against the same write with the signature left out, alternating so both see the same machine;
 * - drain: a backlog of results uploaded by the real push engine and tus uploader with the
 *   device's pre-drain signature check, against the same engine without that check. The platform
 *   verifies every signature in both (it refuses unsigned uploads), so the drain figure is the
 *   device's own share. Figures only; no assertions. Goal: under 5 % each.
 */
import 'fake-indexeddb/auto';
import { canonicalJson } from '../../shared/domain/canonical.js';
import type { Task } from '../../shared/protocol/index.js';
import { passingPayload } from '../platform/testkit.js';
import {
  attachmentsRepo,
  auditRepo,
  outboxRepo,
  resultsRepo,
  type SignedCheckpointInput,
} from '../../renderer/src/db/index.js';
import { pushSigning } from '../../renderer/src/services/storage/signed-checkpoints.js';
import { createPushEngine } from '../../renderer/src/sync/push-engine.js';
import { createTusUploader } from '../../renderer/src/sync/tus-upload.js';
import { rig, sha, type Rig } from '../reliability/harness.js';
import type { BenchContext } from './context.js';

const FINALIZES = 120;
const BACKLOG = 60;
const PHOTO_BYTES = 64 * 1024;

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One finalize as the inspection service does it, with or without the device key's signature. */
async function finalizeOnce(r: Rig, task: Task, replaces: string | null, signed: boolean): Promise<string> {
  const db = r.dbs.field;
  const rt = r.s.internals.runtime;
  const resultId = `r-${crypto.randomUUID()}`;
  const photo = new Uint8Array(PHOTO_BYTES).map((_, j) => (j * 31 + resultId.charCodeAt(4)) % 251);
  const attId = `att-${crypto.randomUUID()}`;
  await attachmentsRepo(db).add({
    id: attId,
    resultId,
    taskId: task.id,
    kind: 'photo',
    mime: 'image/jpeg',
    size: photo.length,
    sha256: sha(photo),
    blob: new Blob([photo]),
    thumbnail: null,
    fileName: 'p.jpg',
    capturedAt: new Date().toISOString(),
  });
  const payload = passingPayload(task, resultId, { replaces });
  const contentHash = sha(canonicalJson(payload));
  const audit = await auditRepo(db).prepare({
    at: payload.finishedAt,
    kind: 'result.finalized',
    subjectId: resultId,
    detail: { taskId: task.id, contentHash },
  });
  const checkpoint: SignedCheckpointInput = signed
    ? await rt.deviceKey.signNext({ resultId, contentHash, count: audit.seq, headHash: audit.hash })
    : {
        // The baseline writes the same row with the signature left out (never uploaded).
        suite: 'sha256+ed25519',
        deviceId: await rt.repos.meta.deviceId(),
        deviceSeq: await rt.repos.checkpoints.nextDeviceSeq(),
        signature: '',
      };
  await resultsRepo(db).finalize({
    result: {
      resultId,
      taskId: task.id,
      taskVersion: task.version,
      payload,
      contentHash,
      finalizedAt: payload.finishedAt,
    },
    op: {
      opId: `op-${crypto.randomUUID()}`,
      enterpriseName: task.enterprise.name,
      publicationDeadline: payload.publicationDeadline,
    },
    audit,
    checkpoint,
  });
  return resultId;
}

function engine(r: Rig, gate: boolean) {
  const rt = r.s.internals.runtime;
  const signing = pushSigning(rt);
  return createPushEngine({
    http: rt.http,
    outbox: rt.repos.outbox,
    results: rt.repos.results,
    deviceId: () => rt.repos.meta.deviceId(),
    random: () => 0,
    uploader: createTusUploader({
      baseUrl: rt.baseUrl,
      fetch: r.wire.fetch,
      tokens: rt.tokens,
      uploads: rt.repos.uploads,
      source: rt.repos.attachments,
      now: () => Date.now(),
    }),
    auditGate: () => rt.repos.audit.verify(),
    signing: gate ? signing : { ...signing, refused: () => Promise.resolve(new Map()) },
  });
}

async function drainAll(r: Rig, gate: boolean): Promise<number> {
  const e = engine(r, gate);
  const t0 = performance.now();
  for (let i = 0; i < 6; i += 1) {
    await outboxRepo(r.dbs.field).makeAllDue();
    await e.drain();
    const left = (await outboxRepo(r.dbs.field).list()).filter((o) => o.state === 'waiting' || o.state === 'uploading');
    if (left.length === 0) break;
  }
  return (performance.now() - t0) / 1000;
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const r = await rig({ publishDelayMs: 3_600_000 });
  try {
    const last = new Map<string, string>();
    // Signed and unsigned results on separate tasks: each task's chain of corrections stays whole
    // when the unsigned ones are removed below.
    const half = Math.floor(r.tasks.length / 2);
    const counts = { signed: 0, plain: 0 };
    const next = async (signed: boolean): Promise<number> => {
      const k = signed ? counts.signed++ : counts.plain++;
      const task = r.tasks[(k % half) + (signed ? 0 : half)]!;
      const t0 = performance.now();
      const id = await finalizeOnce(r, task, last.get(task.id) ?? null, signed);
      last.set(task.id, id);
      return performance.now() - t0;
    };
    await next(true); // the key is made and imported once, before timing
    const times = { signed: [] as number[], plain: [] as number[] };
    for (let i = 0; i < FINALIZES / 2; i += 1) {
      times.plain.push(await next(false));
      times.signed.push(await next(true));
    }
    // The unsigned baseline rows must never reach the platform: they go with their ops, and each
    // task's chain of corrections continues from its newest signed result.
    for (const cp of await r.dbs.field.checkpoints.toArray())
      if (cp.signature === '') {
        await r.dbs.field.outbox.where('resultId').equals(cp.resultId).delete();
        await r.dbs.field.results.delete(cp.resultId);
        await r.dbs.field.checkpoints.delete(cp.resultId);
      }
    last.clear();
    for (const row of (await r.dbs.field.results.toArray()).sort((a, b) => a.deviceSeq - b.deviceSeq))
      last.set(row.taskId, row.resultId);
    await drainAll(r, true); // the signed results of the finalize phase, untimed
    // Medians: the machine is shared, and a single stall would swing a mean.
    const finalizeMs = { signed: median(times.signed), plain: median(times.plain) };
    ctx.log(`finalize: ${finalizeMs.signed.toFixed(2)} ms signed, ${finalizeMs.plain.toFixed(2)} ms without`);

    // Two backlogs of the same size: one drained with the device's signature gate, one without.
    const drains = { gated: 0, plain: 0 };
    for (const gate of [true, false, true, false]) {
      for (let i = 0; i < BACKLOG / 2; i += 1) await next(true);
      const seconds = await drainAll(r, gate);
      const ops = await outboxRepo(r.dbs.field).list();
      const open = ops.filter((o) => o.state !== 'accepted' && o.state !== 'published');
      if (open.length > 0)
        throw new Error(
          `integrity bench: ${open.length} results not accepted: ${[...new Set(open.map((o) => `${o.state} ${o.lastError ?? ''}`))].join('; ')}`,
        );
      if (gate) drains.gated += seconds;
      else drains.plain += seconds;
    }
    ctx.log(
      `drain of ${BACKLOG} results: ${drains.gated.toFixed(2)} s with the check, ${drains.plain.toFixed(2)} s without`,
    );
    return {
      'integrity.finalize.signedMs': finalizeMs.signed,
      'integrity.finalize.plainMs': finalizeMs.plain,
      'integrity.finalize.ratio': finalizeMs.signed / finalizeMs.plain,
      'integrity.drain.signedSeconds': drains.gated,
      'integrity.drain.plainSeconds': drains.plain,
      'integrity.drain.ratio': drains.gated / drains.plain,
    };
  } finally {
    await r.stop();
  }
}
