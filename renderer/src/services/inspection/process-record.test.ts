/**
 * The whole inspection on the inspector's audit chain: each event appends its entry with the change
 * it records, in order, each entry chained to the one before, and an edited entry is named by the check.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../../shared/protocol/index.js';
import {
  auditRepo,
  docNumbersRepo,
  GENESIS_HASH,
  outboxRepo,
  referenceRepo,
  tasksRepo,
  type AuditRow,
} from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../../testing/builders.js';
import { signDraft, tinyPng } from '../../testing/inspection.testkit.js';
import type { Draft } from '../api.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
});
afterEach(() => disposeDatabases(dbs));

function passed(d: Draft): Draft {
  return {
    ...d,
    items: d.items.map((i) => ({ ...i, outcome: 'pass' })),
    resultCodes: ['NO_PROBLEM'],
    checkMethods: ['ON_SITE'],
    followUps: [],
  };
}

function receipt(resultId: string, state: Receipt['publication']['state']): Receipt {
  return {
    resultId,
    receivedAt: '2026-05-06T03:00:00Z',
    contentHash: 'a'.repeat(64),
    attachmentHashes: [],
    publication: { state, publishedAt: state === 'published' ? '2026-05-06T04:00:00Z' : null, deadline: '2026-06-02' },
    clockSkewFlagged: false,
  };
}

function expectChained(rows: readonly AuditRow[]): void {
  rows.forEach((row, i) => {
    expect(row.seq).toBe(i + 1);
    expect(row.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]?.hash);
    expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
  });
}

/** Photo kept, photo removed with a reason, signatures, finalize, a document issued and voided, upload, publication. */
async function wholeInspection() {
  const s = testServices(dbs);
  const draft = await s.inspection.openDraft('task-1');
  const kept = await s.inspection.addEvidence('task-1', tinyPng('kept'), 'photo', 'kept.png');
  const wrong = await s.inspection.addEvidence('task-1', tinyPng('wrong'), 'photo', 'wrong.png');
  expect(await s.inspection.removeEvidence(wrong.id, '  拍错了企业  ')).toEqual({ ok: true });
  await s.inspection.saveDraft(await signDraft(s.inspection, passed(draft)));
  const done = await s.inspection.finalize('task-1');
  if (!done.ok) throw new Error(JSON.stringify(done.problems));
  const numbers = docNumbersRepo(dbs.field);
  await numbers.addRequest({ requestId: 'req-1', docType: 'record', count: 5, requestedAt: '2026-05-06T00:00:00Z' });
  await numbers.applyReservation('req-1', { prefix: '鲁市监现记〔2026〕', from: 1, to: 5 });
  const taken = await numbers.take({
    docType: 'record',
    taskId: 'task-1',
    resultId: done.result.resultId,
    at: '2026-05-06T02:00:00Z',
  });
  await numbers.saveIssued({
    docId: `record:${taken.serial}`,
    docType: 'record',
    serial: taken.serial,
    docNo: taken.docNo,
    taskId: 'task-1',
    resultId: done.result.resultId,
    docHash: 'd'.repeat(64),
    verifyUrl: 'https://example.invalid/v',
    issuedAt: '2026-05-06T02:01:00Z',
    pdf: new Uint8Array([1, 2, 3]),
    bytes: 3,
  });
  await numbers.void('record', taken.serial, '当事人名称写错', '2026-05-06T02:02:00Z');
  const [op] = await outboxRepo(dbs.field).list();
  if (!op) throw new Error('finalize queued no op');
  await outboxRepo(dbs.field).acknowledge(op.opId, receipt(done.result.resultId, 'accepted'));
  // A repeated receipt with nothing new adds nothing; the publication adds one entry.
  await outboxRepo(dbs.field).acknowledge(op.opId, receipt(done.result.resultId, 'accepted'));
  await outboxRepo(dbs.field).acknowledge(op.opId, receipt(done.result.resultId, 'published'));
  return { s, kept, wrong, result: done.result, docNo: taken.docNo };
}

describe('执法过程记录 on the audit chain', () => {
  it('records each event of the inspection in order, chained, with what it is about', async () => {
    const { s, kept, wrong, result, docNo } = await wholeInspection();
    const chain = await auditRepo(dbs.field).list();
    expectChained(chain);
    expect(chain.map((r) => r.kind)).toEqual([
      'evidence.added',
      'evidence.added',
      'evidence.removed',
      ...(result.payload.signatures ?? []).map(() => 'signature.added'),
      'result.finalized',
      'document.issued',
      'document.voided',
      'result.uploaded',
      'result.published',
    ]);
    expect(chain[0]).toMatchObject({
      subjectId: kept.id,
      at: kept.capturedAt,
      detail: { taskId: 'task-1', sha256: kept.sha256, evidenceKind: 'photo', capturedAt: kept.capturedAt },
    });
    expect(chain[2]).toMatchObject({
      subjectId: wrong.id,
      detail: { sha256: wrong.sha256, reason: '拍错了企业', evidenceKind: 'photo' },
    });
    const signers = chain.filter((r) => r.kind === 'signature.added').map((r) => r.detail['signer']);
    expect(signers).toEqual(result.payload.signatures?.map((g) => g.slot));
    expect(signers.length).toBeGreaterThan(1);
    const [finalized, issued, voided, uploaded, published] = chain.slice(-5);
    expect(finalized).toMatchObject({ subjectId: result.resultId, detail: { contentHash: result.contentHash } });
    expect(issued).toMatchObject({ detail: { docNo, docHash: 'd'.repeat(64), docType: 'record' } });
    expect(voided).toMatchObject({ detail: { docNo, reason: '当事人名称写错' } });
    expect(uploaded).toMatchObject({ subjectId: result.resultId, detail: { receivedAt: '2026-05-06T03:00:00Z' } });
    expect(published).toMatchObject({ detail: { publishedAt: '2026-05-06T04:00:00Z' } });
    expect(await auditRepo(dbs.field).verify()).toBeNull();
    // The view's list: the same entries, all of them this task's.
    expect((await s.inspection.processRecord('task-1')).map((e) => e.seq)).toEqual(chain.map((r) => r.seq));
    expect(await s.inspection.processRecord('task-2')).toEqual([]);
  });

  it('an entry edited in the database is the one the check names', async () => {
    await wholeInspection();
    const removal = (await auditRepo(dbs.field).list()).find((r) => r.kind === 'evidence.removed');
    if (!removal) throw new Error('no removal entry');
    await dbs.field.audit.put({ ...removal, detail: { ...removal.detail, reason: '设备故障' } });
    expect(await auditRepo(dbs.field).verify()).toBe(removal.seq);
    const report = await testServices(dbs).integrity.check();
    expect(report).toMatchObject({ ok: false, brokenAt: removal.seq });
  });

  it('a removal without a valid reason is refused with a clear error and changes nothing', async () => {
    const s = testServices(dbs);
    const draft = await s.inspection.openDraft('task-1');
    const photo = await s.inspection.addEvidence('task-1', tinyPng('p'), 'photo', 'p.png');
    const before = await auditRepo(dbs.field).list();
    const blank = await s.inspection.removeEvidence(photo.id, '   ');
    expect(blank).toEqual({ ok: false, error: { kind: 'invalid-reason', message: '请填写删除原因' } });
    const long = await s.inspection.removeEvidence(photo.id, '因'.repeat(201));
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.message).toContain('不能超过 200 字');
    expect((await s.inspection.evidenceFor(draft.resultId)).map((f) => f.id)).toEqual([photo.id]);
    expect(await auditRepo(dbs.field).list()).toEqual(before);
  });
});
