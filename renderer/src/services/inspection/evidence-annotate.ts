/**
 * A marked-up photo (arrows, circles, freehand, text drawn over it) is stored as a new evidence item
 * that names its original by id and SHA-256. The original row is only read, never written: rows are
 * immutable, and the record keeps both files and both hashes.
 */
import type { AttachmentsRepo } from '../../db/index.js';
import type { AnnotateOutcome } from './inspection.api.js';
import { captureEvidence } from './inspection-evidence.js';

export interface AnnotateDeps {
  readonly files: AttachmentsRepo;
  readonly now: () => Date;
  readonly clockSkewMs: () => number | null;
}

export async function annotateEvidence(deps: AnnotateDeps, originalId: string, marked: Blob): Promise<AnnotateOutcome> {
  const original = await deps.files.get(originalId);
  if (!original || original.kind === 'signature')
    return { ok: false, error: { kind: 'no-original', message: '找不到要标注的原始证据（可能已删除）' } };
  if (!original.mime.startsWith('image/'))
    return { ok: false, error: { kind: 'not-an-image', message: '只能在照片或图片扫描件上标注' } };
  if (marked.type !== 'image/png' && marked.type !== 'image/jpeg')
    return { ok: false, error: { kind: 'not-an-image', message: '标注结果须为 PNG 或 JPEG 图片' } };
  const base = original.fileName.replace(/\.[^.]+$/, '');
  const file = await captureEvidence(deps.files, {
    taskId: original.taskId,
    resultId: original.resultId,
    file: marked,
    kind: 'photo',
    fileName: `${base}-标注.${marked.type === 'image/png' ? 'png' : 'jpg'}`,
    capturedAt: deps.now().toISOString(),
    clockSkewMs: deps.clockSkewMs(),
    // The drawing depicts the original's scene: it was taken where the original was.
    ...(original.place ? { place: original.place } : {}),
    annotationOf: { id: original.id, sha256: original.sha256 },
  });
  return { ok: true, file };
}
