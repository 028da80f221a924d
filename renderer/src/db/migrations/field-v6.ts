/**
 * Field database, schema version 6: the partition of one inspector, sealed row by row.
 * - credentials (the PBKDF2 password verifiers) goes: the wrapped data key in the device database is
 *   the only offline credential now, and a wrong password fails its GCM tag.
 * - keys (the non-extractable CryptoKey that sealed tokens) goes: the session row, tokens included,
 *   is sealed whole under the inspector's data key.
 * - tasks loses its enterpriseUscc index: nothing looks tasks up by enterprise, and every indexed
 *   path is stored in clear beside the sealed row.
 * Frozen: a later change is a new version module.
 */
import type { Dexie } from 'dexie';

export const FIELD_V6_VERSION = 6;

export const FIELD_V6_STORES = {
  credentials: null,
  keys: null,
  tasks: 'id, dueDate, status',
} as const;

export function fieldV6(db: Dexie): void {
  db.version(FIELD_V6_VERSION).stores(FIELD_V6_STORES);
}
