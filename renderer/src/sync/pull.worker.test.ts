/**
 * The pull worker's cache connection: opened when the app says 'open' (at unlock), used by the
 * next sync under the key that sync hands over, kept open between syncs without the key, and
 * closed after a sync that failed (the next one opens its own). The worker's global scope is stood
 * in for (Node has none), and the pull itself is replaced: only the connection is under test here.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as DbModule from '../db/index.js';
import type { CacheDb } from '../db/index.js';

const created: CacheDb[] = [];
vi.mock('../db/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof DbModule>();
  class CountedCacheDb extends real.CacheDb {
    constructor(...args: ConstructorParameters<typeof real.CacheDb>) {
      super(...args);
      created.push(this);
    }
  }
  return { ...real, CacheDb: CountedCacheDb };
});

/** What each pull saw of the cache: whether its key was there while it ran. */
const seen: { keyId: string | null; open: boolean }[] = [];
/** The credit-file repo each pull was handed. */
const repos: unknown[] = [];
let nextOk = true;
vi.mock('./pull-engine.js', () => ({
  isTransient: () => false,
  pullAll: async (o: { enterprises: unknown }) => {
    repos.push(o.enterprises);
    const db = created[created.length - 1]!;
    await db.open();
    seen.push({ keyId: db.cacheKey?.keyId ?? null, open: db.isOpen() });
    return nextOk
      ? { ok: true, quarantined: 0 }
      : { ok: false, error: { kind: 'http', status: 500, message: '平台出错' } };
  },
}));

type Listener = (event: MessageEvent<unknown>) => void;
const g = globalThis as unknown as { addEventListener?: unknown; postMessage?: unknown };
let deliver: Listener | null = null;
const posted: { type: string; ok?: boolean }[] = [];

beforeAll(async () => {
  g.addEventListener = (type: string, l: Listener) => {
    if (type === 'message') deliver = l;
  };
  g.postMessage = (m: { type: string; ok?: boolean }) => posted.push(m);
  await import('./pull.worker.js');
});
afterAll(() => {
  delete g.addEventListener;
  delete g.postMessage;
});
beforeEach(() => {
  seen.length = 0;
  posted.length = 0;
  nextOk = true;
});

const send = (data: unknown) => deliver!({ data } as MessageEvent<unknown>);
const key = (keyId: string) => ({ keyId, key: new Uint8Array(32).fill(7) });

async function sync(cacheName: string, keyId: string): Promise<{ type: string; ok?: boolean }> {
  const before = posted.length;
  send({
    type: 'start',
    baseUrl: 'http://127.0.0.1:9',
    accessToken: 't',
    dbPrefix: '',
    fieldName: 'field-worker-test',
    dataKey: null,
    pageSize: 10,
    cacheName,
    cacheKey: key(keyId),
  });
  for (let i = 0; i < 200 && !posted.slice(before).some((m) => m.type === 'done'); i++)
    await new Promise((r) => setTimeout(r, 5));
  return posted.slice(before).find((m) => m.type === 'done')!;
}

describe('the pull worker keeps its cache connection between syncs', () => {
  it('opens the cache on open, syncs with the key handed over, and keeps the connection without the key', async () => {
    send({ type: 'open', cacheName: 'cache-w1' });
    expect(created).toHaveLength(1);
    const opened = created[0]!;
    expect(opened.cacheKey).toBeNull(); // no key travels with 'open'
    expect((await sync('cache-w1', 'k1')).ok).toBe(true);
    expect((await sync('cache-w1', 'k2')).ok).toBe(true);
    expect(created).toHaveLength(1); // both syncs used the connection opened at 'open'
    expect(seen).toEqual([
      { keyId: 'k1', open: true },
      { keyId: 'k2', open: true },
    ]);
    expect(opened.cacheKey).toBeNull(); // between syncs the worker holds no key
    expect(opened.isOpen()).toBe(true);
    // One credit-file repo for both: the directory the first opened serves the second.
    expect(repos[repos.length - 1]).toBe(repos[repos.length - 2]);
  });

  it('closes the connection after a failed sync, and a sync of another cache opens that one', async () => {
    const before = created.length;
    nextOk = false;
    expect((await sync('cache-w1', 'k3')).ok).toBe(false);
    const failed = created[created.length - 1]!;
    expect(failed.isOpen()).toBe(false);
    const failedRepo = repos[repos.length - 1];
    nextOk = true;
    expect((await sync('cache-w1', 'k4')).ok).toBe(true);
    expect(created.length).toBe(before + 1);
    expect(repos[repos.length - 1]).not.toBe(failedRepo); // nothing of a failed sync's repo is reused
    const kept = created[created.length - 1]!;
    const keptRepo = repos[repos.length - 1];
    expect((await sync('cache-w2', 'k5')).ok).toBe(true);
    expect(kept.isOpen()).toBe(false);
    expect(created[created.length - 1]!.name).toBe('cache-w2');
    expect(repos[repos.length - 1]).not.toBe(keptRepo);
  });
});
