/**
 * Field database, schema version 5: the keystroke journal of the inspection form.
 * - journal: one row per open draft (keyed by resultId) holding the whole form as it was after the
 *   inspector's last change, written on every change before the debounced draft save. It lives in
 *   IndexedDB because a committed IndexedDB transaction survives the browser being killed, while
 *   localStorage (where it used to live) reaches the disk only some time later.
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';

export const FIELD_V5_VERSION = 5;

export const FIELD_V5_STORES = {
  journal: 'resultId',
} as const;

export interface JournalRow {
  /** The draft's result id: a finalized record's form never opens again, so its journal is never read. */
  readonly resultId: string;
  readonly taskId: string;
  /** Journal format; a row of another format is dropped when read. */
  readonly v: number;
  readonly writtenAt: string;
  /** The form as the inspector left it; checked against the draft schema when read back. */
  readonly draft: unknown;
}

export function fieldV5(db: Dexie): void {
  db.version(FIELD_V5_VERSION).stores(FIELD_V5_STORES);
}
