/**
 * Field database, schema version 1: the first layout of everything that must never be lost.
 * Primary key first, then indexes (Dexie syntax). Frozen: a later change is a new version module.
 */
import type { Dexie } from 'dexie';

export const FIELD_V1_STORES = {
  meta: 'key',
  keys: 'name',
  credentials: 'certNo',
  session: 'key',
  tasks: 'id, dueDate, enterpriseUscc, status',
  drafts: 'taskId, resultId',
  results: 'resultId, taskId',
  attachments: 'id, resultId',
  outbox: 'opId, order, state, resultId, taskId',
  audit: 'seq',
  syncState: 'stream',
} as const;

export function fieldV1(db: Dexie): void {
  db.version(1).stores(FIELD_V1_STORES);
}
