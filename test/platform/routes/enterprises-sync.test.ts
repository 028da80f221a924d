/**
 * Credit-file sync correctness against the real simulator (NDJSON over HTTP, gzip, packed cache,
 * fake-indexeddb): counts match the server, invalid records are quarantined with a reason, an
 * interrupted download resumes to exactly the state of an uninterrupted one, deltas and tombstones
 * apply, a 410 restarts cleanly, and search finds fragments from the middle of names.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enterprisesRepo, quarantineRepo, type EnterprisesRepo } from '../../../renderer/src/db/index.js';
import { createSearchEngine } from '../../../renderer/src/credit-files/search/engine.js';
import { ndjsonFeed, type EnterpriseFeedFetcher } from '../../../renderer/src/credit-files/download/enterprise-feed.js';
import { pullEnterprises } from '../../../renderer/src/credit-files/download/pull-enterprises.js';
import { ProgressTracker, type PullProgress } from '../../../renderer/src/sync/progress.js';
import { disposeDatabases, freshDatabases } from '../../../renderer/src/testing/builders.js';
import { login, startTemp, type Harness } from '../testkit.js';

const COUNT = 2300;
const INVALID = 3;
let h: Harness;
let feed: EnterpriseFeedFetcher;
const opened: ReturnType<typeof freshDatabases>[] = [];

beforeAll(async () => {
  h = await startTemp({ seed: 5, enterprises: COUNT, invalidRecords: INVALID });
  const { accessToken } = await login(h.platform.url, h.platform.logins[0]!.certNo);
  feed = ndjsonFeed({
    baseUrl: () => h.platform.url,
    tokens: { accessToken: () => accessToken, refresh: async () => 'rejected' },
  });
});
afterAll(async () => {
  for (const dbs of opened) await disposeDatabases(dbs);
  await h.stop();
});

function freshRepo(): { repo: EnterprisesRepo; dbs: ReturnType<typeof freshDatabases> } {
  const dbs = freshDatabases();
  opened.push(dbs);
  return { repo: enterprisesRepo(dbs.cache), dbs };
}

async function pull(repo: EnterprisesRepo, f: EnterpriseFeedFetcher = feed, seen: PullProgress[] = []) {
  const tracker = new ProgressTracker(
    () => Date.now(),
    (p) => seen.push(p),
  );
  return pullEnterprises({ repo, feed: f, pageSize: 500, now: () => new Date('2026-05-06T02:00:00Z') }, tracker);
}

/** Everything a reader can see: every live record, decoded. */
async function contents(repo: EnterprisesRepo): Promise<string[]> {
  const usccs = (await repo.directory()).dir.flatMap((d) => d.usccs).sort();
  const out: string[] = [];
  for (const u of usccs) out.push(JSON.stringify(await repo.get(u)));
  return out;
}

describe('credit-file sync against the simulator', () => {
  let reference: string[] = [];

  it('downloads every valid record, quarantines the invalid ones with a reason, reports progress', async () => {
    const { repo, dbs } = freshRepo();
    const seen: PullProgress[] = [];
    expect(await pull(repo, feed, seen)).toBeNull();
    expect(await repo.count()).toBe(COUNT);
    const q = await quarantineRepo(dbs.cache).list();
    expect(q).toHaveLength(INVALID);
    expect(q.every((r) => r.reason.startsWith('企业档案不符合协议'))).toBe(true);
    expect(seen.at(-1)).toMatchObject({
      phase: 'enterprises',
      done: COUNT,
      total: COUNT + INVALID,
      quarantined: INVALID,
    });
    reference = await contents(repo);
    expect(reference).toHaveLength(COUNT);
  });

  it('an interrupted download resumes from the last committed page and ends identical', async () => {
    const { repo } = freshRepo();
    let calls = 0;
    const dropping: EnterpriseFeedFetcher = async (cursor, limit, signal) => {
      calls += 1;
      if (calls === 3) return { ok: false, error: { kind: 'network', message: '连接中断' } };
      return feed(cursor, limit, signal);
    };
    expect(await pull(repo, dropping)).toMatchObject({ kind: 'network' });
    const cursor = (await repo.state()).cursor;
    expect(Number(cursor)).toBeGreaterThan(0);
    expect(await repo.count()).toBeLessThan(COUNT);
    expect(await pull(repo)).toBeNull();
    expect(await contents(repo)).toEqual(reference);
  });

  it('applies deltas (updates and tombstones), restarts cleanly on 410, and search sees it all', async () => {
    const { repo } = freshRepo();
    await pull(repo);
    const changed = h.platform.admin.mutateEnterprises(40);
    const removed = h.platform.admin.removeEnterprises(7);
    const seen: PullProgress[] = [];
    expect(await pull(repo, feed, seen)).toBeNull();
    expect(seen.at(-1)?.done).toBe(40 + 7);
    expect(await repo.count()).toBe(COUNT - 7);
    for (const u of removed) expect(await repo.get(u)).toBeNull();
    for (const u of changed.filter((x) => !removed.includes(x))) expect((await repo.get(u))?.version).toBe(2);

    const gone = h.platform.admin.removeEnterprises(5);
    h.platform.admin.advanceTombstoneHorizon();
    expect(await pull(repo)).toBeNull(); // 410 → restart from 0 in a new generation
    expect(await repo.count()).toBe(COUNT - 12);
    for (const u of gone) expect(await repo.get(u)).toBeNull();
    expect((await repo.state()).restarting).toBe(false);

    const engine = createSearchEngine(repo);
    const any = (await repo.get(changed.at(-1)!))!;
    const fragment = any.name.slice(any.name.length - 8, any.name.length - 6); // two characters from the middle
    const answer = await engine.search(fragment);
    expect(answer.indexed).toBe(COUNT - 12);
    expect(answer.total).toBeGreaterThan(0);
    expect(
      answer.hits.every(
        (hit) => hit.name.includes(fragment) || hit.legalRep.includes(fragment) || hit.address.includes(fragment),
      ),
    ).toBe(true);
    expect((await engine.search(any.uscc.slice(0, 14))).hits.some((hit) => hit.uscc === any.uscc)).toBe(true);
  });
});
