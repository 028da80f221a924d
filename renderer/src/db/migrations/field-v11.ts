/**
 * Field database, schema version 11: body-camera video and audio evidence.
 * - mediaChunks: the bytes of a video or audio file in fixed-size chunks, one row per chunk keyed
 *   by [attachmentId+index]. A recording of several GB cannot be one value (it would have to be
 *   held in memory whole to seal and to read); each chunk is sealed on its own under the
 *   inspector's data key, and the primary key, chunk index included, is in the AAD, so a chunk
 *   moved to another place or file does not open. The attachment row (kind video|audio) is written
 *   only after every chunk is in.
 * - mediaClips: the from–to ranges the inspector marked on a recording, with a note; they go into
 *   the result payload with the file's entry, and are frozen with the result.
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';

export const FIELD_V11_VERSION = 11;

export const FIELD_V11_STORES = {
  mediaChunks: '[attachmentId+index], attachmentId',
  mediaClips: 'id, attachmentId, resultId',
} as const;

export interface MediaChunkRow {
  readonly attachmentId: string;
  readonly index: number;
  readonly bytes: Uint8Array;
}

export interface MediaClipRow {
  /** `clip-<uuid>` */
  readonly id: string;
  readonly attachmentId: string;
  readonly resultId: string;
  readonly taskId: string;
  readonly fromS: number;
  readonly toS: number;
  readonly note: string;
  readonly markedAt: string;
}

export function fieldV11(db: Dexie): void {
  db.version(FIELD_V11_VERSION).stores(FIELD_V11_STORES);
}
