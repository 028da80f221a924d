import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../databases.js';
import { TEST_CACHE_KEY } from '../../testing/builders.js';
import { cacheV1 } from './cache-v1.js';
import { cacheV2 } from './cache-v2.js';
import { cacheV3 } from './cache-v3.js';
import { cacheV4 } from './cache-v4.js';
import { CACHE_V5_VERSION, cacheV5 } from './cache-v5.js';

const open: CacheDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('cache v4 → v5 (search index blobs)', () => {
  it('adds the empty blob table and keeps the credit files and the cursor as they were', async () => {
    const name = `mig-cache5-${Math.random()}`;
    const v4 = new CacheDb(name, [cacheV1, cacheV2, cacheV3, cacheV4]);
    open.push(v4);
    await v4.open();
    await v4.table('entMeta').put({ key: 'summary', count: 1, nextChunk: 2, stamp: 5, complete: true });
    await v4.table('syncState').put({
      stream: 'enterprises',
      cursor: '900',
      etag: null,
      total: 1,
      generation: 2,
      restarting: false,
      lastSyncedAt: 'a',
    });
    v4.close();
    const v5 = new CacheDb(name, [cacheV1, cacheV2, cacheV3, cacheV4, cacheV5], TEST_CACHE_KEY);
    open.push(v5);
    await v5.open();
    expect(v5.verno).toBe(CACHE_V5_VERSION);
    expect((await v5.syncState.get('enterprises'))?.cursor).toBe('900');
    expect((await v5.entMeta.get('summary'))?.stamp).toBe(5);
    expect(await v5.searchBlobs.count()).toBe(0);
  });
});
