/**
 * Thread: pull worker (dedicated Web Worker, started from the window by pull-runner.ts).
 *
 * Web Worker entry of the pull: bulk downloads never freeze the UI. It opens its own Dexie
 * connections and runs the same pull engine the tests call directly. Tokens stay with the app: on
 * a 401 the worker asks for a refreshed access token.
 */
import { KeySlot } from '../vault/key-slot.js';
import {
  CacheDb,
  FieldDb,
  openPartition,
  type Databases,
  enterprisesRepo,
  referenceRepo,
  syncStateRepo,
  tasksRepo,
  quarantineRepo,
  snapshotRepo,
  type EnterprisesRepo,
} from '../db/index.js';
import { collectingSink, publishTimings, type TimingSink } from '../credit-files/timing-sink.js';
import { createHttpClient, type RefreshOutcome } from '../platform/http.js';
import { isTransient, pullAll } from './pull-engine.js';
import { ENTERPRISE_PAGE_SIZE, ndjsonFeed, ndjsonPageAttempt } from '../credit-files/download/enterprise-feed.js';
import { FromWorkerSchema, ToWorkerSchema, type FromWorker } from './pull-messages.js';
import { feedPool, type FeedPool, type FeedWorkerLike } from '../credit-files/import/feed-pool.js';
import { prepareMember } from '../credit-files/import/snapshot-import.js';
import { pumpFetch, type PumpLike } from '../credit-files/download/byte-pump.js';

/**
 * Feed workers preparing pages in parallel. The pull asks for at most two pages at once (the one it
 * waits for and the one ahead), so two workers keep both busy; without nested workers, or once one
 * has failed, pages are prepared on this thread.
 */
const FEED_WORKERS = 2;
function spawnBytePump(): PumpLike {
  return new Worker(new URL('../credit-files/download/byte-pump.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as PumpLike;
}

function spawnFeedWorker(): FeedWorkerLike {
  return new Worker(new URL('../credit-files/import/feed.worker.ts', import.meta.url), {
    type: 'module',
  }) as unknown as FeedWorkerLike;
}

/**
 * The byte pump and the feed workers, started as soon as this worker is (a warm pull worker waits
 * for its sync with them ready) and again after each sync for the next one; a sync takes these
 * instead of starting its own.
 */
const ready: { pump: PumpLike | null; feeds: FeedWorkerLike[] } = { pump: null, feeds: [] };
/** Started threads that failed while they waited (a sync must not be handed one: it would never answer). */
const failed = new WeakSet<object>();
function watched<T extends PumpLike | FeedWorkerLike>(worker: T): T {
  worker.addEventListener('error', () => failed.add(worker));
  return worker;
}
function warmThreads(): void {
  if (typeof Worker === 'undefined') return;
  try {
    ready.pump ??= watched(spawnBytePump());
    while (ready.feeds.length < FEED_WORKERS) ready.feeds.push(watched(spawnFeedWorker()));
  } catch {
    // No nested workers here: the sync starts (or does without) its own.
  }
}
/** A waiting thread unless it failed meanwhile, else a new one. */
function take<T extends PumpLike | FeedWorkerLike>(waiting: T | undefined, spawn: () => T): T {
  if (waiting && !failed.has(waiting)) return waiting;
  waiting?.terminate();
  return spawn();
}
const takePump = (): PumpLike => {
  const pump = take(ready.pump ?? undefined, spawnBytePump);
  ready.pump = null;
  return pump;
};
const takeFeedWorker = (): FeedWorkerLike => take(ready.feeds.shift(), spawnFeedWorker);
warmThreads();

/**
 * The credit-file cache, opened before the first sync (the app's 'open' at unlock) and kept open
 * between syncs, so a sync's first reads do not wait for the open. Between syncs it holds no key:
 * each sync hands its key over and takes it back.
 */
let kept: CacheDb | null = null;
function keptCache(name: string): CacheDb {
  if (kept?.name !== name) {
    kept?.close();
    kept = new CacheDb(name);
    kept.open().catch(() => undefined); // the first read reports it (and opens again)
  }
  return kept;
}
/** A sync that failed may have left the connection broken: the next one opens its own. */
function dropKeptCache(): void {
  kept?.close();
  kept = null;
  keptRepo = null;
}

/**
 * The credit-file repo of the kept cache, kept with it: the directory it opened (and checks against
 * the stored stamp before every use) serves the next sync, so a delta does not decrypt the whole
 * directory again. It holds what the syncs of this unlock already had in hand; the worker is ended
 * at a lock. Each sync hands it its own timing sink.
 */
let keptRepo: {
  readonly cache: CacheDb;
  readonly repo: EnterprisesRepo;
  readonly slot: { sink: TimingSink | null };
} | null = null;
function repoOf(cache: CacheDb, sink: TimingSink | null): EnterprisesRepo {
  if (keptRepo?.cache !== cache) {
    const slot: { sink: TimingSink | null } = { sink: null };
    const timings: TimingSink = { add: (phase, amount) => slot.sink?.add(phase, amount) };
    keptRepo = { cache, slot, repo: enterprisesRepo(cache, { timings }) };
  }
  keptRepo.slot.sink = sink;
  return keptRepo.repo;
}

/** The worker global, typed structurally (renderer/ compiles with the DOM lib, not WebWorker). */
interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
let controller: AbortController | null = null;
let accessToken: string | null = null;
let tokenWaiter: ((token: string | null, outcome: RefreshOutcome) => void) | null = null;

function post(message: FromWorker): void {
  scope.postMessage(FromWorkerSchema.parse(message));
}

async function run(start: {
  baseUrl: string;
  accessToken: string | null;
  dbPrefix: string;
  fieldName: string;
  dataKey: Uint8Array | null;
  pageSize: number;
  cacheName: string;
  cacheKey: { keyId: string; key: Uint8Array } | null;
  diagnostics?: boolean | undefined;
}): Promise<void> {
  accessToken = start.accessToken;
  controller = new AbortController();
  // The window's partition, sealed with the same middleware under the key it sent (kept in memory only).
  const slot = new KeySlot();
  if (start.dataKey) slot.unlock(start.dataKey);
  start.dataKey?.fill(0);
  // Opening the cache is the longest wait before the snapshot's first request (the reads that decide
  // on it wait for the open): it was opened at unlock, or starts now, before the rest of the set-up.
  const cache = keptCache(start.cacheName);
  cache.setCacheKey(start.cacheKey);
  const dbs: Databases = {
    field: start.dataKey ? openPartition(start.fieldName, slot) : new FieldDb(start.fieldName),
    cache,
  };
  const seal = start.cacheKey ? { dbName: cache.name, key: start.cacheKey } : null;
  // Single-flight: the tasks request and the credit-file pages in flight may all meet the same 401;
  // they share one refresh (one waiter for the app's one answer), never overwrite each other's.
  let refreshing: Promise<RefreshOutcome> | null = null;
  const tokens = {
    accessToken: () => accessToken,
    refresh: () =>
      (refreshing ??= new Promise<RefreshOutcome>((resolve) => {
        tokenWaiter = (t, outcome) => {
          accessToken = t;
          resolve(outcome);
        };
        post({ type: 'refresh' });
      }).finally(() => {
        refreshing = null;
      })),
  };
  const http = createHttpClient({ baseUrl: () => start.baseUrl, tokens });
  // The pipeline's phase times, only when the starter asked for them (the bench).
  const sink = start.diagnostics ? collectingSink() : null;
  // Credit files as NDJSON pages (gzip on the wire): each line validated and stored as received.
  const pool: FeedPool | null =
    typeof Worker === 'undefined'
      ? null
      : feedPool({
          baseUrl: () => start.baseUrl,
          tokens,
          size: FEED_WORKERS,
          spawn: takeFeedWorker,
          fallback: ndjsonPageAttempt({
            baseUrl: () => start.baseUrl,
            tokens,
            seal,
            ...(sink ? { timings: sink } : {}),
          }),
          prestart: true,
          firstPageHere: true,
          seal,
          ...(sink ? { timings: sink } : {}),
          localLines: (bytes, header, at, chunkBase, limit, gzip) =>
            prepareMember(bytes, header, at, seal, chunkBase, limit, gzip, sink ?? undefined),
        });
  // The snapshot's bytes are read on a thread of their own (byte-pump.ts), started now so that it is
  // up by the first snapshot request; the plain fetch without workers or without the station key.
  const pump = typeof Worker === 'undefined' || !start.cacheKey ? null : pumpFetch(takePump, true);
  const enterpriseFeed =
    pool?.feed ?? ndjsonFeed({ baseUrl: () => start.baseUrl, tokens, seal, ...(sink ? { timings: sink } : {}) });
  let done: FromWorker;
  try {
    const outcome = await pullAll(
      {
        http,
        tasks: tasksRepo(dbs.field),
        taskState: syncStateRepo(dbs.field.syncState),
        enterprises: repoOf(cache, sink),
        ...(sink ? { timings: sink } : {}),
        reference: referenceRepo(dbs.cache),
        pageSize: start.pageSize,
        signal: controller.signal,
        enterpriseFeed,
        enterprisePageSize: ENTERPRISE_PAGE_SIZE,
        // The initial download from the platform's snapshot (one static file, Range-resumable);
        // without the station key nothing can be sealed or stored, so the paged feed is used.
        ...(start.cacheKey
          ? {
              snapshot: {
                http,
                fetch: { baseUrl: () => start.baseUrl, tokens, ...(pump ? { fetch: pump.fetch } : {}) },
                store: snapshotRepo(dbs.cache),
                seal,
                ...(pool ? { prepare: pool.prepareLines } : {}),
                joinPrepared: true,
              },
            }
          : {}),
        onProgress: (progress) => post({ type: 'progress', progress }),
      },
      (rows) => quarantineRepo(dbs.cache).put(rows),
    );
    done = outcome.ok
      ? { type: 'done', ok: true, message: '同步完成', sessionExpired: false, transient: false }
      : {
          type: 'done',
          ok: false,
          message: outcome.error.message,
          sessionExpired: outcome.error.kind === 'session-expired',
          transient: isTransient(outcome.error),
        };
  } catch (e) {
    done = {
      type: 'done',
      ok: false,
      message: `同步出错：${e instanceof Error ? e.message : String(e)}`,
      sessionExpired: false,
      transient: false,
    };
  }
  // 'done' only after the feed workers and the connections are closed (the app terminates this worker
  // on it), and whatever the closing does: the app must always hear the outcome.
  try {
    pool?.close();
    pump?.close();
    dbs.field.close();
    // The cache stays open for the next sync, without the key; after a failure it is closed.
    cache.setCacheKey(null);
    if (!(done.type === 'done' && done.ok)) dropKeptCache();
  } finally {
    if (sink) publishTimings(sink.totals);
    slot.lock();
    // This thread waits for the next sync: the station key's copy is not left in its memory.
    start.cacheKey?.key.fill(0);
    post(done);
    warmThreads();
  }
}

scope.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ToWorkerSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'start') void run(msg);
  else if (msg.type === 'open') keptCache(msg.cacheName);
  else if (msg.type === 'token') {
    tokenWaiter?.(msg.accessToken, msg.outcome);
    tokenWaiter = null;
  } else controller?.abort();
});
