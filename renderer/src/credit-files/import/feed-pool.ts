/**
 * The credit-file feed spread over feed workers: each page is downloaded, decoded, parsed and
 * validated in a worker of its own while the pull worker writes the pages before it. With the
 * pull's one-page look-ahead, two pages are prepared at once on two cores instead of one after the
 * other on the pull worker's thread (measured: test/bench, sync.initial.*). It implements the same
 * EnterpriseFeedFetcher, including the early header and the 401 → refresh → resend.
 * A worker that fails or sends something malformed is never trusted again: with a `fallback`
 * (the app passes the in-thread NDJSON attempt) its pages and all later ones are prepared on the
 * calling thread instead, so a sync never depends on nested workers working (Electron's app://
 * could not be run here); without one, its pages fail like a network error.
 */
import type { HttpError, TokenProvider } from '../../platform/http.js';
import {
  withRefresh,
  type EnterpriseFeedFetcher,
  type PageAttempt,
  type PageHeader,
  type PageResult,
} from '../download/enterprise-feed.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import type { SealContext } from './enterprise-seal.js';
import type { PreparedPage } from './enterprise-prepare.js';
import {
  FromFeedWorkerSchema,
  fromWire,
  type FeedTimings,
  type FromFeedWorker,
  type ToFeedWorker,
  type WirePage,
} from './feed-messages.js';

/** The part of a Worker the pool uses (so tests can stand one in). */
export interface FeedWorkerLike {
  postMessage(message: ToFeedWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

export interface FeedPoolOptions {
  readonly baseUrl: () => string;
  readonly tokens: TokenProvider;
  readonly size: number;
  readonly spawn: () => FeedWorkerLike;
  /** Where pages go once a worker has failed (see above). */
  readonly fallback?: PageAttempt;
  /**
   * Start every worker now instead of at its first page: a worker loads its code and compiles the
   * record validator (~0.1 s) while the pull opens its databases and fetches reference data.
   */
  readonly prestart?: boolean;
  /**
   * The first page goes to the fallback (the calling thread) while the workers load. A delta is
   * usually that one page: sent to a worker still loading its code and compiling the validator, its
   * request would leave ~0.1 s later than from the calling thread, which has both at hand.
   */
  readonly firstPageHere?: boolean;
  /** The station key and cache database: workers seal each page's chunks (the fallback must too). */
  readonly seal?: SealContext | null;
  /** Where snapshot pages go once a worker has failed (the calling thread). */
  readonly localLines?: LinesPreparer;
  /** Where the workers' phase times go (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
}

/** Prepares one snapshot member (gunzip when `gzip`, validate, seal) on some thread. */
export type LinesPreparer = (
  lines: Uint8Array,
  header: PageHeader,
  at: string,
  chunkBase: number,
  limit: number,
  gzip?: boolean,
) => Promise<PreparedPage>;

export interface FeedPool {
  readonly feed: EnterpriseFeedFetcher;
  /**
   * Snapshot pages prepared in the feed workers, in parallel with each other and with the pull's
   * writes; once a worker failed, on the calling thread (`localLines`).
   */
  readonly prepareLines: LinesPreparer;
  close(): void;
}

interface Pending {
  readonly resolve: (r: PageResult | 'unauthorized') => void;
  readonly onHeader: ((h: PageHeader) => void) | undefined;
  /** Runs the same request on the fallback. */
  readonly retry: (() => Promise<PageResult | 'unauthorized'>) | null;
}

interface Slot {
  worker: FeedWorkerLike | null;
  readonly pending: Map<number, Pending>;
  last: FeedTimings;
}

const ZERO: FeedTimings = { responseMs: 0, bodyMs: 0, parseMs: 0, validateMs: 0, sealMs: 0, bytes: 0 };

/** A worker reports its totals so far: the sink gets the increase since its last report. */
function addTimings(timings: TimingSink, slot: Slot, now: FeedTimings): void {
  timings.add('responseMs', now.responseMs - slot.last.responseMs);
  timings.add('bodyMs', now.bodyMs - slot.last.bodyMs);
  timings.add('parseMs', now.parseMs - slot.last.parseMs);
  timings.add('validateMs', now.validateMs - slot.last.validateMs);
  timings.add('sealMs', (now.sealMs ?? 0) - (slot.last.sealMs ?? 0));
  timings.add('bytes', now.bytes - slot.last.bytes);
  slot.last = now;
}

const broken = (message: string): PageResult => ({ ok: false, error: { kind: 'network', message } });

export function feedPool(o: FeedPoolOptions): FeedPool {
  const slots: Slot[] = Array.from({ length: Math.max(1, o.size) }, () => ({
    worker: null,
    pending: new Map(),
    last: ZERO,
  }));
  let nextId = 1;
  let workersFailed = false;
  let firstHere = o.firstPageHere === true;

  function fail(slot: Slot, message: string): void {
    slot.worker?.terminate();
    slot.worker = null;
    slot.last = ZERO;
    workersFailed = true;
    const waiting = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of waiting) {
      if (p.retry)
        void p
          .retry()
          .then(p.resolve, (e: unknown) =>
            p.resolve(broken(`${message}；${e instanceof Error ? e.message : String(e)}`)),
          );
      else p.resolve(broken(message));
    }
  }

  function onMessage(slot: Slot, data: unknown): void {
    const parsed = FromFeedWorkerSchema.safeParse(data);
    if (!parsed.success) {
      fail(slot, '解析线程返回了无法识别的消息');
      return;
    }
    const msg = parsed.data as FromFeedWorker;
    const p = slot.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'header') {
      p.onHeader?.(msg.header);
      return;
    }
    slot.pending.delete(msg.id);
    addTimings(o.timings ?? NO_TIMINGS, slot, msg.timings);
    if (msg.type === 'unauthorized') p.resolve('unauthorized');
    else if (msg.type === 'failed') p.resolve({ ok: false, error: msg.error });
    else {
      const page = fromWire(msg.page as WirePage);
      p.resolve(page ? { ok: true, page } : broken('解析线程返回的分页不完整'));
    }
  }

  function workerOf(slot: Slot): FeedWorkerLike {
    if (slot.worker) return slot.worker;
    const w = o.spawn();
    w.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (slot.worker === w) onMessage(slot, event.data);
    });
    w.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault?.();
      if (slot.worker === w) fail(slot, `解析线程出错：${event.message || '未知错误'}`);
    });
    slot.worker = w;
    return w;
  }

  /** The slot with the fewest pages in flight (the first on a tie). */
  function pick(): Slot {
    return slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best), slots[0]!);
  }

  const attempt: PageAttempt = (cursor, limit, signal, onHeader, at, chunkBase) =>
    new Promise((resolve) => {
      if (signal?.aborted) {
        resolve({ ok: false, error: { kind: 'aborted', message: '同步已取消' } });
        return;
      }
      const retry = o.fallback ? () => o.fallback!(cursor, limit, signal, onHeader, at, chunkBase) : null;
      const here = firstHere;
      firstHere = false;
      if ((workersFailed || here) && retry) {
        void retry().then(resolve, (e: unknown) => resolve(broken(e instanceof Error ? e.message : String(e))));
        return;
      }
      const slot = pick();
      const id = nextId++;
      let worker: FeedWorkerLike;
      try {
        worker = workerOf(slot);
      } catch (e) {
        workersFailed = true;
        if (retry)
          void retry().then(resolve, (err: unknown) =>
            resolve(broken(err instanceof Error ? err.message : String(err))),
          );
        else resolve(broken(`无法启动解析线程：${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      const onAbort = () => {
        if (!slot.pending.delete(id)) return;
        slot.worker?.postMessage({ type: 'cancel', id });
        resolve({ ok: false, error: { kind: 'aborted', message: '同步已取消' } satisfies HttpError });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.pending.set(id, {
        onHeader,
        retry,
        resolve: (r) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
      });
      worker.postMessage({
        type: 'fetch',
        id,
        baseUrl: o.baseUrl(),
        token: o.tokens.accessToken(),
        cursor,
        limit,
        at: at ?? new Date().toISOString(),
        seal:
          o.seal && chunkBase !== undefined
            ? { dbName: o.seal.dbName, keyId: o.seal.key.keyId, key: new Uint8Array(o.seal.key.key), chunkBase }
            : null,
      });
    });

  if (o.prestart) {
    try {
      for (const s of slots) workerOf(s);
    } catch {
      workersFailed = true; // no nested workers here: every page goes to the fallback
    }
  }

  const prepareLines: LinesPreparer = async (lines, header, at, chunkBase, limit, gzip = false) => {
    const local = o.localLines;
    if (workersFailed && local) return local(lines, header, at, chunkBase, limit, gzip);
    const result = await new Promise<PageResult | 'unauthorized'>((resolve) => {
      const slot = pick();
      const id = nextId++;
      let worker: FeedWorkerLike;
      try {
        worker = workerOf(slot);
      } catch (e) {
        workersFailed = true;
        resolve(broken(`无法启动解析线程：${e instanceof Error ? e.message : String(e)}`));
        return;
      }
      const retry = local
        ? async (): Promise<PageResult> => ({ ok: true, page: await local(lines, header, at, chunkBase, limit, gzip) })
        : null;
      slot.pending.set(id, { onHeader: undefined, retry, resolve });
      worker.postMessage({
        type: 'prepare',
        id,
        lines: lines as Uint8Array<ArrayBuffer>,
        gzip,
        header,
        limit,
        at,
        seal: o.seal
          ? { dbName: o.seal.dbName, keyId: o.seal.key.keyId, key: new Uint8Array(o.seal.key.key), chunkBase }
          : null,
      });
    });
    if (result !== 'unauthorized' && result.ok) return result.page;
    if (local && workersFailed) return local(lines, header, at, chunkBase, limit, gzip);
    throw new Error(result === 'unauthorized' ? '解析线程要求重新登录' : result.error.message);
  };

  return {
    feed: withRefresh(attempt, o.tokens),
    prepareLines,
    close: () => {
      for (const s of slots) {
        s.worker?.terminate();
        s.worker = null;
        const waiting = [...s.pending.values()];
        s.pending.clear();
        for (const p of waiting) p.resolve({ ok: false, error: { kind: 'aborted', message: '同步已取消' } });
      }
    },
  };
}
