/** The task list for the UI: each task with its local progress (draft, finalized) and the enterprise's credit class. */
import type { TaskService, TaskSummary } from './tasks.api.js';
import type { Runtime } from '../runtime.js';

export function createTaskService(rt: Runtime): TaskService {
  const { tasks, drafts, results, enterprises } = rt.repos;
  return {
    async list() {
      const [records, draftIds, finalIds] = await Promise.all([
        tasks.list(),
        drafts.taskIdsWithDrafts(),
        results.finalizedTaskIds(),
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
        });
      }
      return out;
    },
    async get(id) {
      return (await tasks.get(id))?.task ?? null;
    },
    subscribe(listener) {
      return rt.on('tasks', listener);
    },
  };
}
