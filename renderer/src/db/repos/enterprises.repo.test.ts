import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { enterprisesRepo, type EnterprisePage } from './enterprises.repo.js';
import { quarantineRepo } from './quarantine.repo.js';

let dbs: Databases;
beforeEach(() => { dbs = freshDatabases(); });
afterEach(() => disposeDatabases(dbs));

function page(over: Partial<EnterprisePage>): EnterprisePage {
  return { changes: [], quarantined: [], nextCursor: '0', hasMore: false, total: 0, at: '2026-05-01T00:00:00Z', ...over };
}

describe('enterprisesRepo', () => {
  it('writes a page, its quarantine and its cursor together', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({
      changes: [{ kind: 'upsert', seq: 1, enterprise: makeEnterprise(1) }, { kind: 'upsert', seq: 2, enterprise: makeEnterprise(2) }],
      quarantined: [{ key: 'enterprises:x', stream: 'enterprises', reason: '坏记录', raw: '{}', at: 'x' }],
      nextCursor: '3', hasMore: true, total: 3,
    }));
    expect(await repo.count()).toBe(2);
    expect((await repo.get(makeUscc(1)))?.name).toBe('测试企业1有限公司');
    expect((await repo.state()).cursor).toBe('3');
    expect(await quarantineRepo(dbs.cache).count()).toBe(1);
  });

  it('tombstones remove a credit file; older versions never overwrite newer', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [{ kind: 'upsert', seq: 1, enterprise: makeEnterprise(1, { version: 5, name: '新名称' }) }, { kind: 'upsert', seq: 2, enterprise: makeEnterprise(2) }], nextCursor: '2' }));
    await repo.applyPage(page({ changes: [{ kind: 'upsert', seq: 3, enterprise: makeEnterprise(1, { version: 4, name: '旧名称' }) }, { kind: 'tombstone', seq: 4, uscc: makeUscc(2) }], nextCursor: '4' }));
    expect((await repo.get(makeUscc(1)))?.name).toBe('新名称');
    expect(await repo.get(makeUscc(2))).toBeNull();
  });

  it('restart keeps old rows readable until the new full download completes, then drops the rest', async () => {
    const repo = enterprisesRepo(dbs.cache);
    await repo.applyPage(page({ changes: [1, 2, 3].map((n) => ({ kind: 'upsert' as const, seq: n, enterprise: makeEnterprise(n) })), nextCursor: '3' }));
    await repo.restart();
    expect((await repo.state()).cursor).toBe('0');
    await repo.applyPage(page({ changes: [{ kind: 'upsert', seq: 10, enterprise: makeEnterprise(1) }], nextCursor: '10', hasMore: true }));
    expect(await repo.count()).toBe(3);
    await repo.applyPage(page({ changes: [{ kind: 'upsert', seq: 11, enterprise: makeEnterprise(2) }], nextCursor: '11', hasMore: false }));
    expect(await repo.count()).toBe(2);
    expect(await repo.get(makeUscc(3))).toBeNull();
    expect((await repo.state()).restarting).toBe(false);
  });
});
