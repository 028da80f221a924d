/**
 * Importing a body-camera video or audio file of any size in one streamed pass: the file is read
 * in fixed-size chunks (Blob.slice, so only a chunk or two is ever in memory), each chunk goes into
 * the running SHA-256 (hash-wasm, WebAssembly) and is sealed and stored as it arrives; the next
 * chunk is read while the current one is sealed and written. The attachment row — kind, size,
 * hash, chunk count, duration and time range — is written last, in a transaction that checks every
 * chunk is there, so a half-imported file is never evidence.
 *
 * A full disk (QuotaExceededError) stops the import, deletes the chunks it wrote and says in
 * zh-CN how much room the file needs; everything saved before the import stays as it was.
 */
import { createSHA256 } from 'hash-wasm';
import type { EvidencePlace } from '../../../../shared/domain/evidence-meta.js';
import type { MediaKind } from '../../../../shared/domain/media-clips.js';
import {
  chunksInOrder,
  isQuotaError,
  type AttachmentRow,
  type AttachmentsRepo,
  type MediaChunksRepo,
} from '../../db/index.js';
import type { EvidenceFile } from '../api.js';
import { toEvidenceFile } from './inspection-evidence.js';
import { probeMedia, type PlayerProbe } from './media-probe.js';

/** 4 MiB: large enough that per-chunk costs (a transaction, a seal) vanish, small enough to hold two. */
export const MEDIA_CHUNK_BYTES = 4 * 1024 * 1024;

export type MediaImportOutcome =
  | { readonly ok: true; readonly file: EvidenceFile }
  | {
      readonly ok: false;
      readonly error: { readonly kind: 'not-media' | 'empty' | 'storage-full'; readonly message: string };
    };

export interface MediaImportDeps {
  readonly files: AttachmentsRepo;
  readonly chunks: MediaChunksRepo;
  readonly now: () => Date;
  readonly player: PlayerProbe | null;
  /** navigator.storage.estimate where there is one: the storage-full message says how much is missing. */
  readonly estimate: () => Promise<{ usage?: number; quota?: number }>;
  readonly chunkBytes?: number;
}

export interface MediaImportInput {
  readonly taskId: string;
  readonly resultId: string;
  readonly file: Blob;
  readonly fileName: string;
  /** File.lastModified (ms) when the file came from disk; null otherwise. */
  readonly lastModified: number | null;
  readonly clockSkewMs: number | null;
  readonly place: EvidencePlace;
}

export interface MediaImportProgress {
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

const VIDEO_EXT = /\.(mp4|mov|m4v)$/i;
const AUDIO_EXT = /\.(m4a|mp3|wav|aac)$/i;

/** Video or audio by MIME type, else by the file name's extension (USB copies often have no type). */
export function mediaKindOf(mime: string, fileName: string): MediaKind | null {
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (VIDEO_EXT.test(fileName)) return 'video';
  if (AUDIO_EXT.test(fileName)) return 'audio';
  return null;
}

function mimeOf(file: Blob, fileName: string, kind: MediaKind): string {
  if (file.type) return file.type;
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const byExt: Record<string, string> = {
    mp4: 'video/mp4',
    m4v: 'video/mp4',
    mov: 'video/quicktime',
    m4a: 'audio/mp4',
    aac: 'audio/aac',
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
  };
  return byExt[ext] ?? (kind === 'video' ? 'video/mp4' : 'audio/mpeg');
}

export function formatSize(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.max(1, Math.ceil(n / 1024))} KB`;
}

async function storageFullMessage(size: number, estimate: MediaImportDeps['estimate']): Promise<string> {
  const base = `本机存储空间不足，录像/录音未保存（此前保存的证据和检查记录不受影响）。此文件需要 ${formatSize(size)}`;
  try {
    const { usage, quota } = await estimate();
    if (usage !== undefined && quota !== undefined) {
      const free = Math.max(0, quota - usage);
      return `${base}，当前可用 ${formatSize(free)}，还需腾出约 ${formatSize(Math.max(size - free, 0))}。`;
    }
  } catch {
    // no estimate: the file's size is still said
  }
  return `${base}，请清理磁盘后重试。`;
}

/** Imports running in this window: their chunks have no row yet and must not be swept. */
const importing = new Set<string>();

/**
 * Deletes the chunks of imports that never finished (the app was killed or the power cut mid-import):
 * chunks whose file has no attachment row and that no running import is writing.
 */
export async function sweepUnfinished(files: AttachmentsRepo, chunks: MediaChunksRepo): Promise<number> {
  let swept = 0;
  for (const id of await chunks.attachmentIds()) {
    if (importing.has(id) || (await files.get(id))) continue;
    await chunks.drop(id);
    swept += 1;
  }
  return swept;
}

export async function importMedia(
  deps: MediaImportDeps,
  input: MediaImportInput,
  onProgress?: (p: MediaImportProgress) => void,
): Promise<MediaImportOutcome> {
  const { file } = input;
  const kind = mediaKindOf(file.type, input.fileName);
  if (!kind)
    return {
      ok: false,
      error: { kind: 'not-media', message: '只能导入录像（mp4、mov）或录音（m4a、mp3、wav）文件' },
    };
  if (file.size === 0) return { ok: false, error: { kind: 'empty', message: '文件是空的，未保存' } };
  const chunkSize = deps.chunkBytes ?? MEDIA_CHUNK_BYTES;
  const chunkCount = Math.ceil(file.size / chunkSize);
  const id = `att-${crypto.randomUUID()}`;
  const capturedAt = deps.now().toISOString();
  const timing = await probeMedia(
    file,
    kind,
    input.lastModified !== null ? new Date(input.lastModified) : null,
    deps.now(),
    deps.player,
  );
  await sweepUnfinished(deps.files, deps.chunks);
  const hasher = await createSHA256();
  hasher.init();
  importing.add(id);
  let writing: Promise<void> = Promise.resolve();
  const read = (i: number): Promise<ArrayBuffer> =>
    file.slice(i * chunkSize, Math.min(file.size, (i + 1) * chunkSize)).arrayBuffer();
  try {
    let next = read(0);
    for (let i = 0; i < chunkCount; i += 1) {
      const bytes = new Uint8Array(await next);
      // Three stages overlap: chunk i+1 is read and chunk i hashed while chunk i−1 is sealed and
      // written. At most three chunks are in memory.
      if (i + 1 < chunkCount) next = read(i + 1);
      hasher.update(bytes);
      await writing;
      if (i > 0) onProgress?.({ bytesDone: i * chunkSize, bytesTotal: file.size });
      writing = deps.chunks.put(id, i, bytes);
      // Marked handled now (it is awaited at the next chunk or in the catch below), so a failure
      // while the next chunk is read is not reported as unhandled.
      writing.catch(() => undefined);
    }
    await writing;
    onProgress?.({ bytesDone: file.size, bytesTotal: file.size });
    const row: AttachmentRow = {
      id,
      resultId: input.resultId,
      taskId: input.taskId,
      kind,
      mime: mimeOf(file, input.fileName, kind),
      size: file.size,
      sha256: hasher.digest('hex'),
      blob: new Blob([], { type: mimeOf(file, input.fileName, kind) }),
      thumbnail: null,
      fileName: input.fileName,
      capturedAt,
      clockSkewMs: input.clockSkewMs,
      place: input.place,
      media: { ...timing, chunkSize, chunkCount },
    };
    return { ok: true, file: toEvidenceFile(await deps.files.add(row)) };
  } catch (e) {
    // Whatever went wrong, no partial recording stays behind; the draft and earlier evidence are
    // untouched. A write still in flight is let finish first, so it cannot land after the drop.
    await writing.catch(() => undefined);
    await deps.chunks.drop(id).catch(() => undefined);
    if (isQuotaError(e) || (e instanceof Error && e.name === 'StorageFullError'))
      return {
        ok: false,
        error: { kind: 'storage-full', message: await storageFullMessage(file.size, deps.estimate) },
      };
    throw e;
  } finally {
    importing.delete(id);
  }
}

/**
 * The recording as one Blob for the player, built from a Blob per decrypted chunk: only one chunk
 * is in the JS heap at a time, and Chromium keeps large Blobs on disk rather than in memory.
 */
export async function mediaBlob(row: AttachmentRow, chunks: MediaChunksRepo): Promise<Blob> {
  if (!row.media) throw new Error(`附件 ${row.id} 不是录像或录音`);
  if (row.reclaimed) throw new Error('该文件的原件已在平台确认保存后从本机清理，不能在本机播放');
  const parts: Blob[] = [];
  for await (const bytes of chunksInOrder(chunks, row.id, row.media.chunkCount))
    parts.push(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  return new Blob(parts, { type: row.mime });
}

/**
 * The SHA-256 of a stored recording, recomputed from its sealed chunks one at a time (a reclaim
 * must prove the bytes on disk are still the bytes the receipt names, without holding the file).
 */
export async function hashMediaChunks(row: AttachmentRow, chunks: MediaChunksRepo): Promise<string> {
  if (!row.media) throw new Error(`附件 ${row.id} 不是录像或录音`);
  const hasher = await createSHA256();
  hasher.init();
  for await (const bytes of chunksInOrder(chunks, row.id, row.media.chunkCount)) hasher.update(bytes);
  return hasher.digest('hex');
}
