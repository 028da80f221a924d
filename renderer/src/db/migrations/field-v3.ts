/**
 * Field database, schema version 3: upload state that must survive a restart.
 * - `uploads`: one row per attachment being sent over tus — the upload URL the server gave, the
 *   last offset it confirmed, the size, done; it doubles as tus-js-client's URL storage (never
 *   localStorage), keyed by the attachment id (the fingerprint).
 * - `receipts`: every receipt the platform returned, by resultId (what is safe to delete locally).
 * - `reviews`: the inspector's decisions on set-aside results (keep with a note, or resent as a
 *   correction) — a needs-review item is never discarded silently.
 * - `setAside`: why an op needs review, machine-readable (the error code and, for a conflict, the
 *   accepted result it collides with), so the review flow can offer the right action.
 * Frozen: a later change is a new version module. Existing tables are unchanged.
 */
import type { Dexie } from 'dexie';
import type { Receipt } from '../../../../shared/protocol/index.js';

export const FIELD_V3_STORES = {
  uploads: 'attachmentId, resultId',
  receipts: 'resultId',
  reviews: '++id, opId, resultId',
  setAside: 'opId',
} as const;

export interface UploadRow {
  readonly attachmentId: string;
  readonly resultId: string;
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
  /** tus upload URL (Location of the creation); null until created or after the server lost it. */
  readonly uploadUrl: string | null;
  /** Bytes the server confirmed (Upload-Offset). */
  readonly offset: number;
  /** The server verified the hash and stored the attachment (last PATCH 204 at full length). */
  readonly done: boolean;
  /** tus-js-client's url-storage bookkeeping (creation time of the stored upload). */
  readonly creationTime: string | null;
  /** Chunk size to use; halved after a 413. */
  readonly chunkSize: number;
  readonly updatedAt: string;
}

export interface ReceiptRow {
  readonly resultId: string;
  readonly receipt: Receipt;
  /** Device time the receipt was stored. */
  readonly storedAt: string;
}

export type ReviewDecision = 'keep' | 'correction';
export interface ReviewRow {
  readonly id?: number;
  readonly opId: string;
  readonly resultId: string;
  readonly decision: ReviewDecision;
  readonly note: string;
  /** The new result that corrects this one (decision 'correction'). */
  readonly correctionResultId: string | null;
  readonly at: string;
}

export interface SetAsideRow {
  readonly opId: string;
  readonly code: string;
  /** For RESULT_CONFLICT on a task: the result the platform accepted already (a correction replaces it). */
  readonly conflictWith: string | null;
  readonly at: string;
}

export function fieldV3(db: Dexie): void {
  db.version(3).stores(FIELD_V3_STORES);
}
