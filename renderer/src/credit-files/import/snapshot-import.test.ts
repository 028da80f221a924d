import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import { enterprisesRepo, type Databases, type EnterprisesRepo } from '../../db/index.js';
import { TEST_CACHE_KEY, disposeDatabases, freshDatabases, makeEnterprise, makeUscc } from '../../testing/builders.js';
import { gzip } from '../../testing/gzip.js';
import { MemberImport, prepareMember, type MemberPreparer } from './snapshot-import.js';

let dbs: Databases;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

const PER = 3;
const MEMBERS = 4;

/** Four gzip members of three lines; the second member's middle line is not a valid record. */
async function snapshot(): Promise<{ manifest: SnapshotManifest; members: Uint8Array[] }> {
  const members: Uint8Array[] = [];
  const meta: SnapshotManifest['members'][number][] = [];
  let offset = 0;
  for (let m = 0; m < MEMBERS; m++) {
    const lines: string[] = [];
    for (let k = 0; k < PER; k++) {
      const n = m * PER + k + 1;
      lines.push(
        m === 1 && k === 1
          ? JSON.stringify({ kind: 'upsert', seq: n, enterprise: { uscc: makeUscc(n) } })
          : JSON.stringify({ kind: 'upsert', seq: n, enterprise: makeEnterprise(n) }),
      );
    }
    const bytes = await gzip(`${lines.join('\n')}\n`);
    members.push(bytes);
    meta.push({ offset, bytes: bytes.byteLength, sha256: '0'.repeat(64), records: PER, cursor: String((m + 1) * PER) });
    offset += bytes.byteLength;
  }
  const manifest = {
    url: '/snapshot',
    sha256: '0'.repeat(64),
    bytes: offset,
    records: PER * MEMBERS,
    coversSeq: PER * MEMBERS,
    cursor: String(PER * MEMBERS),
    members: meta,
  } as unknown as SnapshotManifest;
  return { manifest, members };
}

/**
 * Imports the snapshot with the first member's preparation held back until the next two are
 * prepared, so its write finds them waiting. Returns the cursor each write stored.
 */
async function importAll(
  d: Databases,
  repo: EnterprisesRepo,
  joinPrepared: boolean,
): Promise<{ commits: string[]; pages: number[] }> {
  const { manifest, members } = await snapshot();
  const seal = { dbName: d.cache.name, key: TEST_CACHE_KEY };
  const commits: string[] = [];
  const pages: number[] = [];
  let releaseFirst: () => void = () => undefined;
  const firstHeld = new Promise<void>((r) => (releaseFirst = r));
  let othersReady = 0;
  const prepare: MemberPreparer = async (bytes, header, at, base, limit, gzip) => {
    const page = await prepareMember(bytes, header, at, seal, base, limit, gzip);
    if (header.nextCursor === manifest.members[0]!.cursor) await firstHeld;
    else if (++othersReady === 2) releaseFirst();
    return page;
  };
  const counting: EnterprisesRepo = {
    ...repo,
    applyPage: async (page) => {
      const n = await repo.applyPage(page);
      commits.push(page.nextCursor);
      return n;
    },
  };
  const importer = new MemberImport(
    {
      repo: counting,
      seal,
      pageSize: PER,
      now: () => new Date('2026-01-01T00:00:00Z'),
      prepare,
      joinPrepared,
      inFlightRecords: 0, // two members at a time: what is prepared when member 0 is let go is known
      onPage: (good) => pages.push(good),
    },
    manifest,
    0,
    '0',
    await repo.nextChunkId(),
  );
  for (let i = 0; i < MEMBERS; i++) await importer.push(i, members[i]!);
  await importer.finish();
  return { commits, pages };
}

/** What the cache holds, read through `repo` (the one that wrote: its directory in memory) and through a fresh one. */
async function endState(d: Databases, writer: EnterprisesRepo) {
  const usccs = Array.from({ length: PER * MEMBERS }, (_, i) => makeUscc(i + 1));
  const read = async (repo: EnterprisesRepo) => ({
    count: await repo.count(),
    cursor: (await repo.state()).cursor,
    records: await Promise.all(usccs.map((u) => repo.get(u))),
    live: (await repo.directory()).dir.flatMap((r) => r.usccs).sort(),
  });
  const [mine, reopened] = [await read(writer), await read(enterprisesRepo(d.cache))];
  expect(mine).toEqual(reopened);
  return { ...mine, quarantined: (await d.cache.quarantine.toArray()).length };
}

describe('snapshot members written as they are prepared', () => {
  it('one write takes the members already prepared after its own: fewer transactions, the same end state', async () => {
    const writer = enterprisesRepo(dbs.cache);
    const joined = await importAll(dbs, writer, true);
    // Member 0 was held until 1 and 2 were prepared: one transaction for the three, then member 3.
    expect(joined.commits).toEqual(['9', '12']);
    // Progress still comes member by member (stored records of each; one line of the second was bad).
    expect(joined.pages).toEqual([3, 2, 3, 3]);
    const state = await endState(dbs, writer);

    const alone = freshDatabases();
    try {
      const aloneWriter = enterprisesRepo(alone.cache);
      const separate = await importAll(alone, aloneWriter, false);
      expect(separate.commits).toEqual(['3', '6', '9', '12']);
      expect(separate.pages).toEqual([3, 2, 3, 3]);
      expect(state).toEqual(await endState(alone, aloneWriter));
    } finally {
      await disposeDatabases(alone);
    }
    expect(state.count).toBe(11);
    expect(state.quarantined).toBe(1);
    expect(state.records.filter((r) => r === null)).toHaveLength(1);
    expect(state.records[PER * MEMBERS - 1]).toEqual(makeEnterprise(PER * MEMBERS));
  });

  it('a joined write that fails stores nothing of any member it took: the cursor stays before them', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const failing: EnterprisesRepo = {
      ...repo,
      applyPage: async (page) => {
        if (page.nextCursor === '9') throw new Error('磁盘已满');
        return repo.applyPage(page);
      },
    };
    await expect(importAll(dbs, failing, true)).rejects.toThrow('磁盘已满');
    expect(await repo.count()).toBe(0);
    expect((await repo.state()).cursor).toBe('0');
  });
});

describe('members in flight, counted in records', () => {
  it('members smaller than the budget are all prepared at once, and the write takes them together', async () => {
    const repo = enterprisesRepo(dbs.cache);
    const { manifest, members } = await snapshot();
    const seal = { dbName: dbs.cache.name, key: TEST_CACHE_KEY };
    // Member 0 is held until the other three are prepared (then a turn later, so their pages are in).
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const started: string[] = [];
    let ready = 0;
    const prepare: MemberPreparer = async (bytes, header, at, base, limit, gzip) => {
      started.push(header.nextCursor);
      if (header.nextCursor === manifest.members[0]!.cursor) await held;
      const page = await prepareMember(bytes, header, at, seal, base, limit, gzip);
      if (header.nextCursor !== manifest.members[0]!.cursor && ++ready === MEMBERS - 1) setTimeout(release, 0);
      return page;
    };
    const commits: string[] = [];
    const importer = new MemberImport(
      {
        repo: { ...repo, applyPage: async (p) => (commits.push(p.nextCursor), repo.applyPage(p)) },
        seal,
        pageSize: PER,
        now: () => new Date('2026-01-01T00:00:00Z'),
        prepare,
        joinPrepared: true,
        onPage: () => undefined,
      },
      manifest,
      0,
      '0',
      await repo.nextChunkId(),
    );
    // Member 0 is not prepared, so nothing is written yet, and still every push returns: 12 records
    // are far within the budget (with two members in flight, the third push would wait for ever).
    for (let i = 0; i < MEMBERS; i++) await importer.push(i, members[i]!);
    expect(started).toEqual(['3', '6', '9', '12']);
    await importer.finish();
    // Member 0's write found the other three prepared: one transaction for all four.
    expect(commits).toEqual(['12']);
    expect(await repo.count()).toBe(PER * MEMBERS - 1);
  });

  it('a manifest that claims no records per member still gets a bounded number of members in flight', async () => {
    const { manifest, members } = await snapshot();
    const many = 14;
    const lying = {
      ...manifest,
      members: Array.from({ length: many }, (_, i) => ({ ...manifest.members[0]!, records: 0, cursor: String(i + 1) })),
    } as SnapshotManifest;
    const never = new Promise<never>(() => undefined);
    const importer = new MemberImport(
      {
        repo: enterprisesRepo(dbs.cache),
        seal: null,
        pageSize: PER,
        now: () => new Date('2026-01-01T00:00:00Z'),
        prepare: () => never, // nothing is ever prepared, so nothing is ever written
        onPage: () => undefined,
      },
      lying,
      0,
      '0',
      1,
    );
    let returned = 0;
    const pushing = (async () => {
      for (let i = 0; i < many; i++) {
        await importer.push(i, members[0]!);
        returned += 1;
      }
    })();
    pushing.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 50));
    // Each member counts as 1,000 records at least: ten fit the 10,000-record budget, the eleventh waits.
    expect(returned).toBe(10);
  });
});

describe('which side waits: the link or the import', () => {
  /**
   * Imports the snapshot, each write taking `writeMs` longer; member i+1 is pushed `gaps[i]` ms after
   * every member before it is written (no gap given: at once). Returns each write's linkBound.
   */
  async function flags(writeMs: number, gaps: readonly number[]): Promise<(boolean | undefined)[]> {
    const { manifest, members } = await snapshot();
    const repo = enterprisesRepo(dbs.cache);
    const seen: (boolean | undefined)[] = [];
    const importer = new MemberImport(
      {
        repo: {
          ...repo,
          applyPage: async (page) => {
            await new Promise((r) => setTimeout(r, writeMs));
            seen.push(page.linkBound);
            return repo.applyPage(page);
          },
        },
        seal: { dbName: dbs.cache.name, key: TEST_CACHE_KEY },
        pageSize: PER,
        now: () => new Date('2026-01-01T00:00:00Z'),
        inFlightRecords: 0,
        onPage: () => undefined,
      },
      manifest,
      0,
      '0',
      await repo.nextChunkId(),
    );
    for (let i = 0; i < MEMBERS; i++) {
      await importer.push(i, members[i]!);
      const gap = gaps[i];
      if (gap !== undefined) {
        await importer.finish();
        await new Promise((r) => setTimeout(r, gap));
      }
    }
    await importer.finish();
    return seen;
  }

  it('a download slower than the import marks its pages link-bound once the import has waited on it', async () => {
    // Every member written before the next arrives: from the second write on, the import waited longer.
    expect(await flags(0, [60, 60, 60])).toEqual([false, true, true, true]);
  });

  it('a download the import holds back (its writes are slower) stops marking its pages link-bound', async () => {
    // The import waited 20 ms for member 1; then member 3 waited ~100 ms for the write of member 1.
    expect(await flags(100, [20])).toEqual([false, true, false, false]);
    // Held back from the start: never.
    await disposeDatabases(dbs);
    dbs = freshDatabases();
    expect(await flags(100, [])).toEqual([false, false, false, false]);
  });
});
