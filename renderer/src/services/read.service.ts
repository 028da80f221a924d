/** Read models for the UI: the task list with local progress and credit class, tasks, credit files, reference. */
import { draftsRepo, enterprisesRepo, referenceRepo, resultsRepo, tasksRepo } from '../db/index.js';
import type { EnterpriseService, ReferenceService, TaskService, TaskSummary } from './api.js';
import type { Runtime } from './runtime.js';
import { createSearchClient } from '../search/search-client.js';
import type { SearchEngine } from '../search/engine.js';

export function createTaskService(rt: Runtime): TaskService {
  const tasks = tasksRepo(rt.dbs.field);
  const drafts = draftsRepo(rt.dbs.field);
  const results = resultsRepo(rt.dbs.field);
  const enterprises = enterprisesRepo(rt.dbs.cache);
  return {
    async list() {
      const [records, draftIds, finalIds] = await Promise.all([tasks.list(), drafts.taskIdsWithDrafts(), results.finalizedTaskIds()]);
      const out: TaskSummary[] = [];
      for (const { task } of records) {
        const ent = await enterprises.get(task.enterprise.uscc);
        out.push({
          id: task.id, taskNo: task.taskNo, planName: task.plan.name, enterpriseName: task.enterprise.name,
          enterpriseUscc: task.enterprise.uscc, dueDate: task.dueDate, taskStatus: task.status,
          localState: finalIds.has(task.id) ? 'finalized' : draftIds.has(task.id) ? 'draft' : 'new',
          creditClass: ent?.internal.creditClass ?? null, warningColor: ent?.internal.warningColor ?? null,
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

export function createEnterpriseService(rt: Runtime): EnterpriseService {
  const repo = enterprisesRepo(rt.dbs.cache);
  let search: SearchEngine | null = null;
  const engine = () => (search ??= createSearchClient({ cache: rt.dbs.cache, dbPrefix: rt.deps.dbPrefix ?? '', useWorker: rt.deps.useWorker ?? false }));
  return {
    get: (uscc) => repo.get(uscc), count: () => repo.count(),
    search: (query, filters, limit) => engine().search(query, filters, limit),
    warmSearch: () => engine().warm(),
    followSearch: () => engine().follow(),
  };
}

export function createReferenceService(rt: Runtime): ReferenceService {
  const repo = referenceRepo(rt.dbs.cache);
  return { get: async () => (await repo.get())?.reference ?? null };
}
