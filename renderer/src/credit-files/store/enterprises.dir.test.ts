import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EnterpriseChange } from '../../../../shared/protocol/index.js';
import { disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { enterprisesRepo, type EnterprisePage } from './enterprises.repo.js';
import { sealDirSync } from './enterprises.store.js';

type Op =
  { readonly kind: 'up'; readonly n: number; readonly version: number } | { readonly kind: 'del'; readonly n: number };
interface PageSpec {
  readonly ops: readonly Op[];
  /** Read one record through the writing repo after this page: builds its map of every record. */
  readonly probe: boolean;
  /** Write this page through a repo opened afresh (it finds the page's records by scanning). */
  readonly fresh: boolean;
}

const KEYS = 12;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('up' as const),
      n: fc.integer({ min: 1, max: KEYS }),
      version: fc.integer({ min: 1, max: 4 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('del' as const), n: fc.integer({ min: 1, max: KEYS }) }) },
);
const pagesArb = fc.array(
  fc.record({ ops: fc.array(opArb, { minLength: 1, maxLength: 8 }), probe: fc.boolean(), fresh: fc.boolean() }),
  {
    minLength: 1,
    maxLength: 6,
  },
);

function page(changes: EnterpriseChange[], from: string, next: string): EnterprisePage {
  return {
    changes,
    quarantined: [],
    fromCursor: from,
    nextCursor: next,
    hasMore: false,
    total: 0,
    at: '2026-05-01T00:00:00Z',
  };
}

/**
 * The directory finds a page's records by scanning its rows until something asks for one record
 * (get), then through a map it keeps in step with every later write; the live count is kept as
 * rows change. Whichever path a write takes, the store must say what the feed said: the latest
 * version wins (an equal one replaces, an older one is ignored), a removal removes, and the count
 * is the number of live records, for the writing repo and for a reader that opens it afresh.
 */
describe('the directory through deltas', () => {
  it('keeps the latest version of every record, drops removed ones and counts the live ones', async () => {
    await fc.assert(
      fc.asyncProperty(pagesArb, async (pages: readonly PageSpec[]) => {
        const dbs = freshDatabases();
        try {
          let writer = enterprisesRepo(dbs.cache);
          // A reader that stays open across the deltas (the search index's): it reopens only changed rows.
          const follower = enterprisesRepo(dbs.cache);
          const model = new Map<number, { version: number; name: string }>();
          let seq = 0;
          for (const [p, spec] of pages.entries()) {
            const from = String(seq);
            const changes: EnterpriseChange[] = spec.ops.map((op, i) => {
              seq += 1;
              if (op.kind === 'del') {
                model.delete(op.n);
                return { kind: 'tombstone', seq, uscc: makeUscc(op.n) };
              }
              const name = `企业${op.n}第${p}页第${i}条`;
              const have = model.get(op.n);
              if (!have || have.version <= op.version) model.set(op.n, { version: op.version, name });
              return { kind: 'upsert', seq, enterprise: makeEnterprise(op.n, { version: op.version, name }) };
            });
            if (spec.fresh) writer = enterprisesRepo(dbs.cache);
            await writer.applyPage(page(changes, from, String(seq)));
            expect(await writer.count()).toBe(model.size);
            const followed = (await follower.directory()).dir.flatMap((d) => d.usccs);
            expect(followed.sort()).toEqual([...model.keys()].map(makeUscc).sort());
            if (spec.probe) await writer.get(makeUscc(1));
          }
          const reader = enterprisesRepo(dbs.cache);
          for (let n = 1; n <= KEYS; n++) {
            const want = model.get(n)?.name ?? null;
            expect((await writer.get(makeUscc(n)))?.name ?? null).toBe(want);
            expect((await reader.get(makeUscc(n)))?.name ?? null).toBe(want);
          }
          expect(await reader.count()).toBe(model.size);
          const listed = (await reader.directory()).dir.flatMap((d) => d.usccs);
          expect(listed.length).toBe(model.size);
          expect(new Set(listed).size).toBe(model.size);
        } finally {
          await disposeDatabases(dbs);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a reader that opened the directory before opens again a row rewritten to the same length', async () => {
    const dbs = freshDatabases();
    try {
      const writer = enterprisesRepo(dbs.cache);
      const changes: EnterpriseChange[] = [1, 2].map((n) => ({
        kind: 'upsert',
        seq: n,
        enterprise: makeEnterprise(n),
      }));
      await writer.applyPage(page(changes, '0', '2'));
      const reader = enterprisesRepo(dbs.cache);
      const [row] = (await reader.directory()).dir;
      if (!row) throw new Error('no directory row');
      // Same chunk, generation and size, sealed bytes of the same length: only the tag differs.
      const swapped = { ...row, usccs: [row.usccs[0]!, makeUscc(3)] };
      await dbs.cache.entDir.put(sealDirSync(dbs.cache, swapped));
      expect((await reader.directory()).dir[0]?.usccs).toEqual(swapped.usccs);
    } finally {
      await disposeDatabases(dbs);
    }
  });
});
