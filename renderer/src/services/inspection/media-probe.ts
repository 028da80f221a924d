/**
 * How long a recording is and when it started, read cheaply from the file without loading it:
 * - mp4 / mov / m4a: the 'mvhd' box inside 'moov' holds the duration (timescale units) and the
 *   creation time the camera wrote (seconds since 1904-01-01 UTC). Only box headers are read, a
 *   few bytes each, wherever 'moov' sits (body cameras often write it at the end).
 * - WAV: the 'fmt ' byte rate and the 'data' chunk's size.
 * - anything else (mp3, or a container this reader does not know): the caller's player probe (a
 *   <video>/<audio> element's loadedmetadata in the window), which gives the duration only.
 */
import { mediaTiming, type MediaTiming } from '../../../../shared/domain/media-clips.js';

/** Seconds between 1904-01-01 (the QuickTime epoch) and 1970-01-01. */
const QT_EPOCH_OFFSET_S = 2_082_844_800;
/** Boxes walked before giving up: a damaged or non-mp4 file must not make this loop for long. */
const MAX_BOXES = 4096;

async function bytesAt(file: Blob, offset: number, length: number): Promise<DataView> {
  const end = Math.min(file.size, offset + length);
  return new DataView(await file.slice(offset, end).arrayBuffer());
}

function fourcc(v: DataView, at: number): string {
  return String.fromCharCode(v.getUint8(at), v.getUint8(at + 1), v.getUint8(at + 2), v.getUint8(at + 3));
}

interface Box {
  readonly type: string;
  readonly start: number;
  /** Where the box's content begins (after size, type and any 64-bit size). */
  readonly body: number;
  readonly end: number;
}

async function boxesIn(file: Blob, from: number, to: number): Promise<Box[]> {
  const out: Box[] = [];
  let at = from;
  while (at + 8 <= to && out.length < MAX_BOXES) {
    const v = await bytesAt(file, at, 16);
    if (v.byteLength < 8) break;
    let size = v.getUint32(0);
    const type = fourcc(v, 4);
    let header = 8;
    if (size === 1) {
      if (v.byteLength < 16) break;
      size = v.getUint32(8) * 2 ** 32 + v.getUint32(12);
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to || !/^[\x20-\x7e]{4}$/.test(type)) break;
    out.push({ type, start: at, body: at + header, end: at + size });
    at += size;
  }
  return out;
}

export interface ContainerInfo {
  readonly durationS: number;
  /** The creation time the recorder wrote, when plausible; null when zero or nonsensical. */
  readonly createdAt: Date | null;
}

/** Duration and creation time from an mp4/mov/m4a 'mvhd'; null when the file has none. */
export async function readMvhd(file: Blob, now: Date): Promise<ContainerInfo | null> {
  const moov = (await boxesIn(file, 0, file.size)).find((b) => b.type === 'moov');
  if (!moov) return null;
  const mvhd = (await boxesIn(file, moov.body, moov.end)).find((b) => b.type === 'mvhd');
  if (!mvhd) return null;
  const v = await bytesAt(file, mvhd.body, 32);
  if (v.byteLength < 20) return null;
  const version = v.getUint8(0);
  let created: number;
  let timescale: number;
  let duration: number;
  if (version === 1) {
    if (v.byteLength < 32) return null;
    created = v.getUint32(4) * 2 ** 32 + v.getUint32(8);
    timescale = v.getUint32(20);
    duration = v.getUint32(24) * 2 ** 32 + v.getUint32(28);
  } else {
    created = v.getUint32(4);
    timescale = v.getUint32(12);
    duration = v.getUint32(16);
  }
  if (timescale === 0) return null;
  const unixMs = (created - QT_EPOCH_OFFSET_S) * 1000;
  // A camera whose clock was never set writes 0 (1904) or a date in the future: not a start time.
  const plausible = created > 0 && unixMs > Date.UTC(2000, 0, 1) && unixMs < now.getTime() + 86_400_000;
  return { durationS: duration / timescale, createdAt: plausible ? new Date(unixMs) : null };
}

/** Duration of a PCM WAV from its byte rate and data size; null when the header is not a WAV's. */
export async function readWavDuration(file: Blob): Promise<number | null> {
  const head = await bytesAt(file, 0, 12);
  if (head.byteLength < 12 || fourcc(head, 0) !== 'RIFF' || fourcc(head, 8) !== 'WAVE') return null;
  let at = 12;
  let byteRate = 0;
  for (let i = 0; i < 64 && at + 8 <= file.size; i += 1) {
    const h = await bytesAt(file, at, 20);
    const id = fourcc(h, 0);
    const size = h.getUint32(4, true);
    // 'fmt ' body: format (2), channels (2), sample rate (4), byte rate (4).
    if (id === 'fmt ' && h.byteLength >= 20) byteRate = h.getUint32(8 + 8, true);
    if (id === 'data') return byteRate > 0 ? Math.min(size, file.size - at - 8) / byteRate : null;
    at += 8 + size + (size % 2);
  }
  return null;
}

/** The player's view of the duration (window only; injected so the service runs without a DOM in tests). */
export type PlayerProbe = (file: Blob, kind: 'video' | 'audio') => Promise<number | null>;

/**
 * Duration and time range: the container first (cheap and it carries the camera's start time),
 * then the player. The start is the 'mvhd' creation time when plausible, else the file's
 * last-modified time minus the duration (cameras close the file when they stop recording).
 */
export async function probeMedia(
  file: Blob,
  kind: 'video' | 'audio',
  lastModified: Date | null,
  now: Date,
  player: PlayerProbe | null,
): Promise<MediaTiming> {
  const mvhd = await readMvhd(file, now).catch(() => null);
  if (mvhd)
    return mediaTiming(mvhd.durationS, mvhd.createdAt ? { at: mvhd.createdAt, source: 'mvhd' } : null, lastModified);
  const wav = await readWavDuration(file).catch(() => null);
  if (wav !== null) return mediaTiming(wav, null, lastModified);
  const played = player ? await player(file, kind).catch(() => null) : null;
  return mediaTiming(played, null, lastModified);
}

/** loadedmetadata of a detached media element on an object URL (nothing is decoded beyond the header). */
export const elementProbe: PlayerProbe = (file, kind) =>
  new Promise((resolve) => {
    if (typeof document === 'undefined') {
      resolve(null);
      return;
    }
    const el = document.createElement(kind);
    const url = URL.createObjectURL(file);
    const done = (v: number | null): void => {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
      el.removeAttribute('src');
      resolve(v);
    };
    // A file the player cannot read may never answer: the recording is still kept, without a duration.
    const timer = setTimeout(() => done(null), 10_000);
    el.preload = 'metadata';
    el.onloadedmetadata = () => done(Number.isFinite(el.duration) ? el.duration : null);
    el.onerror = () => done(null);
    el.src = url;
  });
