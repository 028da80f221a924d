import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../databases.js';
import { enterprisesRepo } from '../../credit-files/store/enterprises.repo.js';
import { TEST_CACHE_KEY, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { cacheV1 } from './cache-v1.js';
import { CACHE_V2_STORES, CACHE_V2_VERSION, cacheV2 } from './cache-v2.js';

const open: CacheDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('cache v1 → v2', () => {
  it('drops the per-record rows, resets the enterprise cursor in the same upgrade, keeps the rest', async () => {
    const name = `mig-cache2-${Math.random()}`;
    const v1 = new CacheDb(name, [cacheV1]);
    await v1.open();
    await v1
      .table('enterprises')
      .put({ uscc: makeUscc(1), name: 'x', version: 1, seq: 5, generation: 1, data: makeEnterprise(1) });
    await v1.table('syncState').put({
      stream: 'enterprises',
      cursor: '500',
      etag: null,
      total: 9,
      generation: 1,
      restarting: false,
      lastSyncedAt: '2026-05-01T00:00:00Z',
    });
    await v1
      .table('quarantine')
      .put({ key: 'enterprises:x', stream: 'enterprises', reason: '坏记录', raw: '{}', at: 'a' });
    await v1.table('reference').put({ key: 'current', etag: '"e"', reference: { version: 'r' }, fetchedAt: 'a' });
    v1.close();

    const v2 = new CacheDb(name, [cacheV1, cacheV2], TEST_CACHE_KEY);
    open.push(v2);
    await v2.open();
    expect(v2.verno).toBe(CACHE_V2_VERSION);
    const tables = v2.tables.map((t) => t.name);
    expect(tables).not.toContain('enterprises');
    for (const [store, spec] of Object.entries(CACHE_V2_STORES)) if (spec !== null) expect(tables).toContain(store);
    const repo = enterprisesRepo(v2);
    const state = await repo.state();
    expect(state.cursor).toBe('0');
    expect(state.generation).toBe(2);
    expect(await repo.count()).toBe(0);
    expect(await v2.quarantine.count()).toBe(1);
    expect((await v2.reference.get('current'))?.etag).toBe('"e"');
  });
});
