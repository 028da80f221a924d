/**
 * The keystroke journal's storage: one row per open draft, replaced on every change of the form.
 * Every call is its own strict transaction and resolves only after the commit, so "written" means
 * on disk, where a killed browser cannot take it back. The row's content is validated by the reader.
 */
import type { FieldDb } from '../databases.js';
import type { JournalRow } from '../migrations/field-v5.js';

export type { JournalRow } from '../migrations/field-v5.js';

export interface JournalRepo {
  get(resultId: string): Promise<JournalRow | null>;
  /** Replaces the draft's journal; resolves after the commit. */
  put(row: JournalRow): Promise<void>;
  /** Stores the row unless the draft already has a journal written at the same time or later; true if stored. */
  putIfNewer(row: JournalRow): Promise<boolean>;
  remove(resultId: string): Promise<void>;
}

export function journalRepo(db: FieldDb): JournalRepo {
  return {
    async get(resultId) {
      return (await db.journal.get(resultId)) ?? null;
    },
    async put(row) {
      await db.transaction('rw', db.journal, async () => {
        await db.journal.put(row);
      });
    },
    async putIfNewer(row) {
      return db.transaction('rw', db.journal, async () => {
        const existing = await db.journal.get(row.resultId);
        if (existing && existing.writtenAt >= row.writtenAt) return false;
        await db.journal.put(row);
        return true;
      });
    },
    async remove(resultId) {
      await db.transaction('rw', db.journal, async () => {
        await db.journal.delete(resultId);
      });
    },
  };
}
