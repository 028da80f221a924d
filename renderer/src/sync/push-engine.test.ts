import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../shared/protocol/index.js';
import { checkpointsRepo, metaRepo, outboxRepo, resultsRepo } from '../db/index.js';
import {
  createHttpClient,
  type HttpClient,
  type HttpError,
  type HttpResult,
  type RequestSpec,
} from '../platform/http.js';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { backoffDelay, MAX_BACKOFF_MS } from './push-answers.js';
import { createPushEngine, type PushEngine } from './push-engine.js';
import type { PushSigning } from './push-signing.js';
import { finalizePassingTasks } from '../testing/inspection.testkit.js';

let dbs: ReturnType<typeof freshDatabases>;
let clock = 1_000_000;
const sent: { path: string; key: string | undefined; method: string }[] = [];
let answers: ((spec: RequestSpec<never>) => HttpResult<unknown>)[] = [];

const fakeHttp: HttpClient = {
  async request(spec) {
    sent.push({ path: spec.path, key: spec.idempotencyKey, method: spec.method });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${spec.method} ${spec.path}`);
    return next(spec as RequestSpec<never>) as never;
  },
};

function receipt(resultId: string, state: Receipt['publication']['state'] = 'accepted'): Receipt {
  return {
    resultId,
    receivedAt: '2026-05-06T03:00:00Z',
    contentHash: 'a'.repeat(64),
    attachmentHashes: [],
    publication: { state, publishedAt: state === 'published' ? '2026-05-06T04:00:00Z' : null, deadline: '2026-06-02' },
    clockSkewFlagged: false,
  };
}
const ok =
  (state: Receipt['publication']['state'] = 'accepted') =>
  (spec: RequestSpec<never>): HttpResult<unknown> => ({
    ok: true,
    notModified: false,
    status: 201,
    etag: null,
    serverDate: null,
    value: receipt(decodeURIComponent(spec.path.split('/')[3] ?? ''), state),
  });
const fail = (error: HttpError) => (): HttpResult<unknown> => ({ ok: false, error });
const http = (
  status: number,
  code: Extract<HttpError, { kind: 'http' }>['code'] = null,
  retryAfterMs: number | null = null,
): HttpError => ({
  kind: 'http',
  status,
  code,
  message: `m${status}`,
  retryAfterMs,
  serverDate: null,
  missing: [],
});

const finalizeTasks = (n: number): Promise<string[]> => finalizePassingTasks(dbs, n);

/** Registrations the engine asked for (force flag each time). */
const registrations: boolean[] = [];
/** The device key as the engine sees it: the stored signatures, a registration that answers dk-test. */
function signing(): PushSigning {
  return {
    signature: async (resultId) => (await checkpointsRepo(dbs.field).get(resultId))?.signature ?? null,
    registered: (force) => {
      registrations.push(force);
      return Promise.resolve({ ok: true, keyId: 'dk-test' });
    },
    refused: () => Promise.resolve(new Map()),
  };
}

function engine(random = () => 0.5): PushEngine {
  return createPushEngine({
    http: fakeHttp,
    outbox: outboxRepo(dbs.field),
    results: resultsRepo(dbs.field),
    deviceId: () => metaRepo(dbs.field).deviceId(),
    now: () => clock,
    random,
    signing: signing(),
  });
}
const states = async () => (await outboxRepo(dbs.field).list()).map((o) => o.state);

beforeEach(() => {
  dbs = freshDatabases();
  clock = 1_000_000;
  sent.length = 0;
  registrations.length = 0;
  answers = [];
});
afterEach(() => disposeDatabases(dbs));

describe('push engine', () => {
  it('201 stores the receipt with the stored key; a later receipt poll marks published', async () => {
    const [id] = await finalizeTasks(1);
    const op = (await outboxRepo(dbs.field).list())[0]!;
    answers = [ok()];
    expect((await engine().drain()).accepted).toBe(1);
    expect(sent[0]).toEqual({ method: 'PUT', path: `/v1/results/${id}`, key: op.opId });
    expect(await states()).toEqual(['accepted']);
    expect((await resultsRepo(dbs.field).get(id!))?.receipt?.publication.state).toBe('accepted');
    answers = [ok('published')];
    expect(await engine().pollReceipts()).toBe(1);
    expect(sent[1]?.path).toBe(`/v1/results/${id}/receipt`);
    expect(await states()).toEqual(['published']);
  });

  it('a 404 on the receipt poll of an accepted result sends it again with the same key', async () => {
    const [id] = await finalizeTasks(1);
    const op = (await outboxRepo(dbs.field).list())[0]!;
    answers = [ok()];
    await engine().drain();
    answers = [fail(http(404, 'NOT_FOUND'))];
    expect(await engine().pollReceipts()).toBe(0);
    expect(await states()).toEqual(['waiting']);
    answers = [ok()];
    expect((await engine().drain()).accepted).toBe(1);
    expect(sent.map((s) => [s.method, s.path, s.key])).toEqual([
      ['PUT', `/v1/results/${id}`, op.opId],
      ['GET', `/v1/results/${id}/receipt`, undefined],
      ['PUT', `/v1/results/${id}`, op.opId],
    ]);
    expect(await states()).toEqual(['accepted']);
  });

  it('403 NOT_YOUR_UPLOAD sets that result aside with the reason; the queue is not paused', async () => {
    await finalizeTasks(2);
    answers = [fail({ ...http(403, 'NOT_YOUR_UPLOAD'), message: '附件 a-1 是其他检查人员或其他结果上传的' }), ok()];
    expect(await engine().drain()).toMatchObject({ review: 1, accepted: 1, paused: false });
    const first = (await outboxRepo(dbs.field).list())[0]!;
    expect(first.state).toBe('needs_review');
    expect(first.lastError).toContain('附件 a-1');
  });

  it.each([
    ['RESULT_CONFLICT', 409, '内容不同'],
    ['TASK_CANCELLED', 409, '被撤销'],
    ['TASK_REASSIGNED', 409, '改派'],
    [null, 422, '平台拒收'],
    ['NOT_YOUR_TASK', 403, '不属于当前登录的检查人员'],
    ['FORBIDDEN', 403, '平台拒绝了本结果'],
  ] as const)('%s/%i sets the op aside for review and the next op still goes', async (code, status, reason) => {
    await finalizeTasks(2);
    answers = [fail(http(status, code)), ok()];
    const report = await engine().drain();
    expect(report).toMatchObject({ review: 1, accepted: 1 });
    const [first] = await outboxRepo(dbs.field).list();
    expect(first).toMatchObject({ state: 'needs_review' });
    expect(first?.lastError).toContain(reason);
    expect(first?.advice).toContain('本地记录已完整保留');
    expect(await states()).toEqual(['needs_review', 'accepted']);
  });

  it.each([
    ['IN_FLIGHT', 409],
    ['ATTACHMENTS_MISSING', 409],
    ['INTERNAL', 500],
  ] as const)('%s/%i retries later with the same key after a full-jitter backoff', async (code, status) => {
    await finalizeTasks(1);
    const op = (await outboxRepo(dbs.field).list())[0]!;
    answers = [fail(http(status, code))];
    await engine(() => 0.5).drain();
    const after = (await outboxRepo(dbs.field).get(op.opId))!;
    expect(after.state).toBe('waiting');
    expect(after.nextAttemptAt).toBe(clock + 500); // random 0.5 × min(5 min, 1 s × 2^0)
    expect((await engine().drain()).sent).toBe(0); // not due yet: no request
    clock += 500;
    answers = [ok()];
    await engine().drain();
    expect(sent.map((s) => s.key)).toEqual([op.opId, op.opId]);
    expect(await states()).toEqual(['accepted']);
  });

  it('sends each result with its stored checkpoint signature and the registered keyId', async () => {
    const [id] = await finalizeTasks(1);
    const bodies: unknown[] = [];
    answers = [
      (spec) => {
        bodies.push(spec.body);
        return ok()(spec);
      },
    ];
    await engine().drain();
    const cp = await checkpointsRepo(dbs.field).get(id!);
    expect(cp?.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(bodies[0]).toMatchObject({ auditCheckpoint: { keyId: 'dk-test', signature: cp!.signature } });
    expect(registrations).toEqual([false]);
  });

  it('403 DEVICE_KEY_UNREGISTERED registers the key again and resends once with the same key', async () => {
    await finalizeTasks(1);
    const [op] = await outboxRepo(dbs.field).list();
    answers = [fail(http(403, 'DEVICE_KEY_UNREGISTERED')), ok()];
    await engine().drain();
    expect(registrations).toEqual([false, true]);
    expect(sent.map((x) => x.key)).toEqual([op!.opId, op!.opId]);
    expect(await states()).toEqual(['accepted']);
  });

  it('a second DEVICE_KEY_UNREGISTERED after registering again sets the result aside: no loop', async () => {
    await finalizeTasks(1);
    const [op] = await outboxRepo(dbs.field).list();
    answers = [fail(http(403, 'DEVICE_KEY_UNREGISTERED')), fail(http(403, 'DEVICE_KEY_UNREGISTERED'))];
    expect(await engine().drain()).toMatchObject({ review: 1, paused: false });
    expect(sent.map((x) => x.key)).toEqual([op!.opId, op!.opId]);
    const aside = (await outboxRepo(dbs.field).get(op!.opId))!;
    expect(aside.state).toBe('needs_review');
    expect(aside.lastError).toContain('设备密钥');
    expect((await outboxRepo(dbs.field).setAsideInfo(op!.opId))?.code).toBe('DEVICE_KEY_UNREGISTERED');
  });

  it('a registration refused with 409 DEVICE_KEY_EXISTS sets the result aside unsent', async () => {
    await finalizeTasks(1);
    const refusing = createPushEngine({
      http: fakeHttp,
      outbox: outboxRepo(dbs.field),
      results: resultsRepo(dbs.field),
      deviceId: () => metaRepo(dbs.field).deviceId(),
      now: () => clock,
      signing: {
        ...signing(),
        registered: () => Promise.resolve({ ok: false, error: http(409, 'DEVICE_KEY_EXISTS') }),
      },
    });
    expect(await refusing.drain()).toMatchObject({ review: 1, accepted: 0 });
    const [op] = await outboxRepo(dbs.field).list();
    expect(op?.state).toBe('needs_review');
    expect(op?.lastError).toContain('与平台为本设备登记的密钥不一致');
    expect(sent).toHaveLength(0);
  });

  it('422 SIGNATURE_INVALID sets that result aside with a zh-CN reason; the next result still goes', async () => {
    await finalizeTasks(2);
    answers = [fail(http(422, 'SIGNATURE_INVALID')), ok()];
    expect(await engine().drain()).toMatchObject({ review: 1, accepted: 1, paused: false });
    const [first] = await outboxRepo(dbs.field).list();
    expect(first?.state).toBe('needs_review');
    expect(first?.lastError).toMatch(/设备签名未通过.*平台拒收/);
    expect((await outboxRepo(dbs.field).setAsideInfo(first!.opId))?.code).toBe('SIGNATURE_INVALID');
  });

  it('a result the signing gate refuses is paused with the reason and never sent', async () => {
    const [a] = await finalizeTasks(2);
    answers = [ok()];
    const gated = createPushEngine({
      http: fakeHttp,
      outbox: outboxRepo(dbs.field),
      results: resultsRepo(dbs.field),
      deviceId: () => metaRepo(dbs.field).deviceId(),
      now: () => clock,
      signing: { ...signing(), refused: () => Promise.resolve(new Map([[a!, '内容与签名时不一致']])) },
    });
    expect(await gated.drain()).toMatchObject({ accepted: 1, paused: true });
    const paused = (await outboxRepo(dbs.field).list()).find((o) => o.resultId === a)!;
    expect(paused.state).toBe('paused');
    expect(paused.lastError).toContain('设备签名校验失败（内容与签名时不一致）');
    expect(sent.map((x) => x.path)).not.toContain(`/v1/results/${a}`);
  });

  it('network errors and timeouts back off and stop the drain (the ops behind wait)', async () => {
    await finalizeTasks(2);
    answers = [fail({ kind: 'timeout', message: 't' })];
    const report = await engine().drain();
    expect(report.sent).toBe(1);
    expect(await states()).toEqual(['waiting', 'waiting']);
  });

  it('429/503 honour Retry-After exactly', async () => {
    await finalizeTasks(1);
    answers = [fail(http(429, 'RATE_LIMITED', 7000))];
    await engine().drain();
    const op = (await outboxRepo(dbs.field).list())[0]!;
    expect(op.nextAttemptAt).toBe(clock + 7000);
    clock += 6999;
    expect((await engine().drain()).sent).toBe(0);
    clock += 1;
    answers = [fail(http(503, 'UNAVAILABLE', 2000))];
    await engine().drain();
    expect((await outboxRepo(dbs.field).list())[0]?.nextAttemptAt).toBe(clock + 2000);
    expect(sent).toHaveLength(2);
  });

  it('Retry-After on the wire (seconds) holds every request back until it has passed, then the same key goes', async () => {
    const [id] = await finalizeTasks(1);
    const op = (await outboxRepo(dbs.field).list())[0]!;
    const wire: { key: string | null; at: number }[] = [];
    const replies = [
      () =>
        new Response(JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'slow down' } }), {
          status: 429,
          headers: { 'Retry-After': '7', 'content-type': 'application/json' },
        }),
      () =>
        new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }), {
          status: 503,
          headers: { 'Retry-After': '2', 'content-type': 'application/json' },
        }),
      () =>
        new Response(JSON.stringify(receipt(id!)), { status: 201, headers: { 'content-type': 'application/json' } }),
    ];
    const onWire: typeof fetch = async (_input, init) => {
      wire.push({ key: new Headers(init?.headers).get('idempotency-key'), at: clock });
      const reply = replies.shift();
      if (!reply) throw new Error('more requests than the platform answered');
      return reply();
    };
    const pusher = createPushEngine({
      http: createHttpClient({ baseUrl: () => 'http://platform.invalid', fetch: onWire }),
      outbox: outboxRepo(dbs.field),
      results: resultsRepo(dbs.field),
      deviceId: () => metaRepo(dbs.field).deviceId(),
      now: () => clock,
      random: () => 0,
      signing: signing(),
    });
    await pusher.drain();
    // Time passes in steps short of the 7 s the platform asked for: a drain at each sends nothing.
    for (const step of [1000, 3000, 2999]) {
      clock += step;
      await pusher.drain();
    }
    expect(wire).toHaveLength(1);
    clock += 1;
    await pusher.drain();
    expect(wire).toHaveLength(2);
    clock += 1999;
    await pusher.drain();
    expect(wire).toHaveLength(2);
    clock += 1;
    await pusher.drain();
    expect(wire.map((w) => w.at - 1_000_000)).toEqual([0, 7000, 9000]);
    expect(new Set(wire.map((w) => w.key))).toEqual(new Set([op.opId]));
    expect(await states()).toEqual(['accepted']);
  });

  it('a refused session (refresh failed) pauses the whole queue and keeps every op and key', async () => {
    await finalizeTasks(2);
    const before = (await outboxRepo(dbs.field).list()).map((o) => o.opId);
    answers = [fail({ kind: 'session-expired', message: 'x' })];
    expect((await engine().drain()).paused).toBe(true);
    expect(await states()).toEqual(['paused', 'paused']);
    expect((await outboxRepo(dbs.field).list()).map((o) => o.opId)).toEqual(before);
    expect(await outboxRepo(dbs.field).resumePaused()).toBe(2);
    answers = [ok(), ok()];
    await engine().drain();
    expect(await states()).toEqual(['accepted', 'accepted']);
  });

  it.each([
    ['DEVICE_REVOKED', '联网登录'],
    ['REAUTH_REQUIRED', '重新登录'],
  ] as const)('403 %s pauses the queue: no other result would go through either', async (code, advice) => {
    await finalizeTasks(1);
    answers = [fail(http(403, code))];
    await engine().drain();
    expect((await outboxRepo(dbs.field).list())[0]).toMatchObject({
      state: 'paused',
      advice: expect.stringContaining(advice),
    });
  });

  it('is single-flight: concurrent drains send each op once', async () => {
    await finalizeTasks(1);
    answers = [ok()];
    const e = engine();
    const [a, b] = await Promise.all([e.drain(), e.drain()]);
    expect(a).toBe(b);
    expect(sent).toHaveLength(1);
  });
});

describe('backoffDelay', () => {
  it('is random(0, min(5 min, 1 s × 2^n))', () => {
    expect(backoffDelay(0, () => 0.999)).toBe(999);
    expect(backoffDelay(3, () => 0.5)).toBe(4000);
    expect(backoffDelay(30, () => 0.999)).toBe(Math.floor(0.999 * MAX_BACKOFF_MS));
    expect(backoffDelay(5, () => 0)).toBe(0);
  });
});
