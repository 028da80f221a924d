/**
 * A 复查 is filed on the follow-up task the platform makes only when it accepts the original result:
 * sent first, it would be refused for good. The push engine holds it back (unsent, still waiting)
 * until the original, finalized on this device, has its receipt.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { followUpTaskId } from '../../../shared/domain/follow-up.js';
import type { Receipt } from '../../../shared/protocol/index.js';
import { metaRepo, outboxRepo, referenceRepo, resultsRepo, tasksRepo } from '../db/index.js';
import type { HttpClient, HttpResult } from '../platform/http.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../testing/builders.js';
import { signDraft } from '../testing/inspection.testkit.js';
import { storedSigning } from '../testing/stored-signing.js';
import { createPushEngine } from './push-engine.js';

let dbs: ReturnType<typeof freshDatabases>;
const sent: string[] = [];
let answers: ((path: string) => HttpResult<unknown>)[] = [];

const fakeHttp: HttpClient = {
  async request(spec) {
    sent.push(spec.path);
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${spec.method} ${spec.path}`);
    return next(spec.path) as never;
  },
};

const accepted = (path: string): HttpResult<unknown> => {
  const receipt: Receipt = {
    resultId: decodeURIComponent(path.split('/')[3] ?? ''),
    receivedAt: '2026-05-06T03:00:00Z',
    contentHash: 'a'.repeat(64),
    attachmentHashes: [],
    publication: { state: 'accepted', publishedAt: null, deadline: '2026-06-02' },
    clockSkewFlagged: false,
  };
  return { ok: true, notModified: false, status: 201, etag: null, serverDate: null, value: receipt };
};
/** A 500 is retried without stopping the drain: the ops behind it would go on. */
const failed = (): HttpResult<unknown> => ({
  ok: false,
  error: { kind: 'http', status: 500, code: null, message: 'oops', retryAfterMs: null, serverDate: null, missing: [] },
});

beforeEach(() => {
  dbs = freshDatabases();
  sent.length = 0;
  answers = [];
});
afterEach(() => disposeDatabases(dbs));

/** Finalizes a result with a 责令改正 finding, then its 复查, both offline. Returns both result ids. */
async function originalAndRecheck(): Promise<{ original: string; recheck: string }> {
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), null, 'x');
  const s = testServices(dbs);
  const d = await s.inspection.openDraft('task-1');
  const finding = {
    description: '未按时年报',
    legalBasis: '条例',
    severity: 'general' as const,
    handling: 'rectify' as const,
    rectifyDeadline: '2026-06-01',
    lenient: null,
  };
  await s.inspection.saveDraft(
    await signDraft(s.inspection, {
      ...d,
      items: d.items.map((i, n) => (n === 0 ? { ...i, outcome: 'pass' } : { ...i, outcome: 'fail', finding })),
      resultCodes: ['CORRECTED'],
      checkMethods: ['ON_SITE'],
    }),
  );
  const first = await s.inspection.finalize('task-1');
  if (!first.ok) throw new Error(JSON.stringify(first.problems));
  const fuId = followUpTaskId(first.result.resultId);
  const f = await s.inspection.openDraft(fuId);
  await s.inspection.saveDraft(
    await signDraft(s.inspection, {
      ...f,
      items: f.items.map((i) => ({ ...i, outcome: 'pass' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
    }),
  );
  const second = await s.inspection.finalize(fuId);
  if (!second.ok) throw new Error(JSON.stringify(second.problems));
  return { original: first.result.resultId, recheck: second.result.resultId };
}

describe('push order of a 复查', () => {
  it('waits unsent while its original has no receipt, and goes right after the original is accepted', async () => {
    const { original, recheck } = await originalAndRecheck();
    let clock = 1_000_000;
    const engine = createPushEngine({
      http: fakeHttp,
      outbox: outboxRepo(dbs.field),
      results: resultsRepo(dbs.field),
      deviceId: () => metaRepo(dbs.field).deviceId(),
      signing: storedSigning(dbs.field),
      now: () => clock,
      random: () => 0.5,
    });
    answers = [failed];
    await engine.drain();
    expect(sent).toEqual([`/v1/results/${original}`]);
    expect((await outboxRepo(dbs.field).list()).map((o) => o.state)).toEqual(['waiting', 'waiting']);

    clock += 60_000;
    answers = [accepted, accepted];
    await engine.drain();
    expect(sent.slice(1)).toEqual([`/v1/results/${original}`, `/v1/results/${recheck}`]);
    expect((await outboxRepo(dbs.field).list()).map((o) => o.state)).toEqual(['accepted', 'accepted']);
  });
});
