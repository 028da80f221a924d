import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import {
  auditRepo,
  openDatabases,
  outboxRepo,
  referenceRepo,
  sha256Hex,
  tasksRepo,
  closeDatabases,
} from '../../db/index.js';
import {
  disposeDatabases,
  freshDatabases,
  makeReference,
  makeTask,
  member,
  testServices,
} from '../../testing/builders.js';
import type { Draft } from '../api.js';
import { filledWithFinding, signDraft } from '../../testing/inspection.testkit.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
});
afterEach(() => disposeDatabases(dbs));

const filled = filledWithFinding;

async function complete(s: ReturnType<typeof testServices>, d: Draft): Promise<Draft> {
  return signDraft(s.inspection, filled(d));
}

describe('InspectionService', () => {
  it('opens a draft from the task items and saves changes', async () => {
    const s = testServices(dbs);
    const draft = await s.inspection.openDraft('task-1');
    expect(draft.items.map((i) => [i.itemCode, i.outcome])).toEqual([
      ['A01', 'unchecked'],
      ['A02', 'unchecked'],
    ]);
    expect(draft.inspectedOn).toBe('2026-05-06');
    await s.inspection.saveDraft({ ...draft, findings: '现场整洁' });
    expect((await s.inspection.openDraft('task-1')).findings).toBe('现场整洁');
    expect((await s.tasks.list())[0]?.localState).toBe('draft');
  });

  it('lists zh-CN problems with form paths', async () => {
    const task = makeTask(2, { team: [member(1, { certExpiry: '2026-01-31' })] });
    await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 2, task }], '2', 2, 'x');
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-2');
    await s.inspection.saveDraft({
      ...d,
      items: [d.items[0]!, { ...d.items[1]!, outcome: 'fail' }],
      resultCodes: ['NO_PROBLEM', 'CORRECTED'],
    });
    const r = await s.inspection.finalize('task-2');
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'items.0.outcome', message: '第 1 项「营业执照公示」尚未检查，请选择符合、不符合或不涉及' },
        { path: 'items.1.finding.description', message: '第 2 项「年度报告」为不符合，请填写发现的问题' },
        { path: 'resultCodes', message: '“未发现问题”不能与其他检查结果同时选择' },
        { path: 'checkMethods', message: '请至少选择一种核查方式' },
        { path: 'team', message: '检查人员不得少于两人（本任务仅 1 人）' },
        expect.objectContaining({ path: 'team.0', message: expect.stringContaining('执法证已于 2026-01-31 过期') }),
      ]),
    );
    expect(await outboxRepo(dbs.field).list()).toHaveLength(0);
  });

  it('an irregular USCC needs a note on the licence check, which the payload and its hash then carry', async () => {
    const bad = '91350203M0001QAY9B'; // the GB 32100 check character should be 9
    const base = makeTask(3);
    await tasksRepo(dbs.field).applyPage(
      [{ kind: 'upsert', seq: 3, task: { ...base, enterprise: { ...base.enterprise, uscc: bad } } }],
      '3',
      3,
      'x',
    );
    const s = testServices(dbs);
    await s.inspection.saveDraft(await complete(s, await s.inspection.openDraft('task-3')));
    const missing = await s.inspection.finalize('task-3');
    expect(missing.ok ? [] : missing.problems).toEqual([
      {
        path: 'usccNote',
        message: '本企业统一社会信用代码校验异常（第18位校验码应为“9”，实为“B”），请填写与营业执照原件核对的情况',
      },
    ]);
    await s.inspection.saveDraft({ ...(await s.inspection.openDraft('task-3')), usccNote: '核'.repeat(501) });
    const long = await s.inspection.finalize('task-3');
    expect(long.ok ? [] : long.problems).toEqual([{ path: 'usccNote', message: '营业执照核对说明不能超过 500 字' }]);
    await s.inspection.saveDraft({
      ...(await s.inspection.openDraft('task-3')),
      usccNote: '  与营业执照原件核对一致  ',
    });
    const r = await s.inspection.finalize('task-3');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.result.payload.usccCheck).toEqual({
      issue: '第18位校验码应为“9”，实为“B”',
      note: '与营业执照原件核对一致',
    });
    expect(r.result.contentHash).toBe(await sha256Hex(canonicalJson(r.result.payload)));
  });

  it('a regular USCC needs no note and the payload has no usccCheck', async () => {
    const s = testServices(dbs);
    await s.inspection.saveDraft(await complete(s, await s.inspection.openDraft('task-1')));
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.result.payload).not.toHaveProperty('usccCheck');
  });

  it('finalizes: result, outbox op and audit entry together; draft becomes read-only', async () => {
    const s = testServices(dbs);
    await s.inspection.saveDraft(await complete(s, await s.inspection.openDraft('task-1')));
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    // 20 working days after Wed 2026-05-06 on the reference calendar: Sat 05-09 is a 调休 workday, so 06-02 (not 06-03).
    expect(r.result.payload.publicationDeadline).toBe('2026-06-02');
    expect(r.result.contentHash).toBe(await sha256Hex(canonicalJson(r.result.payload)));
    const ops = await outboxRepo(dbs.field).list();
    expect(ops).toHaveLength(1);
    expect(ops[0]).toMatchObject({
      resultId: r.result.resultId,
      state: 'waiting',
      enterpriseName: '测试企业1有限公司',
    });
    const chain = await auditRepo(dbs.field).list();
    // The signatures captured while completing the form come first; finalize is the head.
    expect(chain.map((a) => a.kind)).toEqual([...chain.slice(0, -1).map(() => 'signature.added'), 'result.finalized']);
    expect(chain.at(-1)?.subjectId).toBe(r.result.resultId);
    await expect(s.inspection.saveDraft(await s.inspection.openDraft('task-1'))).rejects.toThrow('已定稿');
    const again = await s.inspection.finalize('task-1');
    expect(again.ok).toBe(false);
  });

  it('a crash before commit leaves none of result, op or audit entry, and the draft intact', async () => {
    const s = testServices(
      dbs,
      {},
      {
        beforeFinalizeCommit: () => {
          throw new Error('simulated crash');
        },
      },
    );
    const draft = await complete(s, await s.inspection.openDraft('task-1'));
    await s.inspection.saveDraft(draft);
    await expect(s.inspection.finalize('task-1')).rejects.toThrow('simulated crash');
    expect(await s.inspection.resultForTask('task-1')).toBeNull();
    expect(await outboxRepo(dbs.field).list()).toHaveLength(0);
    expect((await auditRepo(dbs.field).list()).filter((a) => a.kind === 'result.finalized')).toHaveLength(0);
    const kept = await s.inspection.openDraft('task-1');
    expect(kept.items[1]?.finding?.description).toBe('未按时年报');
  });

  it('the content hash is stable across a reload of the database', async () => {
    const s = testServices(dbs);
    await s.inspection.saveDraft(await complete(s, await s.inspection.openDraft('task-1')));
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error('finalize failed');
    closeDatabases(dbs);
    const reopened = openDatabases(dbs.prefix);
    const stored = await testServices({ ...reopened, prefix: dbs.prefix }).inspection.resultForTask('task-1');
    expect(stored?.contentHash).toBe(r.result.contentHash);
    expect(await sha256Hex(canonicalJson(stored?.payload))).toBe(r.result.contentHash);
    closeDatabases(reopened);
  });
});
