/**
 * Enterprise search for the app: in a Web Worker when the runtime has one, in-process otherwise
 * (Node tests). The worker is started lazily on the first query or warm-up and kept, unless one was
 * started ahead (warmSearchWorker: at launch and after each lock, while the inspector signs in).
 */
import { enterprisesRepo, searchBlobStore, type CacheDb } from '../../db/index.js';
import { createSearchEngine, type SearchEngine } from './engine.js';
import { FromSearchWorkerSchema, type ToSearchWorker } from './search-messages.js';
import type { SearchAnswer, SearchFilters } from './types.js';

export interface SearchClientOptions {
  readonly cache: CacheDb;
  readonly useWorker: boolean;
}

export function createSearchClient(o: SearchClientOptions): SearchEngine {
  return o.useWorker && typeof Worker !== 'undefined'
    ? workerClient(o.cache)
    : createSearchEngine(enterprisesRepo(o.cache), { blobs: searchBlobStore(o.cache) });
}

function spawnSearchWorker(cacheName: string): Worker {
  const w = new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module' });
  w.postMessage({ type: 'init', cacheName } satisfies ToSearchWorker);
  return w;
}

/** A search worker started before its client, for one cache: it holds no key until a client sends one. */
let spare: { readonly cacheName: string; readonly worker: Worker } | null = null;

/**
 * Starts the search worker of `cacheName` now (its code loaded, the cache opened, no key), unless
 * one waits already: the first search after the unlock then waits only for the index itself.
 */
export function warmSearchWorker(cacheName: string): void {
  if (typeof Worker === 'undefined') return;
  if (spare?.cacheName === cacheName) return;
  spare?.worker.terminate();
  spare = { cacheName, worker: spawnSearchWorker(cacheName) };
}

/** The waiting worker of this cache, or a new one. */
function takeSearchWorker(cacheName: string): Worker {
  const waiting = spare?.cacheName === cacheName ? spare.worker : null;
  if (waiting) spare = null;
  return waiting ?? spawnSearchWorker(cacheName);
}

function workerClient(cache: CacheDb): SearchEngine {
  let worker: Worker | null = null;
  /** The key the worker holds: the window's cache object is the one the vault hands the key to. */
  let sentKey: CacheDb['cacheKey'] | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (a: SearchAnswer | null) => void; reject: (e: Error) => void }>();
  const indexListeners = new Set<() => void>();

  function start(): Worker {
    if (worker) return worker;
    const w = takeSearchWorker(cache.name);
    w.addEventListener('message', (event: MessageEvent<unknown>) => {
      const parsed = FromSearchWorkerSchema.safeParse(event.data);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (msg.type === 'index') {
        for (const listener of indexListeners) listener();
        return;
      }
      const pending = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.type === 'answer') pending?.resolve(msg.answer);
      else if (msg.type === 'ready') pending?.resolve(null);
      else pending?.reject(new Error(msg.message));
    });
    worker = w;
    return w;
  }
  function withKey(): Worker {
    const w = start();
    if (sentKey !== cache.cacheKey) {
      sentKey = cache.cacheKey;
      const k = sentKey ? { keyId: sentKey.keyId, key: new Uint8Array(sentKey.key) } : null;
      w.postMessage({ type: 'key', cacheKey: k } satisfies ToSearchWorker);
    }
    return w;
  }

  function ask(message: (id: number) => ToSearchWorker): Promise<SearchAnswer | null> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      withKey().postMessage(message(id));
    });
  }

  return {
    async search(query: string, filters: SearchFilters = {}, limit = 50) {
      const answer = await ask((id) => ({
        type: 'search',
        id,
        query: query.slice(0, 200),
        filters: { ...filters },
        limit,
      }));
      return answer ?? { hits: [], total: 0, indexed: 0, tookMs: 0 };
    },
    async warm() {
      await ask((id) => ({ type: 'warm', id }));
    },
    async settle() {
      if (worker) await ask((id) => ({ type: 'settle', id }));
    },
    follow() {
      withKey().postMessage({ type: 'follow' } satisfies ToSearchWorker);
    },
    onIndex(listener) {
      indexListeners.add(listener);
      return () => void indexListeners.delete(listener);
    },
    close() {
      worker?.terminate();
      worker = null;
      sentKey = undefined;
      for (const pending of waiting.values()) pending.reject(new Error('检索已关闭（已锁定）'));
      waiting.clear();
    },
  };
}
