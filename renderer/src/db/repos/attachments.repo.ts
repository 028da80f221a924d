/**
 * Evidence attachments (photos, scans, signature PNGs) as Blobs in the field database.
 *
 * API for other parts (the tus uploader reads here):
 *   attachmentsRepo(db).forResult(resultId) → rows of that result, in capture order
 *   attachmentsRepo(db).get(id)             → one row or null
 *   attachmentsRepo(db).add(row)            → writes one immutable row (strict tx); refuses after finalize
 *   attachmentsRepo(db).remove(id, why)     → deletes a row of a draft that is not finalized
 *   attachmentsRepo(db).reclaim(id, proof)  → empties the original of a FINALIZED result's photo, scan or recording
 *                                             (the caller has checked the receipt, retention and the
 *                                             bytes' hash); the row, its hash and thumbnail stay
 *   attachmentsRepo(db).markClip(clip)      → a clip mark on a recording of an open draft (+ audit entry)
 *   attachmentsRepo(db).removeClip(id, at)  → removes one (+ audit entry)
 * A video/audio row's bytes are in mediaChunks (media-chunks.repo.ts); `add` writes the row only
 * when every chunk it names is stored, and read rows carry their clip marks in `clips`.
 * Each add and remove appends its audit entry (evidence.added / signature.added / evidence.removed)
 * in the same transaction as the write, so the inspector's chain holds every capture and removal.
 *   hashBlob(blob)                          → lower-case hex SHA-256 (call before add, outside any tx)
 * A full disk surfaces as StorageFullError (zh-CN message); the transaction is aborted, so no
 * half-written row exists and the rest of the draft is untouched.
 */
import { toHex } from '../../../../shared/domain/canonical.js';
import type { FieldDb } from '../databases.js';
import type { AttachmentRow, StoredClip } from '../evidence-rows.js';
import type { MediaClipRow } from '../migrations/field-v11.js';
import { auditRepo, type AuditInput } from './audit.repo.js';
import { DraftFrozenError } from './drafts.repo.js';
import { summaryOf } from './evidence-index.repo.js';

export class StorageFullError extends Error {
  constructor() {
    super('本机存储空间已满，附件未保存。已填写的检查记录不受影响；请删除不需要的照片或清理磁盘后重试。');
    this.name = 'StorageFullError';
  }
}

export function isQuotaError(e: unknown): boolean {
  if (!(e instanceof Error) && !(typeof e === 'object' && e !== null)) return false;
  const name = (e as { name?: unknown }).name;
  const inner = (e as { inner?: unknown }).inner;
  return name === 'QuotaExceededError' || (inner !== undefined && inner !== e && isQuotaError(inner));
}

export async function hashBlob(blob: Blob): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()));
}

/**
 * In a sealed partition a row is sealed synchronously inside its transaction, which cannot read a
 * Blob (that is asynchronous). So there the Blobs are read into bytes first and stored as bytes,
 * and turned back into Blobs when read; a clear database keeps them as Blobs.
 */
interface StoredBlob {
  readonly bytes: Uint8Array;
  readonly type: string;
}

async function toStored(blob: Blob): Promise<StoredBlob> {
  return { bytes: new Uint8Array(await blob.arrayBuffer()), type: blob.type };
}

function isStoredBlob(v: unknown): v is StoredBlob {
  return typeof v === 'object' && v !== null && 'bytes' in v && (v as StoredBlob).bytes instanceof Uint8Array;
}

function fromStored(row: AttachmentRow): AttachmentRow {
  const blob: unknown = row.blob;
  const thumb: unknown = row.thumbnail;
  if (!isStoredBlob(blob)) return row;
  return {
    ...row,
    blob: new Blob([blob.bytes as Uint8Array<ArrayBuffer>], { type: blob.type }),
    thumbnail: isStoredBlob(thumb) ? new Blob([thumb.bytes as Uint8Array<ArrayBuffer>], { type: thumb.type }) : null,
  };
}

export interface AttachmentsRepo {
  get(id: string): Promise<AttachmentRow | null>;
  forResult(resultId: string): Promise<AttachmentRow[]>;
  forTask(taskId: string): Promise<AttachmentRow[]>;
  add(row: AttachmentRow): Promise<AttachmentRow>;
  remove(id: string, why: { reason: string; at: string }): Promise<void>;
  /**
   * Frees the bytes of one original (a recording's chunks too), recording `evidence.reclaimed` in the same transaction. Returns
   * the bytes freed, 0 when it was reclaimed meanwhile. Throws when the row is missing, is a
   * signature, its result is not finalized or its stored hash is not the one proven.
   */
  reclaim(id: string, proof: ReclaimProof): Promise<number>;
  /** Stores a checked clip mark (the caller validated it against the duration); refuses after finalize. */
  markClip(clip: MediaClipRow): Promise<void>;
  removeClip(id: string, at: string): Promise<void>;
}

export interface ReclaimProof {
  /** The SHA-256 recomputed from the bytes just before, which the receipt covers. */
  readonly sha256: string;
  readonly at: string;
  /** When the platform received the result (the receipt's receivedAt): retention counts from it. */
  readonly receiptReceivedAt: string;
}

/** A signature's file is named after its slot (`inspector-<id>.png`, `party.png`): whose it is. */
function signer(row: AttachmentRow): string {
  return row.fileName.replace(/\.png$/, '');
}

function clipOf(c: MediaClipRow): StoredClip {
  return { id: c.id, fromS: c.fromS, toS: c.toS, note: c.note, markedAt: c.markedAt };
}

function clipEntry(kind: 'media.clip-marked' | 'media.clip-removed', c: MediaClipRow, at: string): AuditInput {
  return {
    at,
    kind,
    subjectId: c.id,
    detail: { taskId: c.taskId, resultId: c.resultId, attachmentId: c.attachmentId, fromS: c.fromS, toS: c.toS },
  };
}

function addedEntry(row: AttachmentRow): AuditInput {
  const base = { taskId: row.taskId, resultId: row.resultId, sha256: row.sha256 };
  return row.kind === 'signature'
    ? { at: row.capturedAt, kind: 'signature.added', subjectId: row.id, detail: { ...base, signer: signer(row) } }
    : {
        at: row.capturedAt,
        kind: 'evidence.added',
        subjectId: row.id,
        detail: {
          ...base,
          evidenceKind: row.kind,
          capturedAt: row.capturedAt,
          size: row.size,
          // Where it was taken and, for a marked-up copy, which file it was drawn on: the chain then
          // holds both hashes even if a later record is disputed.
          ...(row.place ? { placeSource: row.place.source } : {}),
          ...(row.annotationOf ? { annotationOf: row.annotationOf.id, originalSha256: row.annotationOf.sha256 } : {}),
          ...(row.media ? { durationS: row.media.durationS, startedAt: row.media.startedAt } : {}),
        },
      };
}

export const MAX_REMOVAL_REASON = 200;

/** Bytes an original still holds locally: zero once reclaimed. */
export function originalBytes(row: AttachmentRow): number {
  return row.reclaimed ? 0 : row.size;
}

export function attachmentsRepo(db: FieldDb): AttachmentsRepo {
  /** Evidence of a finalized result is frozen with it (a correction gets a new resultId). */
  async function assertOpen(row: Pick<AttachmentRow, 'taskId' | 'resultId'>): Promise<void> {
    if (await db.results.get(row.resultId)) throw new DraftFrozenError(row.taskId);
  }
  const audit = auditRepo(db);
  /** A recording's clip marks ride on its row when read; other rows are returned as stored. */
  async function withClips(row: AttachmentRow): Promise<AttachmentRow> {
    const opened = fromStored(row);
    if (!opened.media) return opened;
    const clips = await db.mediaClips.where('attachmentId').equals(row.id).sortBy('fromS');
    return { ...opened, clips: clips.map(clipOf) };
  }
  return {
    async get(id) {
      const row = await db.attachments.get(id);
      return row ? withClips(row) : null;
    },
    async forResult(resultId) {
      return Promise.all((await db.attachments.where('resultId').equals(resultId).sortBy('capturedAt')).map(withClips));
    },
    async forTask(taskId) {
      return Promise.all((await db.attachments.where('taskId').equals(taskId).sortBy('capturedAt')).map(withClips));
    },
    async add(row) {
      if (!/^[0-9a-f]{64}$/.test(row.sha256)) throw new Error(`附件 ${row.id} 缺少有效的 SHA-256`);
      const media = row.media;
      if (media) {
        if (row.blob.size !== 0 || media.chunkCount !== Math.ceil(row.size / media.chunkSize))
          throw new Error(`录像/录音 ${row.id} 的大小与分段数不一致`);
      } else if (row.size !== row.blob.size) throw new Error(`附件 ${row.id} 的大小与内容不一致`);
      const stored: AttachmentRow = db.sealingKeys
        ? ({
            ...row,
            blob: await toStored(row.blob),
            thumbnail: row.thumbnail ? await toStored(row.thumbnail) : null,
          } as unknown as AttachmentRow)
        : row;
      try {
        const { clips: _derived, ...toStore } = stored;
        await audit.recording([addedEntry(row)], (entries) =>
          db.transaction('rw', [db.attachments, db.evidenceIndex, db.results, db.audit, db.mediaChunks], async () => {
            await assertOpen(row);
            // The row says the recording is here: only once every chunk is.
            if (media && (await db.mediaChunks.where('attachmentId').equals(row.id).count()) !== media.chunkCount)
              throw new Error(`录像/录音 ${row.id} 的数据未全部保存`);
            await db.attachments.add(toStore);
            await db.evidenceIndex.put(summaryOf(stored));
            for (const e of entries) await audit.writeInTx(e);
          }),
        );
      } catch (e) {
        if (isQuotaError(e)) throw new StorageFullError();
        throw e;
      }
      return row;
    },
    async remove(id, why) {
      const reason = why.reason.trim();
      if (!reason || reason.length > MAX_REMOVAL_REASON)
        throw new Error(`删除证据须填写原因（1–${MAX_REMOVAL_REASON} 字）`);
      const before = await db.attachments.get(id);
      if (!before) return;
      const entry: AuditInput = {
        at: why.at,
        kind: 'evidence.removed',
        subjectId: id,
        detail: {
          taskId: before.taskId,
          resultId: before.resultId,
          evidenceKind: before.kind,
          sha256: before.sha256,
          reason,
        },
      };
      await audit.recording([entry], (entries) =>
        db.transaction(
          'rw',
          [db.attachments, db.evidenceIndex, db.results, db.audit, db.mediaChunks, db.mediaClips],
          async () => {
            const row = await db.attachments.get(id);
            if (!row) return; // removed meanwhile: that removal recorded itself
            await assertOpen(row);
            await db.attachments.delete(id);
            await db.evidenceIndex.delete(id);
            await db.mediaChunks.where('attachmentId').equals(id).delete();
            await db.mediaClips.where('attachmentId').equals(id).delete();
            for (const e of entries) await audit.writeInTx(e);
          },
        ),
      );
    },
    async reclaim(id, proof) {
      const before = await db.attachments.get(id);
      if (!before) throw new Error(`找不到附件 ${id}`);
      const entry: AuditInput = {
        at: proof.at,
        kind: 'evidence.reclaimed',
        subjectId: id,
        detail: {
          taskId: before.taskId,
          resultId: before.resultId,
          evidenceKind: before.kind,
          sha256: proof.sha256,
          size: before.size,
          receiptReceivedAt: proof.receiptReceivedAt,
        },
      };
      return audit.recording([entry], (entries) =>
        db.transaction('rw', [db.attachments, db.evidenceIndex, db.results, db.audit, db.mediaChunks], async () => {
          const row = await db.attachments.get(id);
          if (!row) throw new Error(`找不到附件 ${id}`);
          if (row.reclaimed) return 0; // reclaimed meanwhile: that reclaim recorded itself
          if (row.kind === 'signature') throw new Error('签名不能清理');
          if (!(await db.results.get(row.resultId))) throw new Error('检查记录尚未定稿，原件不能清理');
          if (row.sha256 !== proof.sha256) throw new Error(`附件 ${id} 的校验值与回执不符，未清理`);
          // The row keeps its place, hash and thumbnail: only the original's bytes go.
          const empty = db.sealingKeys
            ? { bytes: new Uint8Array(0), type: row.mime }
            : new Blob([], { type: row.mime });
          const emptied: AttachmentRow = { ...row, blob: empty as unknown as Blob, reclaimed: { at: proof.at } };
          await db.attachments.put(emptied);
          await db.evidenceIndex.put(summaryOf(emptied));
          // A recording's bytes are its chunks; its clip marks stay with the record.
          if (row.media) await db.mediaChunks.where('attachmentId').equals(id).delete();
          for (const e of entries) await audit.writeInTx(e);
          return row.size;
        }),
      );
    },
    async markClip(clip) {
      await audit.recording([clipEntry('media.clip-marked', clip, clip.markedAt)], (entries) =>
        db.transaction('rw', db.attachments, db.results, db.audit, db.mediaClips, async () => {
          const row = await db.attachments.get(clip.attachmentId);
          if (!row?.media) throw new Error(`找不到录像/录音 ${clip.attachmentId}`);
          if (row.resultId !== clip.resultId || row.taskId !== clip.taskId)
            throw new Error(`片段与录像 ${clip.attachmentId} 不属于同一检查记录`);
          await assertOpen(row);
          await db.mediaClips.add(clip);
          for (const e of entries) await audit.writeInTx(e);
        }),
      );
    },
    async removeClip(id, at) {
      const before = await db.mediaClips.get(id);
      if (!before) return;
      await audit.recording([clipEntry('media.clip-removed', before, at)], (entries) =>
        db.transaction('rw', db.results, db.audit, db.mediaClips, async () => {
          const clip = await db.mediaClips.get(id);
          if (!clip) return;
          await assertOpen(clip);
          await db.mediaClips.delete(id);
          for (const e of entries) await audit.writeInTx(e);
        }),
      );
    },
  };
}
