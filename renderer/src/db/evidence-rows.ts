/**
 * Stored rows of field schema v2: evidence attachments (photos, scanned documents and
 * signature images) as Blobs with their SHA-256 taken at capture. A row is immutable once written:
 * captions and signature metadata live in the autosaved draft, so typing never rewrites a Blob.
 *
 * Blobs are stored as Blobs: Chromium's IndexedDB keeps them as files, and fake-indexeddb under
 * Node 20 structured-clones Blob too (tested in attachments.repo.test.ts), so no ArrayBuffer detour.
 */
import type { EvidencePlace, ExifSummary } from '../../../shared/domain/evidence-meta.js';
import type { ClipMark, MediaTiming } from '../../../shared/domain/media-clips.js';

export const ATTACHMENT_KINDS = ['photo', 'scan', 'signature', 'video', 'audio'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface AttachmentRow {
  /** `att-<uuid>`; also the id the platform knows (AttachmentRef.id). */
  readonly id: string;
  /** The result this evidence belongs to: the draft's resultId from the start (it never changes at finalize). */
  readonly resultId: string;
  readonly taskId: string;
  readonly kind: AttachmentKind;
  readonly mime: string;
  /** Bytes of `blob`. */
  readonly size: number;
  /** Lower-case hex SHA-256 of the bytes, computed at capture before the row was written. */
  readonly sha256: string;
  readonly blob: Blob;
  /** Small JPEG/PNG preview (≤ 240 px) or null for a PDF scan. */
  readonly thumbnail: Blob | null;
  /** Original file name, or a generated one for camera shots and signatures. */
  readonly fileName: string;
  /** ISO instant of capture (device clock). */
  readonly capturedAt: string;
  /**
   * Set when the original's bytes were deleted to free space, after a platform receipt covering this
   * id and SHA-256 and the retention period: `blob` is then empty, while `size`, `sha256` and the
   * thumbnail stay, so the record still says what the platform holds. Absent on rows never reclaimed.
   */
  readonly reclaimed?: { readonly at: string } | null;
  /*
   * Added later, optional (rows written before have none): platform − device clock in ms as last
   * measured (null: never measured), where it was taken, what an image file's EXIF says, and for a
   * marked-up copy the original it was drawn on.
   */
  readonly clockSkewMs?: number | null;
  readonly place?: EvidencePlace;
  readonly exif?: ExifSummary | null;
  readonly annotationOf?: { readonly id: string; readonly sha256: string };
  /**
   * Video and audio: the bytes are not in `blob` (empty) but in `mediaChunks`, `chunkCount` chunks
   * of `chunkSize` bytes (the last one shorter), each sealed on its own; plus the recording's
   * length and time range.
   */
  readonly media?: MediaInfo;
  /** Read-only: the clips marked on a recording, attached when the row is read (stored in `mediaClips`). */
  readonly clips?: readonly StoredClip[];
}

export interface MediaInfo extends MediaTiming {
  readonly chunkSize: number;
  readonly chunkCount: number;
}

export interface StoredClip extends ClipMark {
  readonly id: string;
  readonly markedAt: string;
}
