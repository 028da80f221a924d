/**
 * The index blobs' part size is in their header: blobs written before it was (8 MiB parts, no
 * `partBytes`) are still read back after an update, so a station's first start-up on the new version
 * does not rebuild its index; a header whose part count does not fit its size and part size is refused.
 * Parts are stored as Blobs; parts stored as byte arrays by earlier versions are read too. The
 * read-ahead's buffer (its home, touched ahead of the unlock) is where the load joins the parts.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterprisesRepo, PART_BYTES, searchBlobStore, type Databases, type SearchBlobMeta } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise } from '../../testing/builders.js';
import { sealCacheAsync } from './enterprises.seal.js';
import { homeFor } from './search-blobs.store.js';
import { cacheKeyOf } from './enterprises.store.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

const LEGACY_PART = 8 * 1024 * 1024;

/**
 * Blobs as earlier versions wrote them, parts sealed as byte arrays: of 8 MiB with no part size in
 * the header, or of `partBytes` named in it.
 */
async function writeLegacy(bytes: Uint8Array, partBytes?: number): Promise<void> {
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
  const unit = partBytes ?? LEGACY_PART;
  const parts = Math.ceil(bytes.length / unit);
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
    ...(partBytes ? { partBytes } : {}),
  };
  for (let i = 0; i < parts; i++) {
    const aad = `${header.write}:${i}/${parts}:${header.stamp}:${header.bytes}`;
    const plain = bytes.slice(i * unit, (i + 1) * unit);
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

  it('reads back parts stored as byte arrays, and stores its own as Blobs', async () => {
    const bytes = Uint8Array.from({ length: 2 * PART_BYTES + 9 }, (_, i) => (i * 7) >>> 3);
    await writeLegacy(bytes, PART_BYTES);
    const store = searchBlobStore(dbs.cache);
    const loaded = await store.load();
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(bytes))).toBe(true);
    expect(await store.save((await dbs.cache.entMeta.get('summary'))!.stamp, [bytes])).toMatchObject({ ok: true });
    const parts = (await dbs.cache.searchBlobs.toArray()).filter((r) => r.name !== 'meta');
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(Object.keys(part).sort()).toEqual(['blob', 'name']);
    expect(parts.every((p) => 'blob' in p && p.blob instanceof Blob)).toBe(true);
    const again = await searchBlobStore(dbs.cache).load();
    if (!again.ok) throw new Error(again.error.message);
    expect(Buffer.from(again.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a part that is neither a Blob nor bytes is reported missing (the index is then rebuilt)', async () => {
    await writeLegacy(new Uint8Array(16));
    const store = searchBlobStore(dbs.cache);
    const stamp = (await dbs.cache.entMeta.get('summary'))!.stamp;
    expect(await store.save(stamp, [new Uint8Array(2 * PART_BYTES)])).toMatchObject({ ok: true });
    const names = (await dbs.cache.searchBlobs.toCollection().primaryKeys()).filter((n) => n !== 'meta');
    await dbs.cache.searchBlobs.put({ name: names[1]!, blob: 'not a blob' } as never);
    expect(await store.load()).toMatchObject({ ok: false, error: { kind: 'unreadable', message: /缺少第 2\/2 块/ } });
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

  it('a load after the read-ahead joins the parts in the home it allocated, byte for byte', async () => {
    await writeLegacy(new Uint8Array(16));
    const stamp = (await dbs.cache.entMeta.get('summary'))!.stamp;
    // Not zero anywhere: a part left out of the buffer, or a page zeroed after it landed, would show.
    const bytes = new Uint8Array(16 * 1024 * 1024 + 5).fill(0xab);
    expect(await searchBlobStore(dbs.cache).save(stamp, [bytes])).toMatchObject({ ok: true });
    const store = searchBlobStore(dbs.cache);
    const ahead = store.readAhead();
    const loaded = await store.load();
    expect(await ahead).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 200)); // time for any touching left over
    if (!loaded.ok) throw new Error(loaded.error.message);
    expect(Buffer.from(loaded.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a home taken while it is still being touched is not written to again', async () => {
    const home = homeFor(3 * 4 * 1024 * 1024); // three turns of touching; the first runs at once
    const out = home.take().fill(0xab);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(out.every((b) => b === 0xab)).toBe(true);
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
