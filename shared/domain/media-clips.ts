/**
 * Body-camera and audio evidence: what the record says about a media file besides its hash, and
 * the clips the inspector marks as the parts that matter. The file itself always stays whole; a
 * clip is only a from–to range (seconds from the file's start) with a note, so a reviewer can jump
 * to it while the full recording remains the evidence.
 */

export const MEDIA_KINDS = ['video', 'audio'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Longest note on one clip mark. */
export const CLIP_NOTE_MAX = 500;
/** Clips per file: a shift's recording with more marks than this is better split into notes. */
export const CLIPS_PER_FILE_MAX = 200;

/**
 * Where the recording's start time came from: the mp4/mov 'mvhd' box's creation time (written by
 * the camera), or the file's last-modified time minus the duration (the camera closes the file when
 * it stops recording), or nowhere (no duration known).
 */
export const MEDIA_START_SOURCES = ['mvhd', 'file-modified', 'unknown'] as const;
export type MediaStartSource = (typeof MEDIA_START_SOURCES)[number];

export interface MediaTiming {
  /** Seconds; null when neither the container nor the player could say. */
  readonly durationS: number | null;
  /** ISO instants of the recording's first and last moment (device or camera clock), null when unknown. */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly startSource: MediaStartSource;
}

export interface ClipMark {
  readonly fromS: number;
  readonly toS: number;
  readonly note: string;
}

export type ClipCheck =
  { readonly ok: true; readonly clip: ClipMark } | { readonly ok: false; readonly message: string };

/** Rounds to milliseconds so the record does not carry float noise from a player's currentTime. */
const ms = (s: number): number => Math.round(s * 1000) / 1000;

/**
 * A clip must lie inside the recording, end after it starts and carry a note saying why it
 * matters. With an unknown duration only the order and sign are checked.
 */
export function checkClip(input: ClipMark, durationS: number | null): ClipCheck {
  const { fromS, toS } = input;
  const note = input.note.trim();
  if (!Number.isFinite(fromS) || !Number.isFinite(toS)) return { ok: false, message: '片段起止时间须为数字（秒）' };
  if (fromS < 0) return { ok: false, message: '片段开始时间不能早于录像开头（0 秒）' };
  if (toS <= fromS) return { ok: false, message: '片段结束时间须晚于开始时间' };
  if (durationS !== null && toS > durationS + 0.001)
    return { ok: false, message: `片段结束时间超出录像时长（${formatSeconds(durationS)}）` };
  if (note.length === 0) return { ok: false, message: '请填写片段说明（该片段记录了什么）' };
  if (note.length > CLIP_NOTE_MAX) return { ok: false, message: `片段说明不能超过 ${CLIP_NOTE_MAX} 字` };
  return { ok: true, clip: { fromS: ms(fromS), toS: ms(Math.min(toS, durationS ?? toS)), note } };
}

/** 1:02:03 / 2:03 / 0:05, for the screen and the printed evidence list. */
export function formatSeconds(total: number): string {
  const s = Math.max(0, Math.floor(total));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** The recording's time range from a known start (or end) and duration. */
export function mediaTiming(
  durationS: number | null,
  start: { readonly at: Date; readonly source: 'mvhd' } | null,
  lastModified: Date | null,
): MediaTiming {
  if (durationS === null || !Number.isFinite(durationS) || durationS < 0)
    return { durationS: null, startedAt: null, endedAt: null, startSource: 'unknown' };
  const d = ms(durationS);
  if (start) {
    return {
      durationS: d,
      startedAt: start.at.toISOString(),
      endedAt: new Date(start.at.getTime() + d * 1000).toISOString(),
      startSource: 'mvhd',
    };
  }
  if (lastModified && Number.isFinite(lastModified.getTime())) {
    return {
      durationS: d,
      startedAt: new Date(lastModified.getTime() - d * 1000).toISOString(),
      endedAt: lastModified.toISOString(),
      startSource: 'file-modified',
    };
  }
  return { durationS: d, startedAt: null, endedAt: null, startSource: 'unknown' };
}

/** An instant as China Standard Time (UTC+8, no daylight saving), e.g. 2026-05-06 09:00:00. */
function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
}

const START_SOURCE_TEXT: Record<MediaStartSource, string> = {
  mvhd: '录像文件记录的时间',
  'file-modified': '按文件修改时间推算',
  unknown: '',
};

/** 时长 and 起止时间 in words, for the evidence list on screen and on paper. */
export function mediaTimeText(m: MediaTiming): string {
  const length = m.durationS === null ? '时长不详' : `时长 ${formatSeconds(m.durationS)}`;
  if (!m.startedAt || !m.endedAt) return `${length}，录制时间不详`;
  return `${length}，${chinaTime(m.startedAt)} 至 ${chinaTime(m.endedAt)}（${START_SOURCE_TEXT[m.startSource]}）`;
}

/** One clip mark in words: 0:05–0:30 出示执法证. */
export function clipText(c: ClipMark): string {
  return `${formatSeconds(c.fromS)}–${formatSeconds(c.toS)} ${c.note}`;
}
