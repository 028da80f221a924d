/**
 * The index blobs' part size is in their header: blobs written before it was (8 MiB parts, no
 * `partBytes`) are still read back after an update, so a station's first start-up on the new version
 * does not rebuild its index; a header whose part count does not fit its size and part size is refused.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterprisesRepo, PART_BYTES, searchBlobStore, type Databases, type SearchBlobMeta } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise } from '../../testing/builders.js';
import { sealCacheAsync } from './enterprises.seal.js';
import { cacheKeyOf } from './enterprises.store.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

const LEGACY_PART = 8 * 1024 * 1024;

/** Blobs as the version before wrote them: parts of 8 MiB, no part size in the header. */
async function writeLegacy(bytes: Uint8Array): Promise<void> {
  const repo = enterprisesRepo(dbs.cache);
  await repo.applyPage({
    changes: [{ kind: 'upsert', seq: 1, enterprise: makeEnterprise(1) }],
    quarantined: [],
    nextCursor: '1',
    hasMore: false,
    total: 1,
    at: '2026-05-01T00:00:00Z',
  });
  const meta = (await dbs.cache.entMeta.get('summary'))!;
  const generation = (await dbs.cache.syncState.get('enterprises'))?.generation ?? 0;
  const key = cacheKeyOf(dbs.cache);
  const parts = Math.ceil(bytes.length / LEGACY_PART);
  const header: SearchBlobMeta = {
    name: 'meta',
    stamp: meta.stamp,
    count: meta.count,
    nextChunk: meta.nextChunk,
    generation,
    keyId: key.keyId,
    write: `${meta.stamp}-legacy`,
    parts,
    bytes: bytes.length,
  };
  for (let i = 0; i < parts; i++) {
    const aad = `${header.write}:${i}/${parts}:${header.stamp}:${header.bytes}`;
    const plain = bytes.slice(i * LEGACY_PART, (i + 1) * LEGACY_PART);
    const sealed = await sealCacheAsync(key, dbs.cache.name, 'searchBlobs', aad, plain);
    await dbs.cache.searchBlobs.put({ name: `part:${header.write}:${i}`, sealed });
  }
  await dbs.cache.searchBlobs.put(header);
}

describe('index blobs and their part size', () => {
  it('reads back blobs written in 8 MiB parts with no part size in the header', async () => {
    // More than one new part's worth, so reading it with the new part size would not fit.
    const bytes = Uint8Array.from({ length: 3 * PART_BYTES + 17 }, (_, i) => (i * 31) >>> 4);
    await writeLegacy(bytes);
    const loaded = await searchBlobStore(dbs.cache).load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('writes the part size into the header, and refuses a header whose part count does not fit it', async () => {
    await writeLegacy(new Uint8Array(16));
    const store = searchBlobStore(dbs.cache);
    const bytes = Uint8Array.from({ length: 2 * PART_BYTES + 3 }, (_, i) => i >>> 2);
    const stamp = (await dbs.cache.entMeta.get('summary'))!.stamp;
    expect(await store.save(stamp, [bytes])).toMatchObject({ ok: true });
    const header = (await dbs.cache.searchBlobs.get('meta')) as { partBytes?: number; parts: number };
    expect(header).toMatchObject({ partBytes: PART_BYTES, parts: 3 });
    expect((await store.load()).ok).toBe(true);
    await dbs.cache.searchBlobs.put({ ...header, name: 'meta', partBytes: 2 * PART_BYTES } as never);
    expect(await store.load()).toMatchObject({
      ok: false,
      error: { kind: 'unreadable', message: '检索索引数据的分块信息不符' },
    });
  });

  it('reads ahead no more than its budget when the header names a tiny part size', async () => {
    await writeLegacy(new Uint8Array(16));
    const store = searchBlobStore(dbs.cache);
    const stamp = (await dbs.cache.entMeta.get('summary'))!.stamp;
    expect(await store.save(stamp, [new Uint8Array(6 * PART_BYTES)])).toMatchObject({ ok: true });
    const header = (await dbs.cache.searchBlobs.get('meta')) as { parts: number };
    await dbs.cache.searchBlobs.put({ ...header, name: 'meta', partBytes: 1 } as never);
    expect(await searchBlobStore(dbs.cache).readAhead(2 * PART_BYTES)).toBe(2);
  });
});
