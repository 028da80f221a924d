/** The task list for the UI: each task with its local progress (draft, finalized), the enterprise's credit class and, for a 复查, its reminder state. */
import { chinaDate, isValidIsoDate, type WorkCalendar } from '../../../../shared/domain/dates.js';
import { withRectificationReport } from '../../../../shared/domain/follow-up-task.js';
import { followUpState } from '../../../../shared/domain/follow-up.js';
import type { Task } from '../../../../shared/protocol/index.js';
import type { FollowUpSummary, TaskService, TaskSummary } from './tasks.api.js';
import type { Runtime } from '../runtime.js';

const NO_CALENDAR: WorkCalendar = { holidays: [], workdays: [] };

export function createTaskService(rt: Runtime): TaskService {
  const { tasks, drafts, results, enterprises, reference } = rt.repos;

  async function calendar(): Promise<WorkCalendar> {
    return (await reference.get())?.reference.calendar ?? NO_CALENDAR;
  }

  function summarize(task: Task, done: boolean, cal: WorkCalendar): FollowUpSummary | null {
    const fu = task.followUp;
    if (!fu) return null;
    const { state, workingDaysLeft } = followUpState(chinaDate(rt.now()), fu.deadline, done, cal);
    return { kind: fu.kind, state, deadline: fu.deadline, workingDaysLeft, originalResultId: fu.originalResultId };
  }

  return {
    async list() {
      const [records, draftIds, finalIds, cal] = await Promise.all([
        tasks.list(),
        drafts.taskIdsWithDrafts(),
        results.finalizedTaskIds(),
        calendar(),
      ]);
      const out: TaskSummary[] = [];
      for (const { task } of records) {
        const ent = await enterprises.get(task.enterprise.uscc);
        out.push({
          id: task.id,
          taskNo: task.taskNo,
          planName: task.plan.name,
          enterpriseName: task.enterprise.name,
          enterpriseUscc: task.enterprise.uscc,
          dueDate: task.dueDate,
          taskStatus: task.status,
          localState: finalIds.has(task.id) ? 'finalized' : draftIds.has(task.id) ? 'draft' : 'new',
          creditClass: ent?.internal.creditClass ?? null,
          warningColor: ent?.internal.warningColor ?? null,
          followUp: summarize(task, finalIds.has(task.id), cal),
        });
      }
      return out;
    },
    async get(id) {
      return (await tasks.get(id))?.task ?? null;
    },
    async followUpSummary(id) {
      const record = await tasks.get(id);
      if (!record) return null;
      const [finalIds, cal] = await Promise.all([results.finalizedTaskIds(), calendar()]);
      return summarize(record.task, finalIds.has(id), cal);
    },
    async recordRectificationReport(taskId, reportOn) {
      const record = await tasks.get(taskId);
      if (!record?.task.followUp)
        return { ok: false, error: { kind: 'not-follow-up', message: '该任务不是复查任务，无需登记整改报告' } };
      if (!isValidIsoDate(reportOn))
        return { ok: false, error: { kind: 'invalid-date', message: '整改报告收到日期格式应为 YYYY-MM-DD' } };
      if (reportOn < record.task.followUp.originalInspectedOn)
        return { ok: false, error: { kind: 'invalid-date', message: '整改报告收到日期不能早于原检查日期' } };
      if (reportOn > chinaDate(rt.now()))
        return { ok: false, error: { kind: 'invalid-date', message: '整改报告收到日期不能晚于今天' } };
      if ((await results.finalizedTaskIds()).has(taskId))
        return { ok: false, error: { kind: 'already-done', message: '该复查已定稿，不能再修改整改报告日期' } };
      const next = withRectificationReport(record.task, reportOn, await calendar());
      await tasks.updateLocal(next);
      rt.emit('tasks');
      return { ok: true, task: next };
    },
    subscribe(listener) {
      return rt.on('tasks', listener);
    },
  };
}
