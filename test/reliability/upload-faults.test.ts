/**
 * Faults on the wire of the result upload (resets, lost acks, 5xx before and after commit, rate
 * limits, a blob lost after acceptance), in Node: the real simulator in-process with its fault
 * rules, the renderer's outbox on fake-indexeddb. Each must end with exactly one stored result.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxRepo } from '../../renderer/src/db/index.js';
import { finalizeWith, opOf, requests, rig, settle, taskPicker, type Rig } from './harness.js';

let r: Rig;
const task = taskPicker(() => r);

beforeAll(async () => {
  r = await rig();
}, 60_000);
afterAll(() => r.stop());

describe('result upload under wire faults', () => {
  it('TCP reset mid-body of PUT /results: nothing committed, the retry with the same key gives exactly 1 result', async () => {
    const { resultId, opId } = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'drop-mid-body', method: 'PUT', path: `^/v1/results/${resultId}$` });
    await r.s.internals.outbox.drain();
    expect(r.platform.admin.counts(resultId).results).toBe(0);
    expect((await opOf(r, opId)).state).toBe('waiting');
    await settle(r);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
    expect(
      new Set(r.wire.log.filter((l) => l.path === `/v1/results/${resultId}`).map((l) => l.headers['idempotency-key'])),
    ).toEqual(new Set([opId]));
    expect((await opOf(r, opId)).state).toMatch(/^(accepted|published)$/);
  });

  it('ack lost after commit: the retry is a 200 replay; 1 result, 1 publication; the client marks it acknowledged', async () => {
    const { resultId, opId } = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'drop-after-commit', method: 'PUT', path: `^/v1/results/${resultId}$` });
    await r.s.internals.outbox.drain();
    expect(r.platform.admin.counts(resultId).results).toBe(1);
    expect((await opOf(r, opId)).state).toBe('waiting');
    await settle(r);
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${resultId}`).map((l) => l.status)).toEqual(['error', 200]);
    r.platform.admin.publishNow();
    await r.s.outbox.pushNow();
    expect(r.platform.admin.counts(resultId)).toEqual({ results: 1, publications: 1 });
    expect((await opOf(r, opId)).state).toBe('published');
  });

  it('500 before commit then the retry succeeds once; 500 thrown after commit then the retry is a replay', async () => {
    const before = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'fail-before-commit', method: 'PUT', path: `^/v1/results/${before.resultId}$` });
    await r.s.internals.outbox.drain();
    expect(r.platform.admin.counts(before.resultId).results).toBe(0);
    await settle(r);
    expect(r.platform.admin.counts(before.resultId).results).toBe(1);

    const after = await finalizeWith(r, task());
    r.platform.admin.addFault({ kind: 'fail-after-commit', method: 'PUT', path: `^/v1/results/${after.resultId}$` });
    await r.s.internals.outbox.drain();
    expect(r.platform.admin.counts(after.resultId).results).toBe(1);
    await settle(r);
    expect(r.wire.log.filter((l) => l.path === `/v1/results/${after.resultId}`).map((l) => l.status)).toEqual([
      500, 200,
    ]);
    expect((await opOf(r, after.opId)).state).toMatch(/^(accepted|published)$/);
  });

  it('429/503 with Retry-After: the delay is honoured, no tight loop', async () => {
    const { resultId, opId } = await finalizeWith(r, task());
    r.platform.admin.addFault({
      kind: 'status',
      method: 'PUT',
      path: `^/v1/results/${resultId}$`,
      status: 429,
      retryAfter: 120,
    });
    await r.s.internals.outbox.drain();
    const op = await opOf(r, opId);
    expect(op.state).toBe('waiting');
    expect((op.nextAttemptAt ?? 0) - Date.now()).toBeGreaterThan(100_000);
    for (let i = 0; i < 5; i += 1) await r.s.internals.outbox.drain();
    expect(requests(r, 'PUT', new RegExp(`/v1/results/${resultId}$`))).toBe(1);
    r.platform.admin.addFault({
      kind: 'status',
      method: 'PUT',
      path: `^/v1/results/${resultId}$`,
      status: 503,
      retryAfter: 30,
    });
    await outboxRepo(r.dbs.field).makeAllDue();
    await r.s.internals.outbox.drain();
    expect(((await opOf(r, opId)).nextAttemptAt ?? 0) - Date.now()).toBeGreaterThan(20_000);
    await settle(r);
    expect(r.platform.admin.counts(resultId).results).toBe(1);
  });

  it('201 but an attachment blob is lost: publication blocked, the client re-uploads, 1 publication', async () => {
    const { resultId, opId, attachmentIds } = await finalizeWith(r, task(), 2);
    r.platform.admin.addFault({
      kind: 'lose-attachment-after-commit',
      method: 'PUT',
      path: `^/v1/results/${resultId}$`,
    });
    await r.s.internals.outbox.drain();
    r.platform.admin.publishNow();
    expect(r.platform.admin.counts(resultId)).toEqual({ results: 1, publications: 0 });
    await r.s.internals.outbox.engine.pollReceipts();
    expect((await opOf(r, opId)).state).toBe('waiting');
    const postsBefore = requests(r, 'POST', /^\/v1\/uploads$/);
    await settle(r);
    expect(requests(r, 'POST', /^\/v1\/uploads$/) - postsBefore).toBe(1);
    r.platform.admin.publishNow();
    await r.s.outbox.pushNow();
    expect(r.platform.admin.counts(resultId)).toEqual({ results: 1, publications: 1 });
    expect((await opOf(r, opId)).state).toBe('published');
    expect(attachmentIds).toHaveLength(2);
  });
});
