/**
 * Faults the upload engine meets on the device's side, in Node against the in-process simulator:
 * an app killed mid-photo upload and restarted on the same IndexedDB, client timeouts, two sync
 * loops, token expiry, clock skew, cancelled/reassigned tasks, corrections after a lost ack, a reused
 * key, and tus offset/checksum errors. Each must end with the result stored exactly once upstream.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiptSchema } from '../../shared/protocol/index.js';
import { DEFAULT_CHUNK_SIZE } from '../../renderer/src/db/index.js';
import { metaRepo, outboxRepo, resultsRepo, uploadsRepoFor } from './db.js';
import { createHttpClient } from '../../renderer/src/platform/http.js';
import { createPushEngine, type LockLike } from '../../renderer/src/sync/push-engine.js';
import { pushSigning } from '../../renderer/src/services/storage/signed-checkpoints.js';
import { finalizeWith, opOf, requests, resign, rig, settle, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);

beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

/** An in-memory Web Locks stand-in: callbacks for the same name run one after another. */
function memoryLocks(): LockLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request: (_name, cb) => {
      const run = tail.then(cb, cb);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

describe('engine faults', () => {
  it('app killed mid-photo upload: on restart HEAD gives the offset, the upload resumes, the hash matches, no second upload resource', async () => {
    const { resultId, attachmentIds, opId } = await finalizeWith(r, task(), 1, 300 * 1024);
    await uploadsRepoFor(r).ensure(
      [{ attachmentId: attachmentIds[0]!, resultId, sha256: '', size: 300 * 1024, mime: 'image/jpeg' }],
      new Date().toISOString(),
    );
    await r.dbs.field.uploads.update(attachmentIds[0]!, { chunkSize: 64 * 1024 });
    let patches = 0;
    r.wire.tap = (method) => {
      if (method === 'PATCH' && ++patches === 3) throw new TypeError('app killed');
    };
    await r.s.internals.outbox.drain();
    r.wire.tap = null;
    const saved = await uploadsRepoFor(r).get(attachmentIds[0]!);
    expect(saved?.uploadUrl).toMatch(/\/v1\/uploads\//);
    // The creation POST carried the first chunk and two PATCHes the next two; the third PATCH died.
    expect(saved?.offset).toBe(192 * 1024);
    await r.restart();
    const mark = r.wire.log.length;
    await settle(r);
    // The restarted app first asks which tus extensions the platform offers (OPTIONS), then resumes.
    const after = r.wire.log.slice(mark).filter((l) => l.path.startsWith('/v1/uploads') && l.method !== 'OPTIONS');
    expect(after[0]?.method).toBe('HEAD');
    expect(after.filter((l) => l.method === 'POST')).toHaveLength(0);
    expect(after.find((l) => l.method === 'PATCH')?.headers['upload-offset']).toBe(String(192 * 1024));
    expect(requests(r, 'POST', /^\/v1\/uploads$/)).toBeGreaterThanOrEqual(1);
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
  });

  it('client timeout while the server still processes: IN_FLIGHT, then a 200 replay; exactly 1 result', async () => {
    const { resultId, opId } = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'delay', method: 'PUT', path: `^/v1/results/${resultId}$`, ms: 600 });
    const http = createHttpClient({
      baseUrl: () => r.platform.url,
      fetch: r.wire.fetch,
      timeoutMs: 200,
      tokens: r.s.internals.runtime.tokens,
    });
    const engine = createPushEngine({
      http,
      outbox: outboxRepo(r.dbs.field),
      results: resultsRepo(r.dbs.field),
      deviceId: () => metaRepo(r.dbs.field).deviceId(),
      random: () => 0,
      signing: pushSigning(r.s.internals.runtime),
    });
    await engine.drain();
    expect((await opOf(r, opId)).lastError).toMatch(/超时/);
    await outboxRepo(r.dbs.field).makeAllDue();
    await engine.drain();
    const statuses = r.wire.log.filter((l) => l.path === `/v1/results/${resultId}`).map((l) => l.status);
    expect(statuses).toContain(409);
    await new Promise((res) => setTimeout(res, 700));
    await outboxRepo(r.dbs.field).makeAllDue();
    await engine.drain();
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${resultId}`).at(-1)?.status).toBe(200);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
  });

  it('two sync loops at once (a second window, a double click): one request per op in flight, 1 result', async () => {
    const { resultId } = await finalizeWith(r, task());
    const locks = memoryLocks();
    const mk = () =>
      createPushEngine({
        http: r.s.internals.runtime.http,
        outbox: outboxRepo(r.dbs.field),
        results: resultsRepo(r.dbs.field),
        deviceId: () => metaRepo(r.dbs.field).deviceId(),
        locks,
        signing: pushSigning(r.s.internals.runtime),
      });
    const a = mk();
    const b = mk();
    await Promise.all([a.drain(), a.drain(), b.drain(), b.drain()]);
    expect(requests(r, 'PUT', new RegExp(`/v1/results/${resultId}$`))).toBe(1);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
  });

  it('token expiry mid-queue and the refresh fails: the queue pauses, no op dropped or re-keyed; it resumes after sign-in', async () => {
    const one = await finalizeWith(r, task());
    const two = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'expire-token', method: 'PUT', path: `^/v1/results/${one.resultId}$` });
    r.platform.admin.addFault({ kind: 'status', method: 'POST', path: '^/v1/auth/refresh$', status: 401 });
    await r.s.internals.outbox.drain();
    expect((await opOf(r, one.opId)).state).toBe('paused');
    expect((await opOf(r, two.opId)).state).toBe('paused');
    const login = r.platform.logins[0]!;
    expect((await r.s.auth.signIn(login.certNo, login.password)).ok).toBe(true);
    await outboxRepo(r.dbs.field).resumePaused();
    await settle(r);
    for (const x of [one, two]) {
      expect(r.platform.admin.counts(x.resultId).results).toBe(1);
      expect(
        new Set(
          r.wire.log.filter((l) => l.path === `/v1/results/${x.resultId}`).map((l) => l.headers['idempotency-key']),
        ),
      ).toEqual(new Set([x.opId]));
    }
  });

  it('client clock two days ahead: recordedAt is flagged, not rejected', async () => {
    r.skewMs = 2 * 24 * 3600_000;
    try {
      const { resultId } = await finalizeWith(r, task());
      await settle(r);
      const receipt = ReceiptSchema.parse((await resultsRepo(r.dbs.field).get(resultId))?.receipt);
      expect(receipt.clockSkewFlagged).toBe(true);
    } finally {
      r.skewMs = 0;
    }
  });

  it('task cancelled while offline: TASK_CANCELLED, held (not published), local copy kept as needs_review', async () => {
    const t = task();
    const { resultId, opId } = await finalizeWith(r, t, 1);
    r.platform.admin.cancelTask(t.id);
    await settle(r);
    r.platform.admin.publishNow();
    expect(r.platform.admin.counts(resultId)).toEqual({ results: 1, publications: 0 });
    const op = await opOf(r, opId);
    expect(op.state).toBe('needs_review');
    expect(op.lastError).toMatch(/撤销/);
    expect(await resultsRepo(r.dbs.field).get(resultId)).not.toBeNull();
    expect(await r.dbs.field.attachments.where('resultId').equals(resultId).count()).toBe(1);
  });

  it('task reassigned while offline: the pull marks it and keeps local results; upload gives TASK_REASSIGNED, needs_review', async () => {
    const t = task();
    const { resultId, opId } = await finalizeWith(r, t);
    r.platform.admin.reassignTask(t.id, r.platform.logins[0]!.inspectorId);
    await r.s.sync.start();
    expect((await r.dbs.field.tasks.get(t.id))?.mark).not.toBeNull();
    expect(await resultsRepo(r.dbs.field).get(resultId)).not.toBeNull();
    await settle(r);
    expect((await opOf(r, opId)).state).toBe('needs_review');
    expect((await r.s.outbox.list()).find((e) => e.opId === opId)?.setAsideCode).toBe('TASK_REASSIGNED');
    r.platform.admin.publishNow();
    expect(r.platform.admin.counts(resultId).publications).toBe(0);
  });

  it('a finalized result corrected after a lost ack: a new resultId that replaces it, never RESULT_CONFLICT', async () => {
    const { resultId, opId } = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'drop-after-commit', method: 'PUT', path: `^/v1/results/${resultId}$` });
    await r.s.internals.outbox.drain();
    await r.dbs.field.outbox.update(opId, { state: 'needs_review' });
    const corrected = await r.s.internals.outbox.resendAsCorrection(opId, '现场记录需更正');
    await settle(r);
    expect((await resultsRepo(r.dbs.field).get(corrected))?.payload.replaces).toBe(resultId);
    expect(r.platform.admin.counts(corrected).results).toBe(1);
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${corrected}`).map((l) => l.status)).toEqual([201]);
    expect((await r.s.outbox.list()).find((e) => e.opId === opId)?.review?.decision).toBe('correction');
  });

  it('same Idempotency-Key with a different payload: 422, op parked, the other results keep syncing', async () => {
    const bad = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'drop-after-commit', method: 'PUT', path: `^/v1/results/${bad.resultId}$` });
    await r.s.internals.outbox.drain();
    await r.dbs.field.results.update(bad.resultId, { deviceSeq: 99_999 });
    // Signed again by the device key, so the device's own check lets it go and the platform decides.
    await resign(r, bad.resultId);
    const good = await finalizeWith(r, task());
    await settle(r);
    expect((await opOf(r, bad.opId)).state).toBe('needs_review');
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${bad.resultId}`).at(-1)?.status).toBe(422);
    expect((await opOf(r, good.opId)).state).toMatch(/^(accepted|published)$/);
  });

  it('tus 409 offset mismatch and 460 checksum mismatch: the client HEADs and continues / re-sends; final hash verified', async () => {
    // Larger than one chunk: the first chunk rides on the creation POST, the rest needs a PATCH.
    const { resultId, opId } = await finalizeWith(r, task(), 2, DEFAULT_CHUNK_SIZE + 1024);
    r.platform.admin.addFault({ kind: 'status', method: 'PATCH', path: '^/v1/uploads/', status: 409 });
    r.platform.admin.addFault({ kind: 'status', method: 'PATCH', path: '^/v1/uploads/', status: 460 });
    await settle(r);
    const statuses = r.wire.log.filter((l) => l.path.startsWith('/v1/uploads/')).map((l) => `${l.method} ${l.status}`);
    expect(statuses).toContain('PATCH 409');
    expect(statuses).toContain('PATCH 460');
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
  });
});
