/**
 * Upload state per attachment (field v3 `uploads`): the tus upload URL, the server-confirmed
 * offset, done, and the chunk size. Written before and during every transfer so an interrupted
 * upload resumes from the server's offset after a restart instead of creating a second upload.
 */
import type { FieldDb } from '../databases.js';
import type { UploadRow } from '../migrations/field-v3.js';

export const DEFAULT_CHUNK_SIZE = 1024 * 1024;
export const MIN_CHUNK_SIZE = 64 * 1024;

export interface UploadSeed {
  readonly attachmentId: string;
  readonly resultId: string;
  readonly sha256: string;
  readonly size: number;
  readonly mime: string;
}

export interface UploadsRepo {
  get(attachmentId: string): Promise<UploadRow | null>;
  forResult(resultId: string): Promise<UploadRow[]>;
  all(): Promise<UploadRow[]>;
  /** Creates the rows that do not exist yet; existing rows (and their URLs) are kept. */
  ensure(seeds: readonly UploadSeed[], at: string): Promise<UploadRow[]>;
  setUrl(attachmentId: string, uploadUrl: string | null, creationTime: string | null, at: string): Promise<void>;
  setOffset(attachmentId: string, offset: number, at: string): Promise<void>;
  markDone(attachmentId: string, at: string): Promise<void>;
  /** The server lost these: forget URL, offset and done so they are uploaded afresh. */
  reset(attachmentIds: readonly string[], at: string): Promise<void>;
  /** Halves the chunk size after a 413; returns the new size, or null when already at the minimum. */
  shrinkChunk(attachmentId: string, at: string): Promise<number | null>;
}

export function uploadsRepo(db: FieldDb): UploadsRepo {
  const patch = async (id: string, p: Partial<UploadRow>): Promise<void> => {
    await db.uploads.update(id, p);
  };
  return {
    async get(id) {
      return (await db.uploads.get(id)) ?? null;
    },
    forResult(resultId) {
      return db.uploads.where('resultId').equals(resultId).toArray();
    },
    all() {
      return db.uploads.toArray();
    },
    async ensure(seeds, at) {
      return db.transaction('rw', db.uploads, async () => {
        const out: UploadRow[] = [];
        for (const s of seeds) {
          const existing = await db.uploads.get(s.attachmentId);
          if (existing) {
            out.push(existing);
            continue;
          }
          const row: UploadRow = {
            ...s,
            uploadUrl: null,
            offset: 0,
            done: false,
            creationTime: null,
            chunkSize: DEFAULT_CHUNK_SIZE,
            updatedAt: at,
          };
          await db.uploads.add(row);
          out.push(row);
        }
        return out;
      });
    },
    setUrl: (id, uploadUrl, creationTime, at) =>
      patch(
        id,
        uploadUrl === null
          ? { uploadUrl, creationTime, offset: 0, updatedAt: at }
          : { uploadUrl, creationTime, updatedAt: at },
      ),
    setOffset: (id, offset, at) => patch(id, { offset, updatedAt: at }),
    markDone: async (id, at) => {
      await db.transaction('rw', db.uploads, async () => {
        const row = await db.uploads.get(id);
        if (row) await db.uploads.put({ ...row, done: true, offset: row.size, updatedAt: at });
      });
    },
    async reset(ids, at) {
      await db.transaction('rw', db.uploads, async () => {
        for (const id of ids)
          await db.uploads.update(id, { uploadUrl: null, creationTime: null, offset: 0, done: false, updatedAt: at });
      });
    },
    async shrinkChunk(id, at) {
      return db.transaction('rw', db.uploads, async () => {
        const row = await db.uploads.get(id);
        if (!row || row.chunkSize <= MIN_CHUNK_SIZE) return null;
        const next = Math.max(MIN_CHUNK_SIZE, Math.floor(row.chunkSize / 2));
        await db.uploads.put({ ...row, chunkSize: next, updatedAt: at });
        return next;
      });
    },
  };
}
