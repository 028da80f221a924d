/**
 * The bytes of body-camera video and audio files, in chunks (field v11 `mediaChunks`).
 *
 * Each chunk is sealed with WebCrypto before its transaction (several MB: the synchronous sealer of
 * the middleware would block the window thread for long) and written through the database's own
 * IndexedDB connection, below the sealing middleware, in exactly the form the middleware writes and
 * reads: the key in clear, the whole row in `$s` with database + table + [attachmentId, index] as
 * AAD. Reading goes the same way back (WebCrypto open). Only one chunk is ever held in memory.
 *
 * A full disk surfaces as the IndexedDB QuotaExceededError, which the importer turns into a
 * message saying how much room is needed; it then drops the chunks it wrote.
 */
import { openJsonAsync, sealJsonAsync } from '../../vault/sealed-json.js';
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

export function mediaChunksRepo(db: FieldDb): MediaChunksRepo {
  const table = 'mediaChunks';
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
      const row: MediaChunkRow = { attachmentId, index, bytes };
      const k = key();
      const stored: unknown = k
        ? {
            attachmentId,
            index,
            [SEALED_FIELD]: await sealJsonAsync(k, row, sealedRowAad(db.name, table, [attachmentId, index])),
          }
        : row;
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
      const row = (
        k
          ? await openJsonAsync(
              k,
              (stored as Record<string, unknown>)[SEALED_FIELD] as Uint8Array,
              sealedRowAad(db.name, table, [attachmentId, index]),
            )
          : stored
      ) as MediaChunkRow;
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
