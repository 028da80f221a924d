import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../databases.js';
import { TEST_CACHE_KEY } from '../../testing/builders.js';
import { cacheV1 } from './cache-v1.js';
import { cacheV2 } from './cache-v2.js';
import { cacheV3 } from './cache-v3.js';
import { cacheV4 } from './cache-v4.js';
import { cacheV5 } from './cache-v5.js';
import { CACHE_V6_VERSION, cacheV6 } from './cache-v6.js';

const open: CacheDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('cache v5 → v6 (change log)', () => {
  it('adds the empty log and keeps the credit files, the cursor and the index blobs as they were', async () => {
    const name = `mig-cache6-${Math.random()}`;
    const v5 = new CacheDb(name, [cacheV1, cacheV2, cacheV3, cacheV4, cacheV5]);
    open.push(v5);
    await v5.open();
    await v5.table('entMeta').put({ key: 'summary', count: 1, nextChunk: 2, stamp: 5, complete: true });
    await v5.table('entDir').put({ id: 1, generation: 2, size: 1, sealed: new Uint8Array([1, 2, 3]) });
    await v5.table('searchBlobs').put({ name: 'meta', stamp: 5 });
    v5.close();
    const v6 = new CacheDb(name, [cacheV1, cacheV2, cacheV3, cacheV4, cacheV5, cacheV6], TEST_CACHE_KEY);
    open.push(v6);
    await v6.open();
    expect(v6.verno).toBe(CACHE_V6_VERSION);
    expect((await v6.entMeta.get('summary'))?.stamp).toBe(5);
    expect(await v6.entDir.count()).toBe(1);
    expect(await v6.searchBlobs.count()).toBe(1);
    expect(await v6.entLog.count()).toBe(0);
  });
});
