/**
 * Thread: search worker (dedicated Web Worker, started from the window by search-client.ts).
 *
 * Web Worker entry of enterprise search: builds the bigram index off the main thread and answers
 * queries, so typing never freezes the UI; while following a sync it indexes each chunk as its page
 * commits (engine.ts). Opens its own Dexie connection to the cache database by name, and keeps the
 * index in the cache's index blobs between sessions.
 */
import { CacheDb, enterprisesRepo, searchBlobStore } from '../../db/index.js';
import { createSearchEngine, type SearchEngine } from './engine.js';
import { FromSearchWorkerSchema, ToSearchWorkerSchema, type FromSearchWorker } from './search-messages.js';

interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
}
const scope = globalThis as unknown as WorkerScope;
let engine: SearchEngine | null = null;
let cache: CacheDb | null = null;

function post(message: FromSearchWorker): void {
  scope.postMessage(FromSearchWorkerSchema.parse(message));
}

function fail(id: number, e: unknown): void {
  post({ type: 'failed', id, message: `企业检索出错：${e instanceof Error ? e.message : String(e)}` });
}

scope.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = ToSearchWorkerSchema.safeParse(event.data);
  if (!parsed.success) return;
  const msg = parsed.data;
  if (msg.type === 'init') {
    cache = new CacheDb(msg.cacheName);
    // Opened now, not at the first read, and the index blobs read as they are on disk (sealed, no
    // key): a worker started ahead of the unlock has both in hand by then, and only opens the parts.
    cache.open().catch(() => undefined);
    const blobs = searchBlobStore(cache);
    void blobs.readAhead();
    engine = createSearchEngine(enterprisesRepo(cache), {
      blobs,
      // Debug level: hidden in the console by default; benchmarks read it to break start-up down.
      trace: (step, ms) => console.debug(`[search-trace] ${step} ${ms.toFixed(1)} ms`),
    });
    engine.onIndex(() => post({ type: 'index' }));
    return;
  }
  if (msg.type === 'key') {
    cache?.setCacheKey(msg.cacheKey);
    return;
  }
  if (msg.type === 'follow') {
    engine?.follow();
    return;
  }
  if (!engine) return fail(msg.id, new Error('检索线程尚未初始化'));
  if (msg.type === 'warm' || msg.type === 'settle') {
    (msg.type === 'warm' ? engine.warm() : engine.settle()).then(
      () => post({ type: 'ready', id: msg.id }),
      (e: unknown) => fail(msg.id, e),
    );
    return;
  }
  engine.search(msg.query, msg.filters, msg.limit).then(
    (answer) => post({ type: 'answer', id: msg.id, answer }),
    (e: unknown) => fail(msg.id, e),
  );
});
