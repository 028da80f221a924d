/**
 * Review before publication on the device: an accepted result waiting for the reviewer shows 待审核;
 * a receipt that says 审核退回 sets the op aside with the reviewer's note (shown in the outbox and on
 * the task), offers no unchanged resend, and the correction finalized in the form closes that review.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../shared/protocol/index.js';
import { metaRepo, outboxRepo, referenceRepo, resultsRepo, tasksRepo } from '../db/index.js';
import type { HttpClient, HttpResult } from '../platform/http.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../testing/builders.js';
import { signDraft } from '../testing/inspection.testkit.js';
import { canResendAsCorrection, stateLabel } from '../features/outbox/outbox-text.js';
import { storedSigning } from '../testing/stored-signing.js';
import { createPushEngine } from './push-engine.js';
import { evidenceDeletable } from './push-retention.js';

let dbs: ReturnType<typeof freshDatabases>;
let answers: ((path: string) => HttpResult<unknown>)[] = [];
const fakeHttp: HttpClient = {
  async request(spec) {
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request ${spec.method} ${spec.path}`);
    return next(spec.path) as never;
  },
};

const answer =
  (state: Receipt['publication']['state'], note?: string) =>
  (path: string): HttpResult<unknown> => {
    const receipt: Receipt = {
      resultId: decodeURIComponent(path.split('/')[3] ?? ''),
      receivedAt: '2026-05-06T03:00:00Z',
      contentHash: 'a'.repeat(64),
      attachmentHashes: [],
      publication: { state, publishedAt: null, deadline: '2026-06-02' },
      clockSkewFlagged: false,
      ...(note ? { review: { note, reviewedAt: '2026-05-07T01:00:00Z' } } : {}),
    };
    return { ok: true, notModified: false, status: 200, etag: null, serverDate: null, value: receipt };
  };

beforeEach(() => {
  dbs = freshDatabases();
  answers = [];
});
afterEach(() => disposeDatabases(dbs));

describe('审核 on the device', () => {
  it('待审核, then 审核退回 with the note, then the correction closes the returned review', async () => {
    await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
    await referenceRepo(dbs.cache).put(makeReference({ reviewBeforePublication: true }), null, 'x');
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    await s.inspection.saveDraft(
      await signDraft(s.inspection, {
        ...d,
        items: d.items.map((i) => ({ ...i, outcome: 'pass' })),
        resultCodes: ['NO_PROBLEM'],
        checkMethods: ['ON_SITE'],
      }),
    );
    const first = await s.inspection.finalize('task-1');
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const engine = createPushEngine({
      http: fakeHttp,
      outbox: outboxRepo(dbs.field),
      results: resultsRepo(dbs.field),
      deviceId: () => metaRepo(dbs.field).deviceId(),
      signing: storedSigning(dbs.field),
      now: () => 1_000_000,
      random: () => 0.5,
    });

    answers = [answer('under_review')];
    await engine.drain();
    const waiting = (await s.outbox.list())[0]!;
    expect(waiting).toMatchObject({ state: 'accepted', underReview: true });
    expect(stateLabel(waiting)).toBe('已接收，待审核');

    answers = [answer('returned', '现场照片缺失，请补充')];
    await engine.pollReceipts();
    const returned = (await s.outbox.list())[0]!;
    expect(returned).toMatchObject({ state: 'needs_review', setAsideCode: 'REVIEW_RETURNED', review: null });
    expect(returned.lastError).toBe('审核退回：现场照片缺失，请补充');
    expect(stateLabel(returned)).toBe('审核退回');
    expect(canResendAsCorrection(returned.setAsideCode)).toBe(false);
    const onTask = await s.inspection.resultForTask('task-1');
    expect(onTask?.receipt?.review?.note).toBe('现场照片缺失，请补充');
    // Its evidence is kept whatever its age: the correction is still to come.
    const receipt = { ...onTask!.receipt!, attachmentHashes: [{ id: 'a-1', sha256: 'b'.repeat(64) }] };
    expect(
      evidenceDeletable({ attachment: { id: 'a-1', sha256: 'b'.repeat(64) }, receipt, now: new Date('2027-12-01') }),
    ).toEqual({ deletable: false, reason: '结果被审核退回，待更正' });

    // The normal correction flow, in the form: the correction names the returned result.
    const fix = await s.inspection.startCorrection('task-1');
    expect(fix.replaces).toBe(first.result.resultId);
    await s.inspection.saveDraft(await signDraft(s.inspection, { ...fix, findings: '已补充现场照片' }));
    const second = await s.inspection.finalize('task-1');
    if (!second.ok) throw new Error(JSON.stringify(second.problems));
    const list = await s.outbox.list();
    const old = list.find((e) => e.resultId === first.result.resultId)!;
    expect(old.review).toMatchObject({ decision: 'correction', correctionResultId: second.result.resultId });
    expect(list.find((e) => e.resultId === second.result.resultId)).toMatchObject({
      state: 'waiting',
      replaces: first.result.resultId,
    });
  });
});
