/**
 * Capturing evidence: SHA-256 of the bytes with WebCrypto at capture, a small JPEG thumbnail
 * (createImageBitmap + canvas; none for PDFs or where the browser cannot decode), then one strict
 * write through the attachments repository. A full disk surfaces as StorageFullError (zh-CN).
 */
import { exifDifferences, type EvidencePlace } from '../../../../shared/domain/evidence-meta.js';
import { hashBlob, type AttachmentKind, type AttachmentRow, type AttachmentsRepo } from '../../db/index.js';
import type { EvidenceFile } from '../api.js';
import { readExif } from './evidence-exif.js';

const THUMB_PX = 240;
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

export async function makeThumbnail(blob: Blob): Promise<Blob | null> {
  if (!blob.type.startsWith('image/') || typeof createImageBitmap !== 'function') return null;
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = Math.min(1, THUMB_PX / Math.max(bitmap.width, bitmap.height));
    const w = Math.max(1, Math.round(bitmap.width * scale));
    const h = Math.max(1, Math.round(bitmap.height * scale));
    if (typeof OffscreenCanvas === 'function') {
      const canvas = new OffscreenCanvas(w, h);
      canvas.getContext('2d')?.drawImage(bitmap, 0, 0, w, h);
      bitmap.close();
      return await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.75 });
    }
    bitmap.close();
    return null;
  } catch {
    return null; // an undecodable image is still kept as evidence, just without a preview
  }
}

export function toEvidenceFile(row: AttachmentRow): EvidenceFile {
  return {
    id: row.id,
    kind: row.kind,
    mime: row.mime,
    size: row.size,
    sha256: row.sha256,
    fileName: row.fileName,
    capturedAt: row.capturedAt,
    thumbnail: row.thumbnail,
    blob: row.blob,
    reclaimedAt: row.reclaimed?.at ?? null,
    ...(row.clockSkewMs !== undefined ? { clockSkewMs: row.clockSkewMs } : {}),
    ...(row.place ? { place: row.place } : {}),
    ...(row.exif !== undefined ? { exif: row.exif } : {}),
    ...(row.annotationOf ? { annotationOf: row.annotationOf } : {}),
    ...(row.media
      ? {
          media: {
            durationS: row.media.durationS,
            startedAt: row.media.startedAt,
            endedAt: row.media.endedAt,
            startSource: row.media.startSource,
          },
          clips: row.clips ?? [],
        }
      : {}),
    exifDifferences: exifDifferences(row.exif, { capturedAt: row.capturedAt, place: row.place }),
  };
}

export interface CaptureInput {
  readonly taskId: string;
  readonly resultId: string;
  readonly file: Blob;
  readonly kind: AttachmentKind;
  readonly fileName: string;
  readonly capturedAt: string;
  /** Photos and scans: platform − device clock (ms), null when never measured. */
  readonly clockSkewMs?: number | null;
  readonly place?: EvidencePlace;
  readonly annotationOf?: { readonly id: string; readonly sha256: string };
}

export function evidenceKindError(kind: AttachmentKind, file: Blob): string | null {
  if (kind === 'video' || kind === 'audio') return '录像和录音请用「导入录像/录音」添加';
  if (file.size === 0) return '文件是空的，未保存';
  if (file.size > MAX_EVIDENCE_BYTES) return `文件超过 ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB，请压缩后再添加`;
  const image = file.type.startsWith('image/');
  if (kind === 'photo' && !image) return '照片须为图片文件（JPEG、PNG 等）';
  if (kind === 'scan' && !image && file.type !== 'application/pdf') return '扫描件须为 PDF 或图片文件';
  if (kind === 'signature' && file.type !== 'image/png') return '签名须为 PNG 图片';
  return null;
}

export async function captureEvidence(attachments: AttachmentsRepo, input: CaptureInput): Promise<EvidenceFile> {
  const problem = evidenceKindError(input.kind, input.file);
  if (problem) throw new Error(problem);
  const evidence = input.kind !== 'signature';
  const [sha256, thumbnail, exif] = await Promise.all([
    hashBlob(input.file),
    evidence ? makeThumbnail(input.file) : Promise.resolve(null),
    evidence ? readExif(input.file) : Promise.resolve(null),
  ]);
  const row: AttachmentRow = {
    id: `att-${crypto.randomUUID()}`,
    resultId: input.resultId,
    taskId: input.taskId,
    kind: input.kind,
    mime: input.file.type,
    size: input.file.size,
    sha256,
    blob: input.file,
    thumbnail,
    fileName: input.fileName,
    capturedAt: input.capturedAt,
    ...(evidence
      ? {
          clockSkewMs: input.clockSkewMs ?? null,
          exif,
          ...(input.place ? { place: input.place } : {}),
          ...(input.annotationOf ? { annotationOf: input.annotationOf } : {}),
        }
      : {}),
  };
  return toEvidenceFile(await attachments.add(row));
}
