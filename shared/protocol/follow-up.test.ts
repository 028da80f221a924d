import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../domain/canonical.js';
import { buildFollowUpTask, withRectificationReport } from '../domain/follow-up-task.js';
import { followUpTaskId } from '../domain/follow-up.js';
import type { ResultPayload } from './results.js';
import { ResultPayloadSchema } from './results.js';
import type { Task } from './tasks.js';
import { TaskSchema } from './tasks.js';

const cal = {
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};

const item = (code: string, department: string) => ({
  code,
  name: `事项${code}`,
  department,
  departmentName: department,
  legalBasis: '',
  method: '现场检查',
  key: false,
});

function task(department = 'DJZC'): Task {
  return TaskSchema.parse({
    id: 't-1',
    taskNo: 'RW-1',
    version: 3,
    status: 'assigned',
    plan: {
      id: 'p-1',
      code: 'JH-1',
      name: '计划',
      year: 2026,
      targeted: true,
      leadDept: department,
      crossDept: false,
      start: '2026-01-01',
      end: '2026-12-31',
    },
    enterprise: { uscc: '91370200MA3C000001', name: '某公司', address: '某地' },
    items: [item('A', department), item('B', department)],
    team: [
      { inspectorId: 'i-1', name: '甲', certNo: '3710021001121', certExpiry: '2030-01-01', role: 'leader' },
      { inspectorId: 'i-2', name: '乙', certNo: '3710021000724', certExpiry: '2030-01-01', role: 'member' },
    ],
    dueDate: '2026-12-31',
    draw: { seed: 's', algorithm: 'a', candidateHash: 'c', drawnHash: 'd' },
  });
}

const finding = (handling: 'rectify' | 'on_spot', rectifyDeadline: string | null) => ({
  description: '未公示',
  legalBasis: '',
  severity: 'general' as const,
  handling,
  rectifyDeadline,
  lenient: null,
});

function payload(over: Partial<ResultPayload> = {}): ResultPayload {
  return ResultPayloadSchema.parse({
    resultId: 'r-1',
    taskId: 't-1',
    enterpriseUscc: '91370200MA3C000001',
    inspectedOn: '2026-09-28',
    startedAt: '2026-09-28T01:00:00Z',
    finishedAt: '2026-09-28T02:00:00Z',
    inspectorIds: ['i-1', 'i-2'],
    itemResults: [
      { itemCode: 'A', outcome: 'fail', note: '', finding: finding('rectify', '2026-10-20') },
      { itemCode: 'B', outcome: 'fail', note: '', finding: finding('on_spot', null) },
    ],
    findings: '未公示',
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: ['ORDER_CORRECTION'],
    replaces: null,
    publicationDeadline: '2026-10-30',
    ...over,
  });
}

describe('follow-up fields in the protocol', () => {
  it('leave an earlier payload and task as they were (same canonical JSON, so the same hash)', () => {
    const raw = { ...payload() };
    expect(canonicalJson(ResultPayloadSchema.parse(raw))).toBe(canonicalJson(raw));
    expect('followUpOf' in ResultPayloadSchema.parse(raw)).toBe(false);
    expect('followUp' in TaskSchema.parse(task())).toBe(false);
  });
  it('refuse a 复查 that names an unknown finding state or no finding, with the reason', () => {
    const bad = ResultPayloadSchema.safeParse({
      ...payload(),
      followUpOf: {
        resultId: 'r-0',
        findings: [{ itemCode: 'A', state: 'fixed', note: '' }],
        rectificationReportOn: null,
      },
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('followUpOf');
    const empty = ResultPayloadSchema.safeParse({
      ...payload(),
      followUpOf: { resultId: 'r-0', findings: [], rectificationReportOn: null },
    });
    expect(empty.error?.issues[0]?.message).toBe('复查至少应涉及一项原发现问题');
  });
});

describe('the follow-up task built from a result', () => {
  it('责令改正: covers the rectify findings only, due on their deadline, same team and enterprise', () => {
    const fu = buildFollowUpTask(task(), payload(), cal)!;
    expect(TaskSchema.parse(fu)).toEqual(fu);
    expect(fu.id).toBe(followUpTaskId('r-1'));
    expect(fu.items.map((i) => i.code)).toEqual(['A']);
    expect(fu.team).toEqual(task().team);
    expect(fu.enterprise).toEqual(task().enterprise);
    expect(fu.followUp).toMatchObject({ kind: 'rectify', originalResultId: 'r-1', deadline: '2026-10-20' });
    expect(fu.dueDate).toBe('2026-10-20');
  });
  it('is the same task whoever builds it (device at finalize, platform on accept)', () => {
    expect(canonicalJson(buildFollowUpTask(task(), payload(), cal))).toBe(
      canonicalJson(buildFollowUpTask(task(), payload(), cal)),
    );
  });
  it('none without a rectify finding, for a correction, or for a 复查 result', () => {
    const onSpot = payload({
      itemResults: [{ itemCode: 'A', outcome: 'fail', note: '', finding: finding('on_spot', null) }],
    });
    expect(buildFollowUpTask(task(), onSpot, cal)).toBeNull();
    expect(buildFollowUpTask(task(), payload({ resultId: 'r-2', replaces: 'r-1' }), cal)).toBeNull();
    const recheck = payload({
      followUpOf: {
        resultId: 'r-0',
        findings: [{ itemCode: 'A', state: 'open', note: '' }],
        rectificationReportOn: null,
      },
    });
    expect(buildFollowUpTask(task(), recheck, cal)).toBeNull();
  });
  it('指令书 (special equipment): no clock until the report, then 10 working days across the holiday', () => {
    const fu = buildFollowUpTask(task('TZSB'), payload(), cal)!;
    expect(fu.followUp).toMatchObject({ kind: 'se_order', deadline: null, rectificationReportOn: null });
    const reported = withRectificationReport(fu, '2026-09-28', cal);
    expect(reported.followUp).toMatchObject({ deadline: '2026-10-16', rectificationReportOn: '2026-09-28' });
    expect(reported.dueDate).toBe('2026-10-16');
  });
});
