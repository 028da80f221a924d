/**
 * The bytes of body-camera video and audio files, in chunks (field v11 `mediaChunks`).
 *
 * Each chunk is sealed with WebCrypto before its transaction (several MB: the synchronous sealer of
 * the middleware would block the window thread for long) and written through the database's own
 * IndexedDB connection, below the sealing middleware. The key stays in clear; the bytes are sealed
 * in segments of 512 KiB and stored as one Blob. Two measurements chose this form:
 * - WebCrypto AES-GCM runs about 3× faster on inputs under 1 MiB than on larger ones
 *   (`npm run bench -- webcrypto-size`), so a 4 MiB chunk is sealed and opened as eight segments;
 * - a Blob value is handed to IndexedDB by reference, where a byte array over 64 KiB is copied into
 *   a blob file inside put(), on this thread (`npm run bench -- idb-wrap`).
 * Each segment's AAD names the database, table, [attachmentId, index], the segment's number, the
 * segment count and the segment size, so a segment moved, dropped or added, or a chunk moved to
 * another place, fails to open. Chunks written before segments (one sealed value of the whole row
 * in `$s`, as the middleware writes) are still read. Only a chunk or two is ever held in memory.
 *
 * A full disk surfaces as the IndexedDB QuotaExceededError, which the importer turns into a
 * message saying how much room is needed; it then drops the chunks it wrote.
 */
import { SEAL_OVERHEAD, openBytesAsync, sealBytesAsync } from '../../vault/seal.js';
import { openJsonAsync } from '../../vault/sealed-json.js';
import { VaultLockedError } from '../../vault/vault.errors.js';
import type { FieldDb } from '../databases.js';
import { SEALED_FIELD, sealedRowAad } from '../sealing.js';
import type { MediaChunkRow } from '../migrations/field-v11.js';

export type { MediaChunkRow, MediaClipRow } from '../migrations/field-v11.js';

export interface MediaChunksRepo {
  /** Stores one chunk; resolves after the commit (relaxed: the row's strict commit flushes it, see below). */
  put(attachmentId: string, index: number, bytes: Uint8Array): Promise<void>;
  /** Every attachment id that has chunks (to find those of imports that never finished). */
  attachmentIds(): Promise<string[]>;
  /** The chunk's bytes, opened; throws when it is missing (a broken invariant: the row names it). */
  read(attachmentId: string, index: number): Promise<Uint8Array>;
  count(attachmentId: string): Promise<number>;
  /** Deletes every chunk of the file (an import that did not finish, or removed evidence). */
  drop(attachmentId: string): Promise<void>;
}

/**
 * Chunks 0..count−1 of a recording in order, each read and opened while the caller uses the one
 * before it: the IndexedDB read and the decryption run off this thread, so overlapping them with
 * the caller's work (a Blob for the player, a hash, a bundle) is most of a recording's read time.
 * Two chunks are in memory at most. A chunk that fails is thrown where the caller asks for it.
 */
export async function* chunksInOrder(
  chunks: Pick<MediaChunksRepo, 'read'>,
  attachmentId: string,
  count: number,
): AsyncGenerator<Uint8Array, void, undefined> {
  let next = count > 0 ? chunks.read(attachmentId, 0) : null;
  for (let i = 0; next; i += 1) {
    const bytes = await next;
    next = i + 1 < count ? chunks.read(attachmentId, i + 1) : null;
    next?.catch(() => undefined); // awaited on the next turn; never unhandled if the caller stops first
    yield bytes;
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Plaintext bytes per sealed segment: under 1 MiB, where WebCrypto's AES-GCM is fastest here. */
export const MEDIA_SEGMENT_BYTES = 512 * 1024;
/** The sealed segments, one Blob. */
const SEGMENTS_FIELD = '$m';
/** The plaintext segment size the chunk was sealed with (every segment but the last has it). */
const SEGMENT_SIZE_FIELD = '$seg';
/** Far above any size we write: a larger one on disk is damage, not a format. */
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;

/** A chunk as stored when the partition is sealed. */
export interface SealedMediaChunk {
  readonly attachmentId: string;
  readonly index: number;
  readonly [SEGMENTS_FIELD]: Blob;
  readonly [SEGMENT_SIZE_FIELD]: number;
}

const utf8 = new TextEncoder();

function segmentAad(rowAad: Uint8Array, k: number, count: number, size: number): Uint8Array {
  const tail = utf8.encode(`|segment ${k}/${count} of ${size}`);
  const out = new Uint8Array(rowAad.length + tail.length);
  out.set(rowAad);
  out.set(tail, rowAad.length);
  return out;
}

const MEDIA_CHUNKS_TABLE = 'mediaChunks';

/** `step` for every segment of a chunk at once: WebCrypto runs them off this thread, side by side. */
function eachSegment<T>(count: number, step: (k: number) => Promise<T>): Promise<T[]> {
  return Promise.all(Array.from({ length: count }, (_, k) => step(k)));
}

/** Seals one chunk's bytes as segments of `segmentBytes`, all at once (WebCrypto runs them off this thread). */
export async function sealMediaChunk(
  key: Uint8Array,
  dbName: string,
  attachmentId: string,
  index: number,
  bytes: Uint8Array,
  segmentBytes = MEDIA_SEGMENT_BYTES,
): Promise<SealedMediaChunk> {
  const rowAad = sealedRowAad(dbName, MEDIA_CHUNKS_TABLE, [attachmentId, index]);
  const count = Math.max(1, Math.ceil(bytes.length / segmentBytes));
  const sealed = await eachSegment(count, (k) =>
    sealBytesAsync(
      key,
      bytes.subarray(k * segmentBytes, (k + 1) * segmentBytes),
      segmentAad(rowAad, k, count, segmentBytes),
    ),
  );
  return {
    attachmentId,
    index,
    [SEGMENTS_FIELD]: new Blob(sealed as Uint8Array<ArrayBuffer>[]),
    [SEGMENT_SIZE_FIELD]: segmentBytes,
  };
}

/**
 * Opens a chunk stored by sealMediaChunk. Throws on anything that does not open exactly: a damaged
 * row or unreadable blob file (zh-CN message), a segment that fails its tag (VaultError, as a chunk
 * sealed whole does).
 */
export async function openMediaChunk(
  key: Uint8Array,
  dbName: string,
  attachmentId: string,
  index: number,
  stored: Record<string, unknown>,
): Promise<Uint8Array> {
  const where = `录像/录音 ${attachmentId} 第 ${index + 1} 段`;
  const blob = stored[SEGMENTS_FIELD];
  const size = stored[SEGMENT_SIZE_FIELD];
  if (
    !(blob instanceof Blob) ||
    !Number.isSafeInteger(size) ||
    (size as number) <= 0 ||
    (size as number) > MAX_SEGMENT_BYTES
  )
    throw new Error(`${where}的分块信息不符`);
  const segmentBytes = size as number;
  let all: Uint8Array;
  try {
    all = new Uint8Array(await blob.arrayBuffer());
  } catch (e) {
    throw new Error(`${where}的数据无法从磁盘读取：${e instanceof Error ? e.message : String(e)}`);
  }
  const sealedSize = segmentBytes + SEAL_OVERHEAD;
  const count = Math.max(1, Math.ceil(all.length / sealedSize));
  const rowAad = sealedRowAad(dbName, MEDIA_CHUNKS_TABLE, [attachmentId, index]);
  const plain = await eachSegment(count, (k) =>
    openBytesAsync(key, all.subarray(k * sealedSize, (k + 1) * sealedSize), segmentAad(rowAad, k, count, segmentBytes)),
  );
  const out = new Uint8Array(plain.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of plain) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function mediaChunksRepo(db: FieldDb): MediaChunksRepo {
  const table = MEDIA_CHUNKS_TABLE;
  const key = (): Uint8Array | null => {
    if (!db.sealingKeys) return null;
    const k = db.sealingKeys.current();
    if (!k) throw new VaultLockedError(table);
    return k;
  };
  async function idb(): Promise<IDBDatabase> {
    if (!db.isOpen()) await db.open();
    return db.backendDB();
  }
  return {
    async put(attachmentId, index, bytes) {
      const k = key();
      const stored: unknown = k
        ? await sealMediaChunk(k, db.name, attachmentId, index, bytes)
        : ({ attachmentId, index, bytes } satisfies MediaChunkRow);
      const conn = await idb();
      await new Promise<void>((resolve, reject) => {
        // Relaxed: on disk before the commit event (a killed browser keeps it) without an fsync per
        // chunk, which made a 1 GB import wait on 256 flushes. The attachment row that makes the
        // chunks evidence is committed strictly afterwards, and that flush of the database's log
        // covers the chunk writes committed before it; a power cut before it leaves only chunks
        // without a row, which the next import deletes.
        const tx = conn.transaction(table, 'readwrite', { durability: 'relaxed' });
        tx.objectStore(table).put(stored);
        tx.oncomplete = () => resolve();
        tx.onabort = () => reject(tx.error ?? new DOMException('media chunk write aborted', 'AbortError'));
      });
    },
    async read(attachmentId, index) {
      const conn = await idb();
      const tx = conn.transaction(table, 'readonly');
      const stored: unknown = await request(tx.objectStore(table).get([attachmentId, index]));
      if (stored === undefined) throw new Error(`录像/录音 ${attachmentId} 缺少第 ${index + 1} 段数据`);
      const k = key();
      if (!k) return (stored as MediaChunkRow).bytes;
      const rec = stored as Record<string, unknown>;
      if (SEGMENTS_FIELD in rec) return openMediaChunk(k, db.name, attachmentId, index, rec);
      // A chunk written before segments: one sealed value of the whole row, as the middleware writes.
      const row = (await openJsonAsync(
        k,
        rec[SEALED_FIELD] as Uint8Array,
        sealedRowAad(db.name, table, [attachmentId, index]),
      )) as MediaChunkRow;
      return row.bytes;
    },
    async attachmentIds() {
      return (await db.mediaChunks.orderBy('attachmentId').uniqueKeys()).map(String);
    },
    async count(attachmentId) {
      return db.mediaChunks.where('attachmentId').equals(attachmentId).count();
    },
    async drop(attachmentId) {
      await db.transaction('rw', db.mediaChunks, async () => {
        await db.mediaChunks.where('attachmentId').equals(attachmentId).delete();
      });
    },
  };
}
