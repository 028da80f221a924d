import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterprisesRepo, type Databases, type EnterprisesRepo } from '../../db/index.js';
import { TEST_CACHE_KEY, disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { gzip } from '../../testing/gzip.js';
import { prepareMember } from '../import/snapshot-import.js';
import { openChunk, sealChunkSync } from './enterprises.store.js';
import { chunkRecords, type EntChunkRow } from './enterprises.rows.js';
import { MEMBER_CHUNK_MAX } from './enterprises.pack.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

describe('snapshot members kept compressed in the cache', () => {
  const line = (n: number, enterprise: unknown = makeEnterprise(n)) =>
    JSON.stringify({ kind: 'upsert', seq: n, enterprise });
  const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(from + i));

  /** One member prepared as a feed worker does and written; returns the stored chunks, opened. */
  async function write(repo: EnterprisesRepo, member: Uint8Array, lastSeq: number, from = '0'): Promise<EntChunkRow[]> {
    const seal = { dbName: dbs.cache.name, key: TEST_CACHE_KEY };
    const header = { nextCursor: String(lastSeq), hasMore: false, total: 0 };
    const page = await prepareMember(member, header, 'x', seal, await repo.nextChunkId(), MEMBER_CHUNK_MAX * 2);
    await repo.applyPage({ ...page, quarantined: page.bad, fromCursor: from, at: 'x' });
    return Promise.all((await dbs.cache.entChunks.toArray()).map((r) => openChunk(dbs.cache, r)));
  }

  it('a member of good upserts is one chunk holding the member itself, and its records read back', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const member = await gzip(`${lines(1, 1200).join('\n')}\n`);
    const [chunk, ...others] = await write(repo, member, 1200);
    expect(others).toHaveLength(0);
    expect(chunk!.bytes).toBeUndefined();
    expect(chunk!.gz).toEqual(member);
    expect(new TextDecoder().decode(chunk!.inflated)).toBe(`${lines(1, 1200).join('\n')}\n`);
    expect(chunk!.usccs).toHaveLength(1200);
    expect(await repo.get(makeUscc(1))).toEqual(makeEnterprise(1));
    expect(await repo.get(makeUscc(777))).toEqual(makeEnterprise(777));
    expect(await enterprisesRepo(dbs.cache).get(makeUscc(1200))).toEqual(makeEnterprise(1200));
  });

  it('a member with a line that fails validation is stored as lines: the bad line is not kept', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const body = [...lines(1, 1100), line(1101, { uscc: makeUscc(1101) })];
    const chunks = await write(repo, await gzip(body.join('\n')), 1101);
    expect(chunks.map((c) => [c.gz, c.usccs.length])).toEqual([
      [undefined, 1000],
      [undefined, 100],
    ]);
    expect(await repo.get(makeUscc(1100))).toEqual(makeEnterprise(1100));
    expect(await repo.get(makeUscc(1101))).toBeNull();
  });

  it('more records than one chunk takes, or two gzip members in one, are stored as lines', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const big = await write(repo, await gzip(lines(1, MEMBER_CHUNK_MAX + 1).join('\n')), MEMBER_CHUNK_MAX + 1);
    expect(big.every((c) => c.gz === undefined)).toBe(true);
    expect(big.reduce((n, c) => n + c.usccs.length, 0)).toBe(MEMBER_CHUNK_MAX + 1);

    const again = freshDatabases();
    try {
      const repo2 = enterprisesRepo(again.cache);
      const a = await gzip(`${lines(1, 3).join('\n')}\n`);
      const b = await gzip(lines(4, 6).join('\n'));
      const twoInOne = new Uint8Array([...a, ...b]);
      const seal = { dbName: again.cache.name, key: TEST_CACHE_KEY };
      const page = await prepareMember(twoInOne, { nextCursor: '6', hasMore: false, total: 0 }, 'x', seal, 1, 5000);
      await repo2.applyPage({ ...page, quarantined: page.bad, fromCursor: '0', at: 'x' });
      const stored = await Promise.all((await again.cache.entChunks.toArray()).map((r) => openChunk(again.cache, r)));
      expect(stored.map((c) => [c.gz, c.usccs.length])).toEqual([[undefined, 6]]);
      expect(await repo2.get(makeUscc(6))).toEqual(makeEnterprise(6));
    } finally {
      await disposeDatabases(again);
    }
  });

  it('a compressed chunk compacted after most of its records went keeps the live ones, readable', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await write(repo, await gzip(lines(1, 10).join('\n')), 10);
    const gone = [1, 2, 3, 4, 5, 6, 8, 9].map((n, i) => ({
      kind: 'tombstone' as const,
      seq: 11 + i,
      uscc: makeUscc(n),
    }));
    await repo.applyPage({ changes: gone, quarantined: [], nextCursor: '18', hasMore: false, total: 0, at: 'x' });
    const [chunk, ...others] = await Promise.all(
      (await dbs.cache.entChunks.toArray()).map((r) => openChunk(dbs.cache, r)),
    );
    expect(others).toHaveLength(0);
    expect(chunk!.gz).toBeUndefined(); // compacted: rewritten as the two live lines
    expect(chunk!.usccs).toEqual([makeUscc(7), makeUscc(10)]);
    expect(await enterprisesRepo(dbs.cache).get(makeUscc(10))).toEqual(makeEnterprise(10));
    expect(await repo.get(makeUscc(7))).toEqual(makeEnterprise(7));
    expect(await repo.get(makeUscc(8))).toBeNull();
  });

  it('a compressed chunk that is damaged, or whose lines do not match its USCCs, is refused when read', async () => {
    const member = await gzip(lines(1, 3).join('\n'));
    const usccs = [1, 2, 3].map((n) => makeUscc(n));
    expect(chunkRecords({ id: 7, generation: 0, usccs, gz: member })).toHaveLength(3);
    expect(() => chunkRecords({ id: 7, generation: 0, usccs: usccs.slice(1), gz: member })).toThrow(
      '企业档案分块 7 的记录数（3）与目录（2）不符',
    );
    const damaged = new Uint8Array(member);
    damaged[12]! ^= 0xff;
    damaged[13]! ^= 0xff;
    expect(() => chunkRecords({ id: 7, generation: 0, usccs, gz: damaged })).toThrow(
      /企业档案分块 7 的(压缩内容已损坏|记录数)/,
    );
  });

  it('a record of a stored member that no longer decompresses is refused with the chunk named, not misread', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const member = await gzip(lines(1, 20).join('\n'));
    const [chunk] = await write(repo, member, 20);
    // Damage in the compressed data, and in the trailer's CRC alone (the data then inflates, wrong or not).
    for (const at of [40, member.byteLength - 8]) {
      const damaged = new Uint8Array(member);
      damaged[at]! ^= 0xff;
      await dbs.cache.entChunks.put(sealChunkSync(dbs.cache, { ...chunk!, gz: damaged, inflated: undefined }));
      await expect(enterprisesRepo(dbs.cache).get(makeUscc(3))).rejects.toThrow(
        `企业档案分块 ${chunk!.id} 的压缩内容已损坏`,
      );
    }
  });
});
