/**
 * Drafts of document forms (field v10): what the inspector typed into a document form before it is
 * issued, one sealed row per task and document type. Each save resolves only after its transaction
 * committed (the field database is opened with strict durability), so "已保存" means on disk.
 * Issuing a document deletes its draft inside the issuing transaction (docnumbers.repo saveIssued).
 */
import type { FieldDb } from '../databases.js';
import type { DocDraftRow } from '../migrations/field-v10.js';

export type { DocDraftRow } from '../migrations/field-v10.js';

export interface DocDraftsRepo {
  get(taskId: string, docType: string): Promise<DocDraftRow | null>;
  save(row: DocDraftRow): Promise<void>;
  delete(taskId: string, docType: string): Promise<void>;
  /** Document types with a draft for the task. */
  typesFor(taskId: string): Promise<string[]>;
}

export function docDraftsRepo(db: FieldDb): DocDraftsRepo {
  return {
    async get(taskId, docType) {
      return (await db.docDrafts.get([taskId, docType])) ?? null;
    },
    async save(row) {
      if (!row.taskId || !row.docType) throw new Error('文书草稿缺少任务或文书类型');
      await db.transaction('rw', db.docDrafts, async () => {
        await db.docDrafts.put(row);
      });
    },
    async delete(taskId, docType) {
      await db.docDrafts.delete([taskId, docType]);
    },
    async typesFor(taskId) {
      return (await db.docDrafts.where('taskId').equals(taskId).toArray()).map((r) => r.docType);
    },
  };
}
