import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../databases.js';
import { enterprisesRepo } from '../../credit-files/store/enterprises.repo.js';
import { TEST_CACHE_KEY, makeUscc } from '../../testing/builders.js';
import { cacheV1 } from './cache-v1.js';
import { cacheV2 } from './cache-v2.js';
import { CACHE_V3_VERSION } from './cache-v3.js';
import { CACHE_SCHEMA_VERSION } from './index.js';

const open: CacheDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('cache v2 → v3 (sealed rows)', () => {
  it('deletes the clear credit files and quarantine, resets the cursor in the same upgrade, keeps reference data', async () => {
    const name = `mig-cache3-${Math.random()}`;
    const v2 = new CacheDb(name, [cacheV1, cacheV2]);
    open.push(v2);
    await v2.open();
    const usccs = [makeUscc(1)];
    await v2.table('entChunks').put({ id: 1, generation: 2, usccs, text: '{"kind":"upsert"}' });
    await v2.table('entSearch').put({ id: 1, generation: 2, usccs, names: ['明文企业有限公司'] });
    await v2.table('entDir').put({ id: 1, generation: 2, size: 1, usccs, versions: [1] });
    await v2.table('entMeta').put({ key: 'summary', count: 1, nextChunk: 2, stamp: 5, complete: true });
    await v2.table('quarantine').put({ key: 'enterprises:x', stream: 'enterprises', reason: '坏', raw: '{}', at: 'a' });
    await v2.table('reference').put({ key: 'current', etag: '"e"', reference: { version: 'r' }, fetchedAt: 'a' });
    await v2.table('syncState').put({
      stream: 'enterprises',
      cursor: '900',
      etag: null,
      total: 1,
      generation: 2,
      restarting: false,
      lastSyncedAt: 'a',
    });
    v2.close();

    const v3 = new CacheDb(name, undefined, TEST_CACHE_KEY);
    open.push(v3);
    await v3.open();
    expect(v3.verno).toBe(CACHE_SCHEMA_VERSION);
    expect(CACHE_SCHEMA_VERSION).toBeGreaterThanOrEqual(CACHE_V3_VERSION);
    for (const table of ['entChunks', 'entSearch', 'entDir', 'entMeta', 'quarantine'])
      expect(await v3.table(table).count()).toBe(0);
    const state = await enterprisesRepo(v3).state();
    expect(state.cursor).toBe('0');
    expect(state.generation).toBe(3);
    expect((await v3.reference.get('current'))?.etag).toBe('"e"');
  });
});
