import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import { enterprisesRepo, type Databases } from '../../db/index.js';
import { TEST_CACHE_KEY, disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { parseNdjson } from '../download/enterprise-feed.js';
import { sealPageChunks } from './enterprise-seal.js';
import { fromWire, toWire } from './feed-messages.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

const upsert = (n: number, seq: number, over = {}): EnterpriseChange => ({
  kind: 'upsert',
  seq,
  enterprise: makeEnterprise(n, over),
});

function ndjson(changes: readonly EnterpriseChange[], nextCursor: string, hasMore = false): string {
  const header = JSON.stringify({ nextCursor, hasMore, total: changes.length });
  return [header, ...changes.map((c) => JSON.stringify(c))].join('\n');
}

/** A page prepared and sealed as a feed worker does, then carried across threads in its wire form. */
async function sealedPage(changes: readonly EnterpriseChange[], nextCursor: string, chunkBase: number) {
  const page = parseNdjson(ndjson(changes, nextCursor))!;
  const sealed = await sealPageChunks(page, { dbName: dbs.cache.name, key: TEST_CACHE_KEY }, chunkBase, 5000);
  return fromWire(toWire({ ...page, sealed }).wire)!;
}

describe('pages sealed before their write', () => {
  it('are stored as they were sealed and read back through the repository', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const page = await sealedPage([upsert(1, 1), upsert(2, 2)], '2', await repo.nextChunkId());
    expect(page.sealed).toHaveLength(1);
    await repo.applyPage({ ...page, quarantined: page.bad, fromCursor: '0', at: 'x' });
    expect(await repo.get(makeUscc(2))).toEqual(makeEnterprise(2));
    const [row] = await dbs.cache.entChunks.toArray();
    expect(row!.sealed).toEqual(page.sealed![0]!.chunk);
  });

  it('a record updated twice in one page is live once, at its newest version (the directory is re-sealed)', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const changes = [upsert(1, 1, { version: 1 }), upsert(2, 2), upsert(1, 3, { version: 2, name: '新名称有限公司' })];
    const page = await sealedPage(changes, '3', await repo.nextChunkId());
    await repo.applyPage({ ...page, quarantined: page.bad, fromCursor: '0', at: 'x' });
    expect(await repo.count()).toBe(2);
    expect((await repo.get(makeUscc(1)))?.name).toBe('新名称有限公司');
    const { dir } = await repo.directory();
    expect(dir.flatMap((d) => d.usccs).sort()).toEqual([makeUscc(1), makeUscc(2)]);
    // The chunk holds three records, the directory two: the stored dir row is not the pre-sealed one.
    const [stored] = await dbs.cache.entDir.toArray();
    expect(stored!.size).toBe(3);
    expect(stored!.sealed).not.toEqual(page.sealed![0]!.dir);
  });

  it('refuses chunks sealed under another key or with an id already used, and writes nothing', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const first = await sealedPage([upsert(1, 1)], '1', await repo.nextChunkId());
    await repo.applyPage({ ...first, quarantined: [], fromCursor: '0', at: 'x' });
    const reused = await sealedPage([upsert(2, 2)], '2', first.sealed![0]!.id);
    await expect(repo.applyPage({ ...reused, quarantined: [], fromCursor: '1', at: 'x' })).rejects.toThrow(/已被使用/);
    const other = await sealedPage([upsert(3, 3)], '2', await repo.nextChunkId());
    const foreign = { ...other, sealed: other.sealed!.map((c) => ({ ...c, keyId: 'another-key' })) };
    await expect(repo.applyPage({ ...foreign, quarantined: [], fromCursor: '1', at: 'x' })).rejects.toThrow(
      /另一把密钥/,
    );
    expect(await repo.count()).toBe(1);
    expect((await repo.state()).cursor).toBe('1');
  });
});
