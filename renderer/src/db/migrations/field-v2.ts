/**
 * Field database, schema version 2: evidence. The v1 `attachments` store gains indexes
 * by task and kind; v1 held no attachment rows in practice, but any that exist are kept and given
 * the v2 defaults (kind 'photo', empty mime) so the upgrade never drops data. Frozen like v1.
 */
import type { Dexie, Transaction } from 'dexie';
import { FIELD_V1_STORES } from './field-v1.js';

export const FIELD_V2_STORES = {
  ...FIELD_V1_STORES,
  attachments: 'id, resultId, taskId, kind',
} as const;

async function upgradeAttachments(tx: Transaction): Promise<void> {
  await tx
    .table('attachments')
    .toCollection()
    .modify((row: Record<string, unknown>) => {
      row['taskId'] ??= '';
      row['kind'] ??= 'photo';
      row['mime'] ??= '';
      row['size'] ??= 0;
      row['sha256'] ??= '';
      row['thumbnail'] ??= null;
      row['fileName'] ??= '';
      row['capturedAt'] ??= '';
    });
}

export function fieldV2(db: Dexie): void {
  db.version(2).stores({ attachments: FIELD_V2_STORES.attachments }).upgrade(upgradeAttachments);
}
