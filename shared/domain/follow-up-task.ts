/**
 * The 复查 task built from a finalized result. The device builds it at finalize (so it exists offline at
 * once) and the platform builds it when it accepts the result: one function, so both build the same
 * task under the same id and a sync merges them.
 */
import type { ResultPayload } from '../protocol/results.js';
import type { FollowUpTask, Task } from '../protocol/tasks.js';
import type { WorkCalendar } from './dates.js';
import type { FollowUpKind } from './follow-up.js';
import { findingsNeedingFollowUp, followUpDeadline, followUpTaskId } from './follow-up.js';
import { SE525_DEPARTMENT } from './se-525.js';

/** Items of the special-equipment department (its own and the 5·25 template's) are re-checked under a 指令书. */
function isSpecialEquipment(department: string): boolean {
  return department === SE525_DEPARTMENT.code || department.startsWith(`${SE525_DEPARTMENT.code}-`);
}

/**
 * The follow-up task for `payload` on `task`, or null when no finding calls for one. A correction
 * (`replaces`) does not start another follow-up: the first result's follow-up stands. A 复查 result
 * starts none either (escalation goes to a case, not to a further 复查).
 */
export function buildFollowUpTask(task: Task, payload: ResultPayload, cal: WorkCalendar): Task | null {
  if (payload.replaces !== null || payload.followUpOf !== undefined) return null;
  const covered = findingsNeedingFollowUp(
    payload.itemResults.flatMap((r) =>
      r.finding
        ? [
            {
              itemCode: r.itemCode,
              handling: r.finding.handling,
              rectifyDeadline: r.finding.rectifyDeadline,
              description: r.finding.description,
            },
          ]
        : [],
    ),
  );
  if (covered.length === 0) return null;
  const codes = new Set(covered.map((f) => f.itemCode));
  const items = task.items.filter((i) => codes.has(i.code));
  // A finding on an item added on site (a template item) is re-checked under the same code and name.
  const known = new Set(items.map((i) => i.code));
  for (const t of payload.templateItems ?? []) {
    if (codes.has(t.code) && !known.has(t.code))
      items.push({
        code: t.code,
        name: t.name,
        department: `${SE525_DEPARTMENT.code}-525`,
        departmentName: t.template,
        legalBasis: '',
        method: '现场检查',
        key: false,
      });
  }
  if (items.length === 0) throw new Error(`follow-up of ${payload.resultId}: none of its findings names a known item`);
  const kind: FollowUpKind = items.every((i) => isSpecialEquipment(i.department)) ? 'se_order' : 'rectify';
  const deadline = followUpDeadline(kind, covered, null, cal);
  const followUp: FollowUpTask = {
    kind,
    originalResultId: payload.resultId,
    originalTaskId: task.id,
    originalInspectedOn: payload.inspectedOn,
    deadline,
    rectificationReportOn: null,
    findings: covered.map((f) => ({
      itemCode: f.itemCode,
      description: f.description,
      rectifyDeadline: f.rectifyDeadline as string,
    })),
  };
  const latest = covered.map((f) => f.rectifyDeadline as string).reduce((a, b) => (b > a ? b : a));
  return {
    ...task,
    id: followUpTaskId(payload.resultId),
    taskNo: `${task.taskNo}-复查`,
    version: 1,
    status: 'assigned',
    items,
    // A 指令书 follow-up has no clock until the report comes in; until then its due date is the order's deadline.
    dueDate: deadline ?? latest,
    followUp,
  };
}

/** The same follow-up with the unit's rectification report recorded: a 指令书 clock starts from it. */
export function withRectificationReport(task: Task, reportOn: string, cal: WorkCalendar): Task {
  const fu = task.followUp;
  if (!fu) throw new Error(`task ${task.id} is not a follow-up task`);
  const deadline = fu.kind === 'se_order' ? followUpDeadline('se_order', [], reportOn, cal) : fu.deadline;
  return {
    ...task,
    dueDate: deadline ?? task.dueDate,
    followUp: { ...fu, rectificationReportOn: reportOn, deadline },
  };
}
