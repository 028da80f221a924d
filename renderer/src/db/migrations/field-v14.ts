/**
 * Field database, schema version 14: the review of a platform-log alarm.
 * - `logAlarmReviews`: one row per 平台记录被改写 alarm the inspector acknowledged. The alarm is
 *   never reset silently: acknowledging it moves it here whole (both signed checkpoints and the
 *   failed proof), with the checkpoints the app had verified until then, the inspector's reason and
 *   the audit entry that records it, signed by the device key. Only then do uploads resume, and the
 *   next checkpoint must extend the one that raised the alarm.
 * The alarm row itself (field v7 `logAlarm`) gains optional evidence (rows raised before have none).
 * - `evidenceIndex`: a small sealed summary of each attachment (size, hash, name, thumbnail, reclaimed),
 *   so the storage overview never opens the rows that hold the bytes. Written with the attachment in
 *   the same transaction; attachments stored before (or copied by a correction) get theirs the first
 *   time the overview meets them, which is the migration.
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';
import type { LogAlarmRow, LogCheckpointRow } from './field-v7.js';
import type { AttachmentRow } from '../evidence-rows.js';

export const FIELD_V14_VERSION = 14;

export const FIELD_V14_STORES = {
  logAlarmReviews: 'id',
  evidenceIndex: 'id, taskId, resultId',
} as const;

export interface EvidenceIndexRow {
  readonly id: string;
  readonly taskId: string;
  readonly resultId: string;
  readonly kind: AttachmentRow['kind'];
  readonly fileName: string;
  readonly mime: string;
  /** Bytes of the original as captured (kept after a reclaim). */
  readonly size: number;
  readonly sha256: string;
  readonly capturedAt: string;
  readonly reclaimedAt: string | null;
  /** The thumbnail as the attachment row stores it (a Blob, or its bytes in a sealed partition). */
  readonly thumbnail: unknown;
}

/** What anyone can re-verify with the pinned platform key: two signed checkpoints that do not fit. */
export interface LogAlarmEvidence {
  /** The signed note of the checkpoint the app had verified before (as received). */
  readonly seenNote: string;
  /** When the app verified it. */
  readonly seenAt: string;
  /** The signed note of the checkpoint that contradicts it (as received). */
  readonly newNote: string;
  /** The consistency proof the platform gave from the smaller tree to the larger, which failed; null when both trees have the same size. */
  readonly proof: { readonly from: number; readonly to: number; readonly hashes: readonly string[] } | null;
}

export type LogAlarmRecord = LogAlarmRow & { readonly evidence?: LogAlarmEvidence };

export interface LogAlarmReviewRow {
  /** `ack-<uuid>`. */
  readonly id: string;
  readonly alarm: LogAlarmRecord;
  /** The checkpoints verified before the acknowledgement; the next check starts from the alarm's new one. */
  readonly archived: readonly LogCheckpointRow[];
  readonly reason: string;
  readonly acknowledgedAt: string;
  /** The `log.alarm.acknowledged` audit entry. */
  readonly auditSeq: number;
  readonly auditHash: string;
  /** SHA-256 of the acknowledgement's canonical JSON; with the entry it is what the device key signed. */
  readonly contentHash: string;
  readonly deviceId: string;
  readonly deviceSeq: number;
  readonly signature: string;
}

export function fieldV14(db: Dexie): void {
  db.version(FIELD_V14_VERSION).stores(FIELD_V14_STORES);
}
