/**
 * Field database, schema version 7: what the app has seen of the platform's transparency log.
 * - `logCheckpoints`: every signed checkpoint the app verified, by tree size. A newer checkpoint is
 *   accepted only with a consistency proof from the latest one seen, so the platform cannot rewrite
 *   history (drop, reorder or change an entry) without the app noticing.
 * - `logAlarm`: set when that check fails. Uploads of this inspector stop while it is there (nothing
 *   is deleted); it records what was seen so the inspector or an administrator can report it.
 * Frozen: a later change is a new version module. Existing tables are unchanged.
 */
import type { Dexie } from 'dexie';

export const FIELD_V7_VERSION = 7;

export const FIELD_V7_STORES = {
  logCheckpoints: 'size',
  logAlarm: 'id',
} as const;

export interface LogCheckpointRow {
  readonly size: number;
  /** Lowercase hex of the root hash. */
  readonly rootHash: string;
  /** The signed note as received. */
  readonly note: string;
  readonly seenAt: string;
}

export interface LogAlarmRow {
  readonly id: 'current';
  /** zh-CN, shown in the outbox and the status bar. */
  readonly message: string;
  readonly at: string;
  readonly seenSize: number;
  readonly seenRoot: string;
  readonly newSize: number;
  readonly newRoot: string;
}

export function fieldV7(db: Dexie): void {
  db.version(FIELD_V7_VERSION).stores(FIELD_V7_STORES);
}
