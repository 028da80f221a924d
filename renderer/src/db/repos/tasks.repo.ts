/**
 * Assigned tasks. A pulled page and its cursor commit in one transaction; a change is applied only
 * when its version is newer. The server never deletes local work: a cancelled, reassigned or
 * removed task is marked, and its drafts and results stay.
 */
import type { Task, TaskChange } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { TaskMark, TaskRow } from '../rows.js';
import { initialSyncState } from './sync-state.repo.js';

export interface TaskRecord {
  readonly task: Task;
  readonly mark: TaskMark;
}

export interface TasksRepo {
  list(): Promise<readonly TaskRecord[]>;
  get(id: string): Promise<TaskRecord | null>;
  count(): Promise<number>;
  /** Applies one feed page and stores its cursor in the same transaction. Returns rows changed. */
  applyPage(changes: readonly TaskChange[], nextCursor: string, total: number, at: string): Promise<number>;
  /**
   * Replaces a task's body on the device only (same version), e.g. a 复查 task with the rectification
   * report the inspector recorded; a newer version from the platform still replaces it.
   */
  updateLocal(task: Task): Promise<void>;
}

function toRecord(row: TaskRow): TaskRecord {
  return { task: row.task, mark: row.mark };
}

function markFor(status: Task['status']): TaskMark {
  return status === 'assigned' ? null : status;
}

export function tasksRepo(db: FieldDb): TasksRepo {
  async function hasLocalWork(taskId: string): Promise<boolean> {
    return (await db.drafts.get(taskId)) !== undefined || (await db.results.where('taskId').equals(taskId).count()) > 0;
  }

  async function applyOne(change: TaskChange): Promise<boolean> {
    if (change.kind === 'upsert') {
      const t = change.task;
      const local = await db.tasks.get(t.id);
      if (local && local.version >= t.version) return false;
      await db.tasks.put({
        id: t.id,
        version: t.version,
        status: t.status,
        dueDate: t.dueDate,
        enterpriseUscc: t.enterprise.uscc,
        task: t,
        mark: markFor(t.status),
        seq: change.seq,
      });
      return true;
    }
    const local = await db.tasks.get(change.id);
    if (!local || local.version > change.version) return false;
    if (await hasLocalWork(change.id)) {
      await db.tasks.put({ ...local, version: change.version, mark: 'removed', seq: change.seq });
    } else {
      await db.tasks.delete(change.id);
    }
    return true;
  }

  return {
    async list() {
      return (await db.tasks.orderBy('dueDate').toArray()).map(toRecord);
    },
    async get(id) {
      const row = await db.tasks.get(id);
      return row ? toRecord(row) : null;
    },
    count() {
      return db.tasks.count();
    },
    async updateLocal(task) {
      await db.transaction('rw', [db.tasks], async () => {
        const row = await db.tasks.get(task.id);
        if (!row) throw new Error(`no task ${task.id} to update`);
        if (row.version !== task.version) throw new Error(`task ${task.id} changed (version ${row.version})`);
        await db.tasks.put({ ...row, task, dueDate: task.dueDate });
      });
    },
    async applyPage(changes, nextCursor, total, at) {
      return db.transaction('rw', [db.tasks, db.drafts, db.results, db.syncState], async () => {
        let applied = 0;
        for (const change of changes) if (await applyOne(change)) applied += 1;
        const state = (await db.syncState.get('tasks')) ?? initialSyncState('tasks');
        await db.syncState.put({ ...state, cursor: nextCursor, total, lastSyncedAt: at });
        return applied;
      });
    },
  };
}
