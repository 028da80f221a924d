/** Inspection drafts: autosaved form state. A frozen (finalized) draft can no longer be saved. */
import type { FieldDb } from '../databases.js';
import type { DraftRow } from '../rows.js';

export class DraftFrozenError extends Error {
  constructor(taskId: string) {
    super(`检查记录已定稿，不能再修改（任务 ${taskId}）`);
    this.name = 'DraftFrozenError';
  }
}

export interface DraftsRepo {
  get(taskId: string): Promise<DraftRow | null>;
  /** Creates the draft unless one exists; returns the stored draft. */
  createIfAbsent(row: DraftRow): Promise<DraftRow>;
  /** Saves in a strict transaction; resolves after commit. Rejects if frozen. */
  save(row: DraftRow): Promise<void>;
  taskIdsWithDrafts(): Promise<ReadonlySet<string>>;
  /**
   * Starts a correction: replaces a FROZEN draft (its content is kept in the finalized result) by
   * a new one with a new resultId. Refuses when the current draft is still open.
   */
  replaceFrozen(row: DraftRow): Promise<DraftRow>;
}

export function draftsRepo(db: FieldDb): DraftsRepo {
  return {
    async get(taskId) {
      return (await db.drafts.get(taskId)) ?? null;
    },
    async createIfAbsent(row) {
      return db.transaction('rw', db.drafts, async () => {
        const existing = await db.drafts.get(row.taskId);
        if (existing) return existing;
        await db.drafts.add(row);
        return row;
      });
    },
    async save(row) {
      await db.transaction('rw', db.drafts, async () => {
        const existing = await db.drafts.get(row.taskId);
        if (existing?.frozen) throw new DraftFrozenError(row.taskId);
        if (existing && existing.resultId !== row.resultId)
          throw new Error(`草稿的结果编号不一致（任务 ${row.taskId}）`);
        await db.drafts.put({ ...row, frozen: false });
      });
    },
    async replaceFrozen(row) {
      return db.transaction('rw', db.drafts, async () => {
        const existing = await db.drafts.get(row.taskId);
        if (existing && !existing.frozen) return existing;
        await db.drafts.put({ ...row, frozen: false });
        return { ...row, frozen: false };
      });
    },
    async taskIdsWithDrafts() {
      return new Set(await db.drafts.toCollection().primaryKeys());
    },
  };
}
