/**
 * Field database, schema version 10: drafts of document forms.
 * - docDrafts: what the inspector has typed into a document form (询问笔录 and the other case
 *   documents) before it is issued, one row per task and document type, so a crash, a power cut or
 *   navigating away never loses a questioning typed for many minutes. Like every partition row it
 *   is sealed whole under the inspector's data key. Issuing the document deletes its draft in the
 *   same transaction that stores the document.
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';

export const FIELD_V10_VERSION = 10;

export const FIELD_V10_STORES = {
  docDrafts: '[taskId+docType], taskId',
} as const;

export interface DocDraftRow {
  readonly taskId: string;
  readonly docType: string;
  /** The form's values as typed; checked against the form's shape when restored. */
  readonly values: unknown;
  readonly savedAt: string;
}

export function fieldV10(db: Dexie): void {
  db.version(FIELD_V10_VERSION).stores(FIELD_V10_STORES);
}
