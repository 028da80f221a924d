/**
 * The station's credit-file cache sealed at rest, against the real simulator (NDJSON pages sealed
 * the way the feed workers seal them, fake-indexeddb): nothing of the records is readable in the
 * stored rows, a value moved to another row does not open, a wrong or rotated station key empties
 * the cache and the next pull downloads it again, and two inspectors of one station share one
 * cache and one download.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, StationCacheKeyResponseSchema, type Enterprise } from '../../shared/protocol/index.js';
import {
  closeDatabases,
  enterprisesRepo,
  openDatabases,
  quarantineRepo,
  type CacheKey,
  type Databases,
} from '../../renderer/src/db/index.js';
import { fromBase64Url, isVaultError } from '../../renderer/src/vault/index.js';
import { ndjsonFeed } from '../../renderer/src/credit-files/download/enterprise-feed.js';
import { pullEnterprises } from '../../renderer/src/credit-files/download/pull-enterprises.js';
import { ProgressTracker } from '../../renderer/src/sync/progress.js';
import { login, startTemp, type Harness } from '../platform/testkit.js';

const COUNT = 1800;
const INVALID = 2;
let h: Harness;
const opened: Databases[] = [];

interface Inspector {
  readonly token: string;
  readonly stationId: string;
  readonly key: CacheKey;
}

async function signIn(certNo: string, deviceId: string): Promise<Inspector> {
  const { accessToken } = await login(h.platform.url, certNo, 'demo1234', deviceId);
  const res = await fetch(`${h.platform.url}${API.stationCacheKey}`, {
    headers: { Authorization: `Bearer ${accessToken}` },
  });
  const body = StationCacheKeyResponseSchema.parse(await res.json());
  return { token: accessToken, stationId: body.stationId, key: { keyId: body.keyId, key: fromBase64Url(body.key)! } };
}

/** Each inspector's own app instance: its own connections to the station's cache database. */
function open(prefix: string, who: Inspector, key: CacheKey = who.key): Databases {
  const dbs = openDatabases(prefix, { stationId: who.stationId, cacheKey: key });
  opened.push(dbs);
  return dbs;
}

/** A pull the way the app's feed workers run it: NDJSON pages sealed before their write. */
async function pull(dbs: Databases, who: Inspector, cursors: string[] = []) {
  const feed = ndjsonFeed({
    baseUrl: () => h.platform.url,
    tokens: { accessToken: () => who.token, refresh: async () => 'rejected' },
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === API.enterprises) cursors.push(url.searchParams.get('cursor') ?? '');
      return fetch(input, init);
    },
    seal: { dbName: dbs.cache.name, key: dbs.cache.cacheKey! },
  });
  const tracker = new ProgressTracker(
    () => Date.now(),
    () => undefined,
  );
  const repo = enterprisesRepo(dbs.cache);
  return pullEnterprises({ repo, feed, pageSize: 500, now: () => new Date('2026-05-06T02:00:00Z') }, tracker);
}

function includesBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every stored value of the cache database as raw strings and bytes (no repository, no key). */
async function rawValues(dbs: Databases): Promise<(string | Uint8Array)[]> {
  const out: (string | Uint8Array)[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (v instanceof Uint8Array) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const table of dbs.cache.tables) for (const row of await table.toArray()) walk(row);
  return out;
}

let alice: Inspector;
let bob: Inspector;

beforeAll(async () => {
  h = await startTemp({ seed: 5, enterprises: COUNT, invalidRecords: INVALID });
  const all = await Promise.all(h.platform.logins.map((l, i) => signIn(l.certNo, `dev-station-${i}`)));
  const pair = all.flatMap((a, i) => all.slice(i + 1).flatMap((b) => (a.stationId === b.stationId ? [[a, b]] : [])))[0];
  if (!pair) throw new Error('the simulator has no two demo inspectors of one station');
  [alice, bob] = pair as [Inspector, Inspector];
});
afterAll(async () => {
  for (const dbs of opened) {
    closeDatabases(dbs);
    await dbs.cache.delete();
    await dbs.field.delete();
  }
  await h.stop();
});

describe('station credit-file cache, sealed', () => {
  it('stores no name, USCC or legal representative of the fed records in any stored value', async () => {
    const dbs = open('scan-', alice);
    expect(await pull(dbs, alice)).toBeNull();
    const repo = enterprisesRepo(dbs.cache);
    expect(await repo.count()).toBe(COUNT);
    expect(await quarantineRepo(dbs.cache).count()).toBe(INVALID);
    const records = (await repo.directory()).dir.flatMap((d) => d.usccs);
    const sample: Enterprise[] = [];
    for (const u of records.filter((_, i) => i % 60 === 0)) sample.push((await repo.get(u))!);
    expect(sample.length).toBeGreaterThan(20);
    const values = await rawValues(dbs);
    const enc = new TextEncoder();
    const leaks: string[] = [];
    for (const e of sample)
      for (const secret of [e.name, e.uscc, e.legalRep, e.address])
        for (const v of values)
          if (typeof v === 'string' ? v.includes(secret) : includesBytes(v, enc.encode(secret))) leaks.push(secret);
    expect(leaks).toEqual([]);
  });

  it('a sealed value copied to another row does not open: a clear error, never another record', async () => {
    const dbs = open('copy-', alice);
    expect(await pull(dbs, alice)).toBeNull();
    const [a, b] = await dbs.cache.entChunks.limit(2).toArray();
    const victim = (await enterprisesRepo(dbs.cache).directory()).dir.find((d) => d.id === b!.id)!.usccs[0]!;
    await dbs.cache.entChunks.put({ ...b!, sealed: a!.sealed });
    const err: unknown = await enterprisesRepo(dbs.cache)
      .get(victim)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isVaultError(err) && err.code).toBe('cannot-open');
  });

  it('a wrong station key is told apart, empties the cache and the next pull downloads it again', async () => {
    const dbs = open('wrong-', alice);
    expect(await pull(dbs, alice)).toBeNull();
    closeDatabases(dbs);
    const wrong: CacheKey = { keyId: alice.key.keyId, key: new Uint8Array(32).fill(9) };
    const again = open('wrong-', alice, wrong);
    const repo = enterprisesRepo(again.cache);
    const check = await repo.verifyKey();
    expect(check.ok ? null : check.error.kind).toBe('wrong-key');
    expect(await repo.count()).toBe(0);
    expect((await repo.state()).cursor).toBe('0');
    expect(await again.cache.entChunks.count()).toBe(0);
    // Downloaded again under the key at hand, and readable with it.
    expect(await pull(again, alice)).toBeNull();
    expect(await repo.count()).toBe(COUNT);
  });

  it('a cache sealed under a rotated key (another keyId) is dropped and re-downloaded', async () => {
    const dbs = open('rotated-', alice);
    expect(await pull(dbs, alice)).toBeNull();
    closeDatabases(dbs);
    const rotated: CacheKey = { keyId: `${alice.key.keyId}-next`, key: new Uint8Array(32).fill(3) };
    const again = open('rotated-', alice, rotated);
    const cursors: string[] = [];
    expect(await pull(again, alice, cursors)).toBeNull();
    expect(cursors[0]).toBe('0');
    expect(await enterprisesRepo(again.cache).count()).toBe(COUNT);
  });

  it('two inspectors of one station share the cache: the second continues from its cursor', async () => {
    expect(bob.key.keyId).toBe(alice.key.keyId);
    const first = open('shared-', alice);
    const aliceCursors: string[] = [];
    expect(await pull(first, alice, aliceCursors)).toBeNull();
    const stored = await enterprisesRepo(first.cache).state();
    closeDatabases(first);
    const second = open('shared-', bob);
    expect(second.cache.name).toBe(first.cache.name);
    const bobCursors: string[] = [];
    expect(await pull(second, bob, bobCursors)).toBeNull();
    expect(aliceCursors.length).toBeGreaterThan(3);
    // One request from the station's cursor (the delta since), not a second download from 0.
    expect(bobCursors).toEqual([stored.cursor]);
    expect(await enterprisesRepo(second.cache).count()).toBe(COUNT);
  });
});
