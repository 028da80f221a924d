/**
 * The inspection service's body-camera part: import a recording into the open draft, open it for
 * the player, and mark or remove clips. Clip marks are checked against the recording's duration
 * here and again by the payload schema at finalize (and by the platform).
 */
import { CLIPS_PER_FILE_MAX, checkClip } from '../../../../shared/domain/media-clips.js';
import { mediaChunksRepo } from '../../db/index.js';
import type { EvidencePlace } from '../../../../shared/domain/evidence-meta.js';
import type { Runtime } from '../runtime.js';
import type { CaptureLocation, InspectionService } from './inspection.api.js';
import { importMedia, mediaBlob } from './media-import.js';
import { elementProbe } from './media-probe.js';

type MediaMethods = Pick<InspectionService, 'importMedia' | 'openMedia' | 'markClip' | 'removeClip'>;
type Where = (
  taskId: string,
  location: CaptureLocation | undefined,
) => Promise<{ clockSkewMs: number | null; place: EvidencePlace }>;

function browserEstimate(): Promise<{ usage?: number; quota?: number }> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return Promise.resolve({});
  return navigator.storage.estimate();
}

export function mediaMethods(rt: Runtime, where: Where): MediaMethods {
  const { drafts, attachments: files } = rt.repos;
  const chunks = mediaChunksRepo(rt.dbs.field);
  return {
    async importMedia(taskId, file, fileName, lastModified, location, onProgress) {
      const draft = await drafts.get(taskId);
      if (!draft || draft.frozen) throw new Error('请先开始检查，再导入录像/录音');
      const { clockSkewMs, place } = await where(taskId, location);
      return importMedia(
        { files, chunks, now: rt.now, player: elementProbe, estimate: browserEstimate },
        { taskId, resultId: draft.resultId, file, fileName, lastModified, clockSkewMs, place },
        onProgress,
      );
    },
    async openMedia(attachmentId) {
      const row = await files.get(attachmentId);
      if (!row) throw new Error(`找不到录像/录音 ${attachmentId}`);
      return mediaBlob(row, chunks);
    },
    async markClip(attachmentId, clip) {
      const row = await files.get(attachmentId);
      if (!row?.media) return { ok: false, error: { kind: 'invalid', message: '只能在录像或录音上标记片段' } };
      if ((row.clips?.length ?? 0) >= CLIPS_PER_FILE_MAX)
        return { ok: false, error: { kind: 'invalid', message: `每个文件最多标记 ${CLIPS_PER_FILE_MAX} 个片段` } };
      const checked = checkClip(clip, row.media.durationS);
      if (!checked.ok) return { ok: false, error: { kind: 'invalid', message: checked.message } };
      await files.markClip({
        id: `clip-${crypto.randomUUID()}`,
        attachmentId,
        resultId: row.resultId,
        taskId: row.taskId,
        ...checked.clip,
        markedAt: rt.now().toISOString(),
      });
      return { ok: true };
    },
    async removeClip(clipId) {
      await files.removeClip(clipId, rt.now().toISOString());
    },
  };
}
