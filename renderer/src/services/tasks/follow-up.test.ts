/**
 * 复查 on the device: finalizing a result with a 责令改正 finding makes the follow-up task at once,
 * offline, under the id the platform will use (its copy from the feed merges, never duplicates); the
 * list reminds before the deadline and shows it overdue after; the 复查 result names the original
 * and each finding's state; a 指令书's clock starts from the rectification report the inspector records.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFollowUpTask } from '../../../../shared/domain/follow-up-task.js';
import { followUpTaskId } from '../../../../shared/domain/follow-up.js';
import type { Task } from '../../../../shared/protocol/index.js';
import { referenceRepo, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../../testing/builders.js';
import { signDraft } from '../../testing/inspection.testkit.js';
import type { Draft } from '../api.js';

let dbs: ReturnType<typeof freshDatabases>;
// Holidays 05-01, 05-04, 05-05 (May Day) and a made-up 05-12/05-13 closure; Sat 05-09 is a make-up working day.
const reference = makeReference({
  calendar: {
    holidays: ['2026-05-01', '2026-05-04', '2026-05-05', '2026-05-12', '2026-05-13'],
    workdays: ['2026-05-09'],
  },
});
beforeEach(async () => {
  dbs = freshDatabases();
  await referenceRepo(dbs.cache).put(reference, '"e1"', 'x');
});
afterEach(() => disposeDatabases(dbs));

const at = (day: string) => () => new Date(`${day}T02:00:00Z`);

function rectifyA02(d: Draft, deadline: string): Draft {
  return {
    ...d,
    items: d.items.map((i) =>
      i.itemCode === 'A01'
        ? { ...i, outcome: 'pass' }
        : {
            ...i,
            outcome: 'fail',
            finding: {
              description: '未按时年报',
              legalBasis: '条例',
              severity: 'general',
              handling: 'rectify',
              rectifyDeadline: deadline,
              lenient: null,
            },
          },
    ),
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: ['ORDER_CORRECTION'],
  };
}

async function finalizeOriginal(task: Task, deadline: string): Promise<string> {
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task }], '1', 1, 'x');
  const s = testServices(dbs);
  const d = await s.inspection.openDraft(task.id);
  await s.inspection.saveDraft(await signDraft(s.inspection, rectifyA02(d, deadline)));
  const r = await s.inspection.finalize(task.id);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.result.resultId;
}

describe('follow-up (复查) tasks on the device', () => {
  it('exist offline right after finalize and merge with the platform copy instead of duplicating', async () => {
    const resultId = await finalizeOriginal(makeTask(1), '2026-06-01');
    const s = testServices(dbs);
    const list = await s.tasks.list();
    const fu = list.find((t) => t.id === followUpTaskId(resultId));
    expect(fu).toMatchObject({
      enterpriseUscc: makeTask(1).enterprise.uscc,
      dueDate: '2026-06-01',
      localState: 'new',
      followUp: { kind: 'rectify', state: 'scheduled', deadline: '2026-06-01', originalResultId: resultId },
    });
    expect((await s.tasks.get(fu!.id))?.items.map((i) => i.code)).toEqual(['A02']);

    // The platform made the same task on accepting the result: the feed brings it, nothing doubles.
    const stored = (await s.inspection.resultForTask('task-1'))!;
    const platformCopy = buildFollowUpTask(makeTask(1), stored.payload, reference.calendar)!;
    await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 7, task: platformCopy }], '7', 2, 'y');
    expect((await s.tasks.list()).map((t) => t.id).sort()).toEqual([fu!.id, 'task-1'].sort());
  });

  it('reminds three working days before the deadline and is overdue after it', async () => {
    const resultId = await finalizeOriginal(makeTask(1), '2026-06-01');
    const id = followUpTaskId(resultId);
    const state = async (day: string) => (await testServices(dbs, { now: at(day) }).tasks.followUpSummary(id))?.state;
    expect(await state('2026-05-26')).toBe('scheduled'); // Tue: 27, 28, 29, Mon 06-01 = 4 left
    expect(await state('2026-05-27')).toBe('remind');
    expect(await state('2026-06-01')).toBe('due-today');
    expect(await state('2026-06-02')).toBe('overdue');
  });

  it('the 复查 result names the original and what became of each finding; it starts no further follow-up', async () => {
    const resultId = await finalizeOriginal(makeTask(1), '2026-06-01');
    const id = followUpTaskId(resultId);
    const s = testServices(dbs, { now: at('2026-05-20') });
    const d = await s.inspection.openDraft(id);
    expect(d.items.map((i) => i.itemCode)).toEqual(['A02']);
    const base = { ...d, resultCodes: ['CORRECTED' as const], checkMethods: ['ON_SITE' as const] };
    await s.inspection.saveDraft(
      await signDraft(s.inspection, { ...base, items: [{ ...d.items[0]!, outcome: 'na' }] }),
    );
    const refused = await s.inspection.finalize(id);
    expect(refused.ok ? [] : refused.problems.map((p) => p.message)).toContain(
      '第 1 项是需复查的原发现问题，请选择符合（已改正）或不符合',
    );
    const again = await s.inspection.openDraft(id);
    await s.inspection.saveDraft({ ...again, items: [{ ...again.items[0]!, outcome: 'pass', note: '已补报' }] });
    const r = await s.inspection.finalize(id);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.result.payload.followUpOf).toEqual({
      resultId,
      findings: [{ itemCode: 'A02', state: 'corrected', note: '已补报' }],
      rectificationReportOn: null,
    });
    const list = await s.tasks.list();
    expect(list.find((t) => t.id === id)?.followUp?.state).toBe('done');
    expect(list.some((t) => t.id === followUpTaskId(r.result.resultId))).toBe(false);
  });

  it('指令书: waits for the rectification report, then runs 10 working days over the holiday and make-up day', async () => {
    const se = makeTask(2, {
      items: makeTask(2).items.map((i) => ({ ...i, department: 'TZSB', departmentName: '特种设备安全监察科' })),
    });
    const resultId = await finalizeOriginal(se, '2026-05-20');
    const id = followUpTaskId(resultId);
    const s = testServices(dbs, { now: at('2026-05-08') });
    expect(await s.tasks.followUpSummary(id)).toMatchObject({ kind: 'se_order', state: 'awaiting-report' });

    const bad = await s.tasks.recordRectificationReport(id, '2026-04-31');
    expect(bad).toEqual({ ok: false, error: { kind: 'invalid-date', message: '整改报告收到日期格式应为 YYYY-MM-DD' } });
    expect((await s.tasks.recordRectificationReport(id, '2026-05-09')).ok).toBe(false); // after today (05-08)
    expect((await s.tasks.recordRectificationReport(id, '2026-05-05')).ok).toBe(false); // before the inspection
    expect((await s.tasks.get(id))?.followUp?.rectificationReportOn).toBeNull();

    // Report Thu 05-07: 05-08 1, Sat 05-09 (make-up) 2, 05-11 3, 05-12/13 off, 05-14 4, 05-15 5,
    // 05-18 6, 05-19 7, 05-20 8, 05-21 9, 05-22 10.
    const ok = await s.tasks.recordRectificationReport(id, '2026-05-07');
    expect(ok.ok && ok.task.followUp?.deadline).toBe('2026-05-22');
    expect(await s.tasks.followUpSummary(id)).toMatchObject({ deadline: '2026-05-22', state: 'scheduled' });
    expect((await s.tasks.list()).find((t) => t.id === id)?.dueDate).toBe('2026-05-22');
  });
});
