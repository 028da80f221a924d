/**
 * Media chunks at rest: sealed in 512 KiB segments inside one Blob, each segment bound to its
 * place (database, table, [attachmentId, index], its number, the count and the size); chunks sealed
 * whole by the earlier format still open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeySlot, newDataKey, SEAL_OVERHEAD, sealJsonAsync } from '../../vault/index.js';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { FieldDb } from '../databases.js';
import { openPartition } from '../device.js';
import { SEALED_FIELD, sealedRowAad } from '../sealing.js';
import { MEDIA_SEGMENT_BYTES, mediaChunksRepo } from './media-chunks.repo.js';

const SEG = MEDIA_SEGMENT_BYTES;

let dbs: ReturnType<typeof freshDatabases>;
let field: FieldDb;
let dataKey: Uint8Array;
beforeEach(async () => {
  dbs = freshDatabases();
  const slot = new KeySlot();
  dataKey = newDataKey();
  slot.unlock(dataKey);
  field = openPartition(`${dbs.prefix}field-chunks`, slot);
  await field.open();
});
afterEach(async () => {
  await field.delete();
  await disposeDatabases(dbs);
});

function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) out[i] = (i * 31 + seed * 7 + (i >> 9)) & 0xff;
  return out;
}

function rawStore(mode: IDBTransactionMode): IDBObjectStore {
  return field.backendDB().transaction('mediaChunks', mode).objectStore('mediaChunks');
}

function rawGet(attachmentId: string, index: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = rawStore('readonly').get([attachmentId, index]);
    req.onsuccess = () => resolve(req.result as Record<string, unknown>);
    req.onerror = () => reject(req.error);
  });
}

function rawPut(row: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = rawStore('readwrite').put(row);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
  });
}

/** Byte equality without a per-element diff (megabytes here). */
function same(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

async function segmentsOf(row: Record<string, unknown>): Promise<Uint8Array[]> {
  const all = new Uint8Array(await (row['$m'] as Blob).arrayBuffer());
  const out: Uint8Array[] = [];
  for (let at = 0; at < all.length; at += SEG + SEAL_OVERHEAD) out.push(all.slice(at, at + SEG + SEAL_OVERHEAD));
  return out;
}

describe('media chunks sealed in segments', () => {
  it('reads back byte for byte at sizes around the segment boundaries', async () => {
    const repo = mediaChunksRepo(field);
    const sizes = [1, SEG - 1, SEG, SEG + 1, 4 * 1024 * 1024, 4 * 1024 * 1024 - 3];
    for (const [i, n] of sizes.entries()) await repo.put('att-1', i, bytesOf(n, i));
    for (const [i, n] of sizes.entries())
      expect(same(await repo.read('att-1', i), bytesOf(n, i)), `size ${n}`).toBe(true);
    const row = await rawGet('att-1', 4);
    expect(row['$seg']).toBe(SEG);
    expect((row['$m'] as Blob).size).toBe(4 * 1024 * 1024 + 8 * SEAL_OVERHEAD);
  });

  it('still opens a chunk sealed whole, as chunks were written before segments', async () => {
    const bytes = bytesOf(100_000);
    const aad = sealedRowAad(field.name, 'mediaChunks', ['att-old', 0]);
    const sealed = await sealJsonAsync(dataKey, { attachmentId: 'att-old', index: 0, bytes }, aad);
    await rawPut({ attachmentId: 'att-old', index: 0, [SEALED_FIELD]: sealed });
    expect(same(await mediaChunksRepo(field).read('att-old', 0), bytes)).toBe(true);
  });

  it('refuses segments swapped, dropped or added, and a changed segment size', async () => {
    const repo = mediaChunksRepo(field);
    await repo.put('att-1', 0, bytesOf(3 * SEG));
    await repo.put('att-1', 1, bytesOf(3 * SEG, 2));
    const row = await rawGet('att-1', 0);
    const [a, b, c] = await segmentsOf(row);
    const [other] = await segmentsOf(await rawGet('att-1', 1));
    const variants: Record<string, unknown>[] = [
      { ...row, $m: new Blob([b!, a!, c!] as Uint8Array<ArrayBuffer>[]) },
      { ...row, $m: new Blob([a!, b!] as Uint8Array<ArrayBuffer>[]) },
      { ...row, $m: new Blob([a!, b!, c!, other!] as Uint8Array<ArrayBuffer>[]) },
      { ...row, $m: new Blob([a!, b!, other!] as Uint8Array<ArrayBuffer>[]) },
      { ...row, $seg: SEG * 2 },
    ];
    for (const v of variants) {
      await rawPut(v);
      await expect(repo.read('att-1', 0)).rejects.toThrow();
    }
    await rawPut(row);
    expect(same(await repo.read('att-1', 0), bytesOf(3 * SEG))).toBe(true);
  });

  it('names the chunk when its stored form is damaged', async () => {
    const repo = mediaChunksRepo(field);
    await repo.put('att-1', 2, bytesOf(10));
    const row = await rawGet('att-1', 2);
    await rawPut({ ...row, $seg: 0 });
    await expect(repo.read('att-1', 2)).rejects.toThrow('录像/录音 att-1 第 3 段的分块信息不符');
    await rawPut({ ...row, $m: new Uint8Array(40) });
    await expect(repo.read('att-1', 2)).rejects.toThrow('录像/录音 att-1 第 3 段的分块信息不符');
  });
});
