/**
 * The bench page (bundled by Vite from this folder by credit-files.bench.ts): the app's own data
 * layer — the pull worker (NDJSON, packed cache v2) and the search worker — driven without the UI,
 * plus the two per-record baselines (raw IndexedDB put, Dexie bulkPut) on the same feed.
 */
import { Dexie } from 'dexie';
import { openDatabases, enterprisesRepo } from '../../../renderer/src/db/index.js';
import { fromBase64Url } from '../../../renderer/src/vault/index.js';
import { DEFAULT_KDF_PARAMS, deriveKek } from '../../../renderer/src/vault/kdf.js';
import { createSearchClient, warmSearchWorker } from '../../../renderer/src/credit-files/search/search-client.js';
import { runPull, warmPullWorker } from '../../../renderer/src/sync/pull-runner.js';
import type { SearchFilters } from '../../../renderer/src/credit-files/search/types.js';
import { DIAGNOSTICS_CHANNEL, type EnterpriseTimings } from '../../../renderer/src/credit-files/timing-sink.js';

const t0 = performance.now();
const dbs = openDatabases('');
warmSearchWorker(dbs.cache.name); // as the app does at launch and after each lock, while the inspector signs in
const search = createSearchClient({ cache: dbs.cache, useWorker: true });
/** When the station cache key was handed to the cache (the app: the vault's unlock). */
let unlockedAt: number | null = null;
/** How long `unlock` spent deriving a key from the password (0 when asked without). */
let kdfMs = 0;
let longTasks = 0;
let peakHeap = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.duration > 100) longTasks += 1;
}).observe({ type: 'longtask', buffered: true });

interface MemoryPerf {
  memory?: { usedJSHeapSize: number };
}
function sampleHeap(): void {
  const m = (performance as unknown as MemoryPerf).memory;
  if (m) peakHeap = Math.max(peakHeap, m.usedJSHeapSize);
}
setInterval(sampleHeap, 100);

async function login(url: string, certNo: string, password: string): Promise<string> {
  const res = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ certNo, password, deviceId: 'bench-device', deviceName: 'bench' }),
  });
  const body = (await res.json()) as { accessToken: string };
  return body.accessToken;
}

/**
 * Unlock as the app does once the vault is open: the station cache key handed to the cache
 * database. Here it comes from the platform (the app's sign-in does the same until the vault keeps
 * it sealed at rest); `firstSearch` measures from the moment it is in hand. `withKdf`: first the
 * app's key derivation from a password (scrypt, DEFAULT_KDF_PARAMS), which the app's unlock always
 * runs before it has the key, while the search worker reads ahead.
 */
async function unlock(url: string, token: string, withKdf = false): Promise<void> {
  if (withKdf) {
    const k0 = performance.now();
    await deriveKek('bench-password', new Uint8Array(16), DEFAULT_KDF_PARAMS);
    kdfMs = performance.now() - k0;
  }
  warmPullWorker(dbs.cache.name); // as the app's sync service does at unlock
  const res = await fetch(`${url}/v1/keys/station-cache`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { keyId: string; key: string };
  const key = fromBase64Url(body.key);
  if (!key) throw new Error('station cache key: not base64url');
  dbs.cache.setCacheKey({ keyId: body.keyId, key });
  unlockedAt = performance.now();
}

/** The pull worker's timing breakdown (published on a BroadcastChannel when its enterprise phase ends). */
let lastTimings: EnterpriseTimings | null = null;
const diagnostics = new BroadcastChannel(DIAGNOSTICS_CHANNEL);
diagnostics.onmessage = (event: MessageEvent<{ type: string; timings: EnterpriseTimings }>) => {
  if (event.data.type === 'enterprise-timings') lastTimings = event.data.timings;
};

interface SyncFigures {
  seconds: number;
  records: number;
  longTasks: number;
  peakHeapMB: number;
  ok: boolean;
  message: string;
  timings: EnterpriseTimings | null;
  searchWarmMs: number;
  beforeEnterprisesMs: number;
  /** From the start to the pull worker's first message (worker start, its databases opened). */
  workerStartMs: number;
  /** From the start to the pull's outcome (everything stored), before the search refresh. */
  pullMs: number;
}

async function sync(url: string, token: string): Promise<SyncFigures> {
  lastTimings = null;
  longTasks = 0;
  peakHeap = 0;
  const start = performance.now();
  let beforeEnterprisesMs = -1;
  let workerStartMs = -1;
  search.follow(); // as the app's sync service does: index chunks as their pages commit
  const run = runPull({
    baseUrl: url,
    tokens: { accessToken: () => token, refresh: async () => 'rejected' },
    dbs,
    dbPrefix: '',
    pageSize: 1000,
    useWorker: true,
    // The pull worker collects its phase times only when asked, and publishes them on the channel above.
    diagnostics: true,
    onProgress: (p) => {
      sampleHeap();
      if (workerStartMs < 0) workerStartMs = performance.now() - start;
      if (p.phase === 'enterprises' && beforeEnterprisesMs < 0) beforeEnterprisesMs = performance.now() - start;
    },
  });
  const outcome = await run.done;
  const w0 = performance.now();
  const pullMs = w0 - start;
  await search.warm();
  const searchWarmMs = performance.now() - w0;
  sampleHeap();
  const seconds = (performance.now() - start) / 1000;
  // The channel message may trail the worker's 'done' by a task: give it a moment.
  for (let i = 0; i < 20 && !lastTimings; i++) await new Promise((r) => setTimeout(r, 25));
  return {
    seconds,
    records: await enterprisesRepo(dbs.cache).count(),
    longTasks,
    peakHeapMB: peakHeap / 1048576,
    ...outcome,
    timings: lastTimings,
    searchWarmMs,
    beforeEnterprisesMs,
    workerStartMs,
    pullMs,
  };
}

async function firstSearch(
  query: string,
): Promise<{ readyMs: number; fromLoadMs: number; total: number; kdfMs: number }> {
  if (unlockedAt === null) throw new Error('firstSearch before unlock');
  const a = await search.search(query);
  const now = performance.now();
  return { readyMs: now - unlockedAt, fromLoadMs: now - t0, total: a.total, kdfMs };
}

async function queries(list: readonly { q: string; filters: SearchFilters }[]): Promise<number[]> {
  const times: number[] = [];
  for (const { q, filters } of list) {
    const s = performance.now();
    await search.search(q, filters);
    times.push(performance.now() - s);
  }
  return times;
}

interface FeedPage {
  changes: { kind: string; enterprise?: Record<string, unknown> }[];
  nextCursor: string;
  hasMore: boolean;
}

/** Downloads the feed as JSON pages and hands batches of 10,000 records to `write`; returns timings. */
async function feedBatches(
  url: string,
  token: string,
  write: (batch: Record<string, unknown>[]) => Promise<void>,
): Promise<{ seconds: number; writeSeconds: number; records: number }> {
  const start = performance.now();
  let cursor = '0';
  let batch: Record<string, unknown>[] = [];
  let writeMs = 0;
  let records = 0;
  const flush = async () => {
    const s = performance.now();
    await write(batch);
    writeMs += performance.now() - s;
    records += batch.length;
    batch = [];
  };
  for (;;) {
    const res = await fetch(`${url}/v1/sync/enterprises?cursor=${cursor}&limit=2000`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as FeedPage;
    for (const c of page.changes) if (c.enterprise) batch.push(c.enterprise);
    if (batch.length >= 10_000) await flush();
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  if (batch.length > 0) await flush();
  return { seconds: (performance.now() - start) / 1000, writeSeconds: writeMs / 1000, records };
}

async function baselineRaw(url: string, token: string) {
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open('baseline-raw', 1);
    req.onupgradeneeded = () => req.result.createObjectStore('records', { keyPath: 'uscc' });
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return feedBatches(
    url,
    token,
    (batch) =>
      new Promise<void>((resolve, reject) => {
        const tx = db.transaction('records', 'readwrite');
        const store = tx.objectStore('records');
        for (const r of batch) store.put(r);
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
      }),
  );
}

async function baselineDexie(url: string, token: string) {
  const db = new Dexie('baseline-dexie');
  db.version(1).stores({ enterprises: 'uscc, name, region, status' });
  await db.open();
  return feedBatches(url, token, async (batch) => {
    await db.table('enterprises').bulkPut(batch);
  });
}

/**
 * Waits until the search worker has written its index blobs (the app writes them a moment after
 * the index last changed; the bench quits the browser right after a sync, so it waits for them).
 * Returns how long the wait took.
 */
async function settle(): Promise<number> {
  const s = performance.now();
  await search.settle();
  return performance.now() - s;
}

/** How many credit files a query finds now (the bench checks a delta is searchable, not only stored). */
async function hits(query: string): Promise<number> {
  return (await search.search(query)).total;
}

const api = { login, unlock, sync, firstSearch, queries, hits, baselineRaw, baselineDexie, settle };
(globalThis as unknown as { bench: typeof api }).bench = api;
document.getElementById('status')!.textContent = 'ready';
