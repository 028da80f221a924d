/**
 * The keystroke journal's storage: one row per open draft, replaced on every change of the form.
 * Every call is its own transaction and resolves only after the commit, so "written" means handed
 * to the operating system, where a killed browser cannot take it back. The row's content is
 * validated by the reader.
 *
 * `put` commits with relaxed durability, unlike the rest of the field database: a strict commit
 * waits for the disk to flush (measured in Chromium under load: up to ~35 ms, and a fast typist
 * queues a second one behind it), which let a kill 50 ms after the last keystroke lose it. A
 * relaxed commit is written to the file before it completes (so it survives the browser being
 * killed) without the flush; what guards against the whole machine losing power is the draft save
 * (strict) a moment later. Dexie has no per-transaction durability, so `put` uses the database's
 * own IndexedDB connection.
 */
import { sealJson } from '../../vault/sealed-json.js';
import { VaultLockedError } from '../../vault/vault.errors.js';
import type { FieldDb } from '../databases.js';
import { SEALED_FIELD, sealedRowAad } from '../sealing.js';
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
      // Below the sealing middleware: seal here exactly as it would (synchronous, a few ms at most).
      let stored: unknown = row;
      if (db.sealingKeys) {
        const key = db.sealingKeys.current();
        if (!key) throw new VaultLockedError('journal');
        stored = {
          resultId: row.resultId,
          [SEALED_FIELD]: sealJson(key, row, sealedRowAad(db.name, db.journal.name, row.resultId)),
        };
      }
      if (!db.isOpen()) await db.open();
      const idb = db.backendDB();
      await new Promise<void>((resolve, reject) => {
        const tx = idb.transaction(db.journal.name, 'readwrite', { durability: 'relaxed' });
        tx.objectStore(db.journal.name).put(stored);
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new DOMException('journal write aborted', 'AbortError'));
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
