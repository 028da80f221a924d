import 'fake-indexeddb/auto';
import { createSHA256 } from 'hash-wasm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  attachmentsRepo,
  hashBlob,
  mediaChunksRepo,
  openPartition,
  type AttachmentRow,
  type FieldDb,
  type MediaChunksRepo,
} from '../../db/index.js';
import { KeySlot, newDataKey } from '../../vault/index.js';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import { bigBlob, mp4File } from '../../testing/media.testkit.js';
import { importMedia, mediaBlob, type MediaImportDeps, type MediaImportInput } from './media-import.js';

const CHUNK = 4 * 1024 * 1024;
const place = { source: 'registered-address', address: '测试路1号', reason: 'unavailable' } as const;

/** A Blob that records every byte range read from it and refuses to be read whole. */
class WatchedBlob extends Blob {
  readonly reads: number[] = [];
  override slice(start?: number, end?: number, type?: string): Blob {
    this.reads.push((end ?? this.size) - (start ?? 0));
    return super.slice(start, end, type);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('the importer must not read the whole file');
  }
}

async function sha256Of(blob: Blob): Promise<string> {
  // An independent pass over the same bytes (not the importer's own hasher instance).
  const h = await createSHA256();
  h.init();
  for (let at = 0; at < blob.size; at += CHUNK)
    h.update(new Uint8Array(await Blob.prototype.slice.call(blob, at, at + CHUNK).arrayBuffer()));
  return h.digest('hex');
}

let dbs: ReturnType<typeof freshDatabases>;
let field: FieldDb;
beforeEach(() => {
  dbs = freshDatabases();
  const slot = new KeySlot();
  slot.unlock(newDataKey());
  field = openPartition(`${dbs.prefix}field-p1`, slot);
});
afterEach(async () => {
  await field.delete();
  await disposeDatabases(dbs);
});

function deps(over: Partial<MediaImportDeps> = {}): MediaImportDeps {
  return {
    files: attachmentsRepo(field),
    chunks: mediaChunksRepo(field),
    now: () => new Date('2026-05-06T02:00:00Z'),
    player: null,
    estimate: async () => ({ usage: 900 * 1024 * 1024, quota: 1000 * 1024 * 1024 }),
    ...over,
  };
}

function input(file: Blob, fileName = 'DCIM_0001.mp4', lastModified: number | null = null): MediaImportInput {
  return { taskId: 'task-1', resultId: 'r-1', file, fileName, lastModified, clockSkewMs: null, place };
}

describe('streamed media import', () => {
  it('hashes, seals and stores a 50 MB recording chunk by chunk, never reading it whole, and reads it back byte-exact', async () => {
    const payload = new Uint8Array(await bigBlob(50).arrayBuffer());
    const mp4 = mp4File(payload, 1800, new Date('2026-05-06T01:00:00Z'));
    const watched = new WatchedBlob([mp4], { type: 'video/mp4' });
    const progress: number[] = [];
    const r = await importMedia(deps(), input(watched), (p) => progress.push(p.bytesDone));
    if (!r.ok) throw new Error(r.error.message);

    expect(r.file.sha256).toBe(await sha256Of(mp4));
    expect(r.file.kind).toBe('video');
    expect(r.file.size).toBe(mp4.size);
    expect(Math.max(...watched.reads)).toBeLessThanOrEqual(CHUNK);
    expect(progress.at(-1)).toBe(mp4.size);
    // Duration and start from the camera's 'mvhd', which sits after the media data.
    expect(r.file.media).toEqual({
      durationS: 1800,
      startedAt: '2026-05-06T01:00:00.000Z',
      endedAt: '2026-05-06T01:30:00.000Z',
      startSource: 'mvhd',
    });

    // At rest: the chunk rows hold only their key, the segment size and the sealed segments, never the bytes.
    const raw = await new Promise<Record<string, unknown>[]>((resolve) => {
      const req = field.backendDB().transaction('mediaChunks').objectStore('mediaChunks').getAll();
      req.onsuccess = () => resolve(req.result as Record<string, unknown>[]);
    });
    expect(raw).toHaveLength(Math.ceil(mp4.size / CHUNK));
    for (const row of raw) expect(Object.keys(row).sort()).toEqual(['$m', '$seg', 'attachmentId', 'index']);
    const first = new Uint8Array(await (raw[0]!['$m'] as Blob).arrayBuffer());
    expect(Buffer.from(first).indexOf(Buffer.from(payload.subarray(0, 64)))).toBe(-1);

    const row = (await attachmentsRepo(field).get(r.file.id)) as AttachmentRow;
    const back = await mediaBlob(row, mediaChunksRepo(field));
    expect(back.size).toBe(mp4.size);
    expect(await sha256Of(back)).toBe(r.file.sha256);
  }, 120_000);

  it('a chunk moved to another index does not open (the index is bound to the seal)', async () => {
    const r = await importMedia(deps({ chunkBytes: 1024 }), input(bigBlob(1)));
    if (!r.ok) throw new Error(r.error.message);
    const store = (mode: IDBTransactionMode) =>
      field.backendDB().transaction('mediaChunks', mode).objectStore('mediaChunks');
    const second = await new Promise<Record<string, unknown>>((resolve) => {
      const req = store('readonly').get([r.file.id, 1]);
      req.onsuccess = () => resolve(req.result as Record<string, unknown>);
    });
    await new Promise<void>((resolve) => {
      const req = store('readwrite').put({ ...second, index: 0 });
      req.onsuccess = () => resolve();
    });
    await expect(mediaChunksRepo(field).read(r.file.id, 0)).rejects.toThrow();
  });

  it('a full disk mid-import keeps earlier evidence, removes the partial chunks and says how much room is needed', async () => {
    const files = attachmentsRepo(field);
    const photoBytes = new Blob(['photo'], { type: 'image/png' });
    await files.add({
      id: 'att-photo',
      resultId: 'r-1',
      taskId: 'task-1',
      kind: 'photo',
      mime: 'image/png',
      size: photoBytes.size,
      sha256: await hashBlob(photoBytes),
      blob: photoBytes,
      thumbnail: null,
      fileName: 'p.png',
      capturedAt: '2026-05-06T01:00:00Z',
    });
    const real = mediaChunksRepo(field);
    const full: MediaChunksRepo = {
      ...real,
      async put(id, index, bytes) {
        if (index === 3) throw new DOMException('quota', 'QuotaExceededError');
        await real.put(id, index, bytes);
      },
    };
    const r = await importMedia(deps({ chunks: full, chunkBytes: CHUNK }), input(bigBlob(20)));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.kind).toBe('storage-full');
    // 20 MB needed with 1000 MB quota − 900 MB used = 100 MB free: both figures are said.
    expect(r.error.message).toContain('此文件需要 20.0 MB');
    expect(r.error.message).toContain('当前可用 100.0 MB');
    expect(await field.mediaChunks.count()).toBe(0);
    expect((await files.forResult('r-1')).map((f) => f.id)).toEqual(['att-photo']);
  });

  it('says how much must be freed when the file is larger than the free space', async () => {
    const real = mediaChunksRepo(field);
    const full: MediaChunksRepo = {
      ...real,
      put: () => Promise.reject(new DOMException('quota', 'QuotaExceededError')),
    };
    const r = await importMedia(
      deps({ chunks: full, estimate: async () => ({ usage: 995 * 1024 * 1024, quota: 1000 * 1024 * 1024 }) }),
      input(bigBlob(8)),
    );
    expect(r.ok ? '' : r.error.message).toContain('还需腾出约 3.0 MB');
  });

  it('refuses the attachment row while a chunk it names is missing; removal takes the chunks too', async () => {
    const files = attachmentsRepo(field);
    const chunks = mediaChunksRepo(field);
    await chunks.put('att-v', 0, new Uint8Array(10));
    const row: AttachmentRow = {
      id: 'att-v',
      resultId: 'r-1',
      taskId: 'task-1',
      kind: 'video',
      mime: 'video/mp4',
      size: 20,
      sha256: 'a'.repeat(64),
      blob: new Blob([]),
      thumbnail: null,
      fileName: 'v.mp4',
      capturedAt: '2026-05-06T01:00:00Z',
      media: { durationS: 1, startedAt: null, endedAt: null, startSource: 'unknown', chunkSize: 10, chunkCount: 2 },
    };
    await expect(files.add(row)).rejects.toThrow('未全部保存');
    await chunks.put('att-v', 1, new Uint8Array(10));
    await files.add(row);
    expect((await files.get('att-v'))?.clips).toEqual([]);
    // Removing the evidence removes its bytes with it, in the same transaction as the audit entry.
    await files.remove('att-v', { reason: '误导入', at: '2026-05-06T01:01:00Z' });
    expect(await chunks.count('att-v')).toBe(0);
    expect(await files.get('att-v')).toBeNull();
  });

  it('an import cut short by a crash leaves chunks without a row; the next import deletes them', async () => {
    const chunks = mediaChunksRepo(field);
    await chunks.put('att-killed', 0, new Uint8Array(64));
    await chunks.put('att-killed', 1, new Uint8Array(64));
    const r = await importMedia(deps({ chunkBytes: 1024 }), input(bigBlob(1)));
    if (!r.ok) throw new Error(r.error.message);
    expect(await chunks.attachmentIds()).toEqual([r.file.id]);
    expect(await chunks.count(r.file.id)).toBe(1024);
  });

  it('refuses what is not video or audio, and an empty file', async () => {
    const a = await importMedia(deps(), input(new Blob(['x'], { type: 'text/plain' }), 'notes.txt'));
    expect(a.ok ? '' : a.error.kind).toBe('not-media');
    const b = await importMedia(deps(), input(new Blob([]), 'empty.wav'));
    expect(b.ok ? '' : b.error.kind).toBe('empty');
    expect(await field.mediaChunks.count()).toBe(0);
  });
});
