/**
 * 复查 (follow-up check) rules shared by the app and the platform: which findings of a result call for
 * a follow-up, the follow-up task's id, its deadline (the rectification deadline, or for a special-
 * equipment 监察指令书 10 working days from the unit's rectification report) and the reminder state
 * shown on the task list. Time is always passed in; nothing here reads the clock.
 */
import type { IsoDate, WorkCalendar } from './dates.js';
import { addWorkingDays, isValidIsoDate, workingDaysBetween } from './dates.js';

/** What the 复查 found for each finding it covers. */
export const FINDING_FOLLOW_UP_STATES = ['open', 'corrected', 'escalated'] as const;
export type FindingFollowUpState = (typeof FINDING_FOLLOW_UP_STATES)[number];
export const FINDING_FOLLOW_UP_STATE_LABELS: Readonly<Record<FindingFollowUpState, string>> = {
  open: '仍未改正',
  corrected: '已改正',
  escalated: '已移交立案或其他部门处理',
};

/**
 * `rectify`: a 责令改正 with a deadline, re-checked by the deadline. `se_order`: a special-equipment
 * 监察指令书, re-checked within 10 working days of the unit's rectification report.
 */
export const FOLLOW_UP_KINDS = ['rectify', 'se_order'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** 特种设备安全监督检查办法: the regulator re-inspects within 10 working days of the rectification report. */
export const SE_REINSPECTION_WORKING_DAYS = 10;
/** The task list starts reminding this many working days before the deadline. */
export const FOLLOW_UP_REMIND_WORKING_DAYS = 3;

/** The part of a finding the follow-up rules read (structurally a protocol Finding). */
export interface FollowUpFindingInput {
  readonly itemCode: string;
  readonly handling: string;
  readonly rectifyDeadline: IsoDate | null;
}

/** Findings a follow-up check covers: those ordered corrected (责令限期改正) with a deadline. */
export function findingsNeedingFollowUp<T extends FollowUpFindingInput>(findings: readonly T[]): T[] {
  return findings.filter((f) => f.handling === 'rectify' && f.rectifyDeadline !== null);
}

const ID_MAX = 128;
const PREFIX = 'fu:';

/** FNV-1a over UTF-16 code units: a short, stable tag for ids too long to embed whole. */
function fnv1a32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * The follow-up task's id, derived from the original result's id only, so the device (which makes the
 * task at finalize, offline) and the platform (which makes it on accepting the result) name the same
 * task and a sync merges the two instead of showing it twice.
 */
export function followUpTaskId(originalResultId: string): string {
  if (originalResultId.length === 0) throw new Error('follow-up task id needs the original result id');
  const whole = `${PREFIX}${originalResultId}`;
  if (whole.length <= ID_MAX) return whole;
  return `${PREFIX}${originalResultId.slice(0, ID_MAX - PREFIX.length - 9)}:${fnv1a32(originalResultId)}`;
}

/**
 * When the follow-up is due. `rectify`: the latest rectification deadline among the covered findings
 * (the check cannot close a finding before its own deadline). `se_order`: 10 working days after the
 * rectification report, or null while no report has been recorded (the clock has not started).
 */
export function followUpDeadline(
  kind: FollowUpKind,
  findings: readonly FollowUpFindingInput[],
  rectificationReportOn: IsoDate | null,
  cal: WorkCalendar,
): IsoDate | null {
  if (kind === 'se_order') {
    if (rectificationReportOn === null) return null;
    if (!isValidIsoDate(rectificationReportOn))
      throw new Error(`invalid rectification report date '${rectificationReportOn}'`);
    return addWorkingDays(rectificationReportOn, SE_REINSPECTION_WORKING_DAYS, cal);
  }
  const deadlines = findingsNeedingFollowUp(findings).map((f) => f.rectifyDeadline as IsoDate);
  if (deadlines.length === 0) return null;
  return deadlines.reduce((a, b) => (b > a ? b : a));
}

export type FollowUpState = 'done' | 'awaiting-report' | 'scheduled' | 'remind' | 'due-today' | 'overdue';

export const FOLLOW_UP_STATE_LABELS: Readonly<Record<FollowUpState, string>> = {
  done: '已复查',
  'awaiting-report': '待单位提交整改报告',
  scheduled: '待复查',
  remind: '即将到期',
  'due-today': '今日到期',
  overdue: '已逾期',
};

/**
 * The follow-up's state on `today`: reminders start FOLLOW_UP_REMIND_WORKING_DAYS working days
 * before the deadline, and the day after it the task is overdue.
 */
export function followUpState(
  today: IsoDate,
  deadline: IsoDate | null,
  done: boolean,
  cal: WorkCalendar,
): { state: FollowUpState; workingDaysLeft: number | null } {
  if (done) return { state: 'done', workingDaysLeft: null };
  if (deadline === null) return { state: 'awaiting-report', workingDaysLeft: null };
  if (today > deadline) return { state: 'overdue', workingDaysLeft: workingDaysBetween(today, deadline, cal) };
  if (today === deadline) return { state: 'due-today', workingDaysLeft: 0 };
  const left = workingDaysBetween(today, deadline, cal);
  return { state: left <= FOLLOW_UP_REMIND_WORKING_DAYS ? 'remind' : 'scheduled', workingDaysLeft: left };
}
