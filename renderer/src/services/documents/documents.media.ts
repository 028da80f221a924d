/**
 * How a recording is described on the evidence lists of documents: what it is (or the inspector's
 * caption), then its length and time range, so the paper says which stretch of which file it means.
 */
import { mediaTimeText } from '../../../../shared/domain/media-clips.js';
import type { EvidenceRef } from '../../../../shared/protocol/index.js';

const DEFAULTS: Readonly<Record<EvidenceRef['kind'], string>> = {
  photo: '现场照片',
  scan: '扫描件',
  video: '执法记录仪录像',
  audio: '现场录音',
};

/** The caption, else a default by kind (`scan` overrides the scan's default), plus a recording's time. */
export function evidenceDescription(e: EvidenceRef, scan = DEFAULTS.scan): string {
  const text = e.caption.trim() || (e.kind === 'scan' ? scan : DEFAULTS[e.kind]);
  return e.media ? `${text}（${mediaTimeText(e.media)}）` : text;
}
