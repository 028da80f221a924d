import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../databases.js';
import { snapshotRepo } from '../repos/snapshot.repo.js';
import { TEST_CACHE_KEY } from '../../testing/builders.js';
import { cacheV1 } from './cache-v1.js';
import { cacheV2 } from './cache-v2.js';
import { cacheV3 } from './cache-v3.js';
import { CACHE_V4_VERSION, cacheV4 } from './cache-v4.js';
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';

const open: CacheDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

const manifest: SnapshotManifest = {
  url: '/v1/sync/enterprises/snapshot/x',
  sha256: 'a'.repeat(64),
  bytes: 10,
  records: 2,
  coversSeq: 2,
  cursor: '2',
  encoding: 'gzip',
  layout: 'ndjson',
  createdAt: '2026-05-06T02:00:00Z',
  members: [{ offset: 0, bytes: 10, sha256: 'a'.repeat(64), records: 2, cursor: '2' }],
};

describe('cache v3 → v4 (snapshot download)', () => {
  it('adds the snapshot tables and keeps the credit files and the cursor as they were', async () => {
    const name = `mig-cache4-${Math.random()}`;
    const v3 = new CacheDb(name, [cacheV1, cacheV2, cacheV3]);
    open.push(v3);
    await v3.open();
    await v3.table('entMeta').put({ key: 'summary', count: 1, nextChunk: 2, stamp: 5, complete: true });
    await v3.table('syncState').put({
      stream: 'enterprises',
      cursor: '900',
      etag: null,
      total: 1,
      generation: 2,
      restarting: false,
      lastSyncedAt: 'a',
    });
    v3.close();
    const v4 = new CacheDb(name, [cacheV1, cacheV2, cacheV3, cacheV4], TEST_CACHE_KEY);
    open.push(v4);
    await v4.open();
    expect(v4.verno).toBe(CACHE_V4_VERSION);
    expect((await v4.syncState.get('enterprises'))?.cursor).toBe('900');
    expect((await v4.entMeta.get('summary'))?.count).toBe(1);
    expect(await v4.snapMeta.count()).toBe(0);
    expect(await v4.snapParts.count()).toBe(0);
  });

  it('stores parts only at the stored byte count of the same file, sealed, and reads them back in order', async () => {
    const db = new CacheDb(`snap-repo-${Math.random()}`, undefined, TEST_CACHE_KEY);
    open.push(db);
    const repo = snapshotRepo(db);
    await repo.begin(manifest);
    const a = new TextEncoder().encode('012345');
    const b = new TextEncoder().encode('6789');
    await repo.append(manifest.sha256, 0, 6, await repo.sealPart(manifest.sha256, 0, a));
    await expect(repo.append(manifest.sha256, 0, 4, await repo.sealPart(manifest.sha256, 1, b))).rejects.toThrow(
      /续传位置不符/,
    );
    await expect(repo.append('b'.repeat(64), 6, 4, await repo.sealPart(manifest.sha256, 1, b))).rejects.toThrow(
      /已更换或已丢弃/,
    );
    await repo.append(manifest.sha256, 6, 4, await repo.sealPart(manifest.sha256, 1, b));
    expect((await repo.current())?.received).toBe(10);
    // Sealed at rest: the stored part is not the plain bytes.
    const stored = (await db.snapParts.get(0))!.sealed;
    expect(Buffer.from(stored).includes(Buffer.from('012345'))).toBe(false);
    expect((await repo.openParts()).map((p) => new TextDecoder().decode(p))).toEqual(['012345', '6789']);
    // Another station key: the stored download is unreadable and is forgotten.
    db.setCacheKey({ keyId: 'another-key', key: new Uint8Array(32).fill(9) });
    expect(await repo.current()).toBeNull();
    expect(await db.snapParts.count()).toBe(0);
  });
});
