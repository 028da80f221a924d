/**
 * The snapshot download starts as soon as the enterprise pull is created, while the pull still
 * fetches reference data and tasks: the file is on the wire and members are imported before `run`,
 * and its progress reaches the pull's tracker only once `run` hands it over (never under an earlier
 * phase), counting what was imported before.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enterprisesRepo, snapshotRepo, type Databases } from '../../../renderer/src/db/index.js';
import { createHttpClient, type TokenProvider } from '../../../renderer/src/platform/http.js';
import { ndjsonFeed } from '../../../renderer/src/credit-files/download/enterprise-feed.js';
import { enterprisePull } from '../../../renderer/src/credit-files/download/pull-enterprises.js';
import { ProgressTracker, type PullProgress } from '../../../renderer/src/sync/progress.js';
import { TEST_CACHE_KEY, disposeDatabases, freshDatabases } from '../../../renderer/src/testing/builders.js';
import { login, startTemp, type Harness } from '../testkit.js';

const COUNT = 700;
let h: Harness;
let tokens: TokenProvider;
let dbs: Databases;

beforeAll(async () => {
  h = await startTemp({ seed: 5, enterprises: COUNT, snapshotMemberLines: 200 });
  const { accessToken } = await login(h.platform.url, h.platform.logins[0]!.certNo);
  tokens = { accessToken: () => accessToken, refresh: async () => 'rejected' };
  dbs = freshDatabases();
});
afterAll(async () => {
  await disposeDatabases(dbs);
  await h.stop();
});

/** The credit-file pull against the simulator, every request through `f`, sealing under `key`. */
function pullThrough(f: typeof fetch, key: { readonly keyId: string; readonly key: Uint8Array }, at: string) {
  const base = () => h.platform.url;
  return enterprisePull({
    repo: enterprisesRepo(dbs.cache),
    feed: ndjsonFeed({ baseUrl: base, tokens, fetch: f }),
    pageSize: 500,
    now: () => new Date(at),
    snapshot: {
      http: createHttpClient({ baseUrl: base, tokens, fetch: f }),
      fetch: { baseUrl: base, tokens, fetch: f, partBytes: 8 * 1024, retryDelayMs: 0 },
      store: snapshotRepo(dbs.cache),
      seal: { dbName: dbs.cache.name, key },
    },
  });
}

it('the snapshot is on the wire before the pull reaches the credit files; its progress waits for run', async () => {
  let fileRequested!: () => void;
  const onFile = new Promise<void>((resolve) => (fileRequested = resolve));
  const f: typeof fetch = (input, init) => {
    if (new URL(String(input)).pathname.startsWith('/v1/sync/enterprises/snapshot/')) fileRequested();
    return fetch(input, init);
  };
  const pull = pullThrough(f, TEST_CACHE_KEY, '2026-05-06T02:00:00Z');
  // Nothing has called run: the earlier phases of a pull would be running now. The file comes down
  // and its first member is imported meanwhile.
  await onFile;
  while ((await enterprisesRepo(dbs.cache).state()).cursor === '0') await new Promise((r) => setTimeout(r, 5));
  const seen: PullProgress[] = [];
  const tracker = new ProgressTracker(
    () => Date.now(),
    (p) => seen.push(p),
  );
  expect(await pull.run(tracker)).toBeNull();
  expect(seen[0]).toMatchObject({ phase: 'enterprises' });
  expect(seen.at(-1)).toMatchObject({ phase: 'enterprises', done: COUNT });
  expect(await enterprisesRepo(dbs.cache).count()).toBe(COUNT);
  expect(await enterprisesRepo(dbs.cache).complete()).toBe(true);
});

it('a cache the key check empties goes through the snapshot again, not the paged feed from 0', async () => {
  // The cache is complete (the test above): its cursor is past 0. Another station key empties it.
  expect((await enterprisesRepo(dbs.cache).state()).cursor).not.toBe('0');
  const rotated = { keyId: `${TEST_CACHE_KEY.keyId}-next`, key: new Uint8Array(32).fill(7) };
  dbs.cache.setCacheKey(rotated);
  const paths: string[] = [];
  const f: typeof fetch = (input, init) => {
    paths.push(new URL(String(input)).pathname);
    return fetch(input, init);
  };
  const pull = pullThrough(f, rotated, '2026-05-06T03:00:00Z');
  const tracker = new ProgressTracker(
    () => Date.now(),
    () => undefined,
  );
  expect(await pull.run(tracker)).toBeNull();
  // The cursor read beside the key check predates the wipe: the pull must decide on what is stored now.
  expect(paths.filter((p) => p.startsWith('/v1/sync/enterprises/snapshot/')).length).toBeGreaterThan(0);
  expect(await enterprisesRepo(dbs.cache).count()).toBe(COUNT);
  expect(await enterprisesRepo(dbs.cache).complete()).toBe(true);
});
