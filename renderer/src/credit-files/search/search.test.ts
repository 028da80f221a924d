import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import { enterprisesRepo, type Databases, type EnterprisesRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { createSearchEngine } from './engine.js';

let dbs: Databases;
let repo: EnterprisesRepo;
beforeEach(() => {
  dbs = freshDatabases();
  repo = enterprisesRepo(dbs.cache);
});
afterEach(() => disposeDatabases(dbs));

const NAMES = [
  '威海市环翠区海润食品有限公司',
  '荣成市鑫源水产有限公司',
  '乳山市海润超市',
  '威海市文登区华通商贸有限公司',
  '环翠区晨光百货店',
];

async function seed(): Promise<void> {
  const changes: EnterpriseChange[] = NAMES.map((name, i) => ({
    kind: 'upsert',
    seq: i + 1,
    enterprise: makeEnterprise(i + 1, {
      name,
      legalRep: ['王海', '李娜', '张伟', '刘洋', '陈静'][i]!,
      address: `山东省威海市环翠区${['统一路', '成山大道', '胜利街', '米山路', '新威路'][i]!}${i + 10}号`,
      region: ['371002', '371082', '371083', '371003', '371002'][i]!,
      internal: {
        creditClass: (['A', 'B', 'C', 'D', 'E'] as const)[i]!,
        classHistory: [],
        // The first is outside food and special equipment: no colour.
        warningColor: ([null, 'blue', 'orange', 'red', 'red'] as const)[i]!,
        foodRiskLevel: null,
        seKeyUnit: false,
        complaints12345: 0,
      },
    }),
  }));
  await repo.applyPage({
    changes,
    quarantined: [],
    nextCursor: '5',
    hasMore: false,
    total: 5,
    at: '2026-05-01T00:00:00Z',
  });
}

describe('enterprise search', () => {
  it('finds a fragment from the middle of a name, best match first', async () => {
    await seed();
    const engine = createSearchEngine(repo);
    const a = await engine.search('海润');
    expect(a.total).toBe(2);
    expect(a.hits.map((h) => h.name)).toEqual(['乳山市海润超市', '威海市环翠区海润食品有限公司']); // earlier, shorter match first
    expect(a.hits[0]?.matchedIn).toBe('name');
    expect((await engine.search('润食')).hits.map((h) => h.uscc)).toEqual([makeUscc(1)]);
  });

  it('finds by USCC prefix, legal representative, address fragment and one character', async () => {
    await seed();
    const engine = createSearchEngine(repo);
    const byUscc = await engine.search(makeUscc(4).slice(0, 17).toLowerCase());
    expect(byUscc.hits[0]).toMatchObject({ uscc: makeUscc(4), matchedIn: 'uscc' });
    expect((await engine.search('张伟')).hits.map((h) => h.name)).toEqual(['乳山市海润超市']);
    expect((await engine.search('成山大道')).hits[0]).toMatchObject({ uscc: makeUscc(2), matchedIn: 'address' });
    expect((await engine.search('鑫')).hits.map((h) => h.uscc)).toEqual([makeUscc(2)]);
    expect((await engine.search('不存在的字号')).total).toBe(0);
  });

  it('filters by class, colour, status and region, with or without a query', async () => {
    await seed();
    const engine = createSearchEngine(repo);
    expect((await engine.search('', { warningColors: ['red'] })).hits.map((h) => h.uscc).sort()).toEqual([
      makeUscc(4),
      makeUscc(5),
    ]);
    expect((await engine.search('海润', { creditClasses: ['C'] })).hits.map((h) => h.uscc)).toEqual([makeUscc(3)]);
    // An enterprise without a colour keeps none through packing and indexing, and matches no colour filter.
    expect((await engine.search('', { creditClasses: ['A'] })).hits.map((h) => [h.uscc, h.warningColor])).toEqual([
      [makeUscc(1), null],
    ]);
    expect((await engine.search('', { warningColors: ['green'] })).total).toBe(0);
    expect((await engine.search('', { regions: ['371002'], creditClasses: ['E'] })).hits.map((h) => h.uscc)).toEqual([
      makeUscc(5),
    ]);
    expect((await engine.search('', { statuses: ['注销'] })).total).toBe(0);
    expect((await engine.search('')).total).toBe(0);
  });

  it('sees deltas and tombstones after the next write', async () => {
    await seed();
    const engine = createSearchEngine(repo);
    await engine.warm();
    await repo.applyPage({
      changes: [
        { kind: 'upsert', seq: 6, enterprise: makeEnterprise(2, { version: 2, name: '荣成市海润水产有限公司' }) },
        { kind: 'tombstone', seq: 7, uscc: makeUscc(3) },
      ],
      quarantined: [],
      nextCursor: '7',
      hasMore: false,
      total: 4,
      at: '2026-05-02T00:00:00Z',
    });
    await engine.warm();
    expect((await engine.search('海润')).hits.map((h) => h.uscc).sort()).toEqual([makeUscc(1), makeUscc(2)]);
    expect((await engine.search('鑫源')).total).toBe(0);
  });
});
