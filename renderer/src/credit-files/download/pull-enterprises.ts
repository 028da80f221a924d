/**
 * The enterprise part of the pull: the compacted credit-file feed, page by page, as a pipeline: the
 * next page downloads (and is validated line by line as it streams, enterprise-prepare.ts) while
 * the previous ones are written (each page with its cursor in one transaction, in order).
 * One bad record is quarantined with its reason; 410 restarts the stream from 0 in a new generation.
 */
import type { EnterprisesRepo } from '../../db/index.js';
import type { HttpError } from '../../platform/http.js';
import type { EnterpriseFeedFetcher, PageHeader, PageResult } from './enterprise-feed.js';
import type { PullProgressPort } from '../pull-progress.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import { chunksPerPage } from '../import/enterprise-seal.js';
import { pullSnapshot, readSnapshotStart, startSnapshot, wantsSnapshot, type SnapshotDeps } from './pull-snapshot.js';

const MAX_RESTARTS = 2;
/** The feed answered 410 and the snapshot is there: the stream starts again from the snapshot. */
interface RestartFromSnapshot {
  readonly gone: HttpError;
}

export interface EnterprisePullDeps {
  readonly repo: EnterprisesRepo;
  readonly feed: EnterpriseFeedFetcher;
  readonly pageSize: number;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** The platform's snapshot for an initial download (absent: the paged feed does it all). */
  readonly snapshot?: SnapshotDeps;
  /** Where the time of each phase goes (the bench's figures, also handed to the snapshot); dropped by default. */
  readonly timings?: TimingSink;
}

/** One page request; `follow` arranges for the request after it to start once its header is known. */
interface PageRequest {
  readonly cursor: string;
  /** The first chunk id its page may take. */
  readonly base: number;
  readonly result: Promise<PageResult>;
  readonly hooks: { header: PageHeader | null; onHeader: ((header: PageHeader) => void) | null };
}

/**
 * The enterprise pull, started early: the first page is requested at once (the pull runs it while
 * reference data and tasks are fetched, so the server builds it and a feed worker prepares it in
 * the meantime), and `run` takes over from there. Only that one page is asked for before `run`:
 * on a weak link the small task pages must not queue behind credit files. `cancel` drops it when
 * an earlier phase fails.
 */
export function enterprisePull(d: EnterprisePullDeps): {
  run(tracker: PullProgressPort): Promise<HttpError | null>;
  cancel(): void;
} {
  const controller = new AbortController();
  /** The delta page after the snapshot, asked for as the snapshot's import starts (see onImport). */
  let deltaAhead: PageRequest | null = null;
  const deps: EnterprisePullDeps & { onImport: (cursor: string, chunkEnd: number) => void } = {
    ...d,
    signal: d.signal ? AbortSignal.any([d.signal, controller.signal]) : controller.signal,
    // Its chunk ids come after every id the import can take, so ids still grow in write order; it
    // is used only if the import ends at its cursor (else it is dropped: a gap in ids, no harm).
    onImport: (cursor, chunkEnd) => {
      pages.reserveFrom(chunkEnd);
      deltaAhead = pages.request(cursor);
    },
  };
  const pages = pageRequests(deps);
  const snapshot = d.snapshot && d.timings && !d.snapshot.timings ? { ...d.snapshot, timings: d.timings } : d.snapshot;
  /** The snapshot pull, started at once (see startSnapshot) when this is an initial download. */
  let early: ReturnType<typeof startSnapshot> | null = null;
  const h0 = performance.now();
  // A cache the station key does not open is emptied first (its cursor back to 0): re-downloaded,
  // never read as garbage. Chunk ids for pages sealed before their write are reserved from here on.
  // An initial download through a snapshot asks for no page up front: the snapshot covers them,
  // and it starts now. A pull that failed or was cancelled before this resolves asks for nothing.
  // A delta's first write looks every record of its page up in the directory: it is opened now,
  // while reference data and tasks are fetched, instead of after the page arrives.
  // The cursor and the stored snapshot are read alongside the key check, not after it: the snapshot's
  // request waits for one round of reads instead of three. When the check emptied the cache, what was
  // read may predate the wipe, so it is dropped and read again (the cursor is then 0: a snapshot).
  const head = Promise.all([d.repo.verifyKey(), snapshot ? readSnapshotStart(d.repo, snapshot.store) : null])
    .then(async ([check, seen]) => {
      if (controller.signal.aborted) return null;
      d.repo.openDirectory().catch(() => undefined); // the write opens it itself if this failed
      if (!snapshot) return firstPage(d, pages);
      const start = check.ok && seen ? seen : await readSnapshotStart(d.repo, snapshot.store);
      if (!(await wantsSnapshot(d.repo, start))) return firstPage(d, pages);
      if (!controller.signal.aborted) early = startSnapshot(deps, snapshot, start);
      return null;
    })
    .finally(() => (d.timings ?? NO_TIMINGS).add('headMs', performance.now() - h0));
  head.catch(() => undefined); // awaited by run(); never unhandled when an earlier phase fails
  return {
    async run(tracker) {
      const started = performance.now();
      try {
        let first = await head;
        for (let restarts = 0; ; restarts += 1) {
          let continuing = false;
          if (first === null && snapshot) {
            const started = early;
            early = null;
            const outcome = started ? await started.attach(tracker) : await pullSnapshot(deps, snapshot, tracker);
            if (typeof outcome === 'object') return outcome.error;
            continuing = outcome === 'imported';
            const ahead: PageRequest | null = deltaAhead;
            deltaAhead = null;
            first = await firstPage(deps, pages, continuing ? ahead : null);
          }
          const out = await pullLoop(deps, tracker, pages, first ?? (await firstPage(deps, pages)), continuing);
          if (out === null || !('gone' in out)) return out;
          // A 410 restart downloads everything again: through the snapshot (one static file, resumable
          // by byte) rather than the pages; the new generation replaces the old one when it completes.
          if (restarts >= MAX_RESTARTS) return out.gone;
          first = null;
        }
      } finally {
        (d.timings ?? NO_TIMINGS).add('totalMs', performance.now() - started);
      }
    },
    cancel: () => controller.abort(),
  };
}

/** The first page request from the stored cursor: `ahead` when it was made for that cursor already. */
async function firstPage(
  d: EnterprisePullDeps,
  pages: Pages,
  ahead: PageRequest | null = null,
): Promise<{ state: SyncState; first: PageRequest }> {
  const [state, nextChunk] = await Promise.all([d.repo.state(), d.repo.nextChunkId()]);
  pages.reserveFrom(nextChunk);
  // Taken only when its chunk ids lie past every stored chunk (they must grow in write order).
  if (ahead && ahead.cursor === state.cursor && ahead.base >= nextChunk) return { state, first: ahead };
  return { state, first: pages.request(state.cursor) };
}

export async function pullEnterprises(d: EnterprisePullDeps, tracker: PullProgressPort): Promise<HttpError | null> {
  return enterprisePull(d).run(tracker);
}

/**
 * Page requests with one look-ahead: when the header of the page the loop waits for arrives (NDJSON:
 * its first line, while its records still stream), the next page is requested at once, so the
 * server builds page N+1 while page N is still downloading, parsed, validated and written.
 */
function pageRequests(d: EnterprisePullDeps) {
  let next: PageRequest | null = null;
  // Chunk ids only grow in write order: pages are requested in cursor order and written in it, so
  // each request takes the next block (a dropped look-ahead only leaves a gap).
  let chunkBase = 1;
  const request = (cursor: string): PageRequest => {
    const hooks: PageRequest['hooks'] = { header: null, onHeader: null };
    const base = chunkBase;
    chunkBase += chunksPerPage(d.pageSize);
    const result = d.feed(
      cursor,
      d.pageSize,
      d.signal,
      (h) => {
        hooks.header = h;
        hooks.onHeader?.(h);
      },
      d.now().toISOString(),
      base,
    );
    result.catch(() => undefined); // awaited later; never an unhandled rejection when a write fails first
    return { cursor, base, result, hooks };
  };
  const follow = (req: PageRequest): PageRequest => {
    const go = (h: PageHeader) => {
      if (h.hasMore && !next && !d.signal?.aborted) next = request(h.nextCursor);
    };
    if (req.hooks.header) go(req.hooks.header);
    else req.hooks.onHeader = go;
    return req;
  };
  return {
    reserveFrom: (id: number) => {
      chunkBase = Math.max(chunkBase, id);
    },
    /** A request with no look-ahead yet (`follow` adds it). */
    request,
    follow,
    first: (cursor: string) => {
      next = null;
      return follow(request(cursor));
    },
    /** The request for `cursor`: the look-ahead one when it matches, else a new one. */
    after: (cursor: string) => {
      const ahead = next && next.cursor === cursor ? next : null;
      next = null;
      return follow(ahead ?? request(cursor));
    },
  };
}

type Pages = ReturnType<typeof pageRequests>;
type SyncState = Awaited<ReturnType<EnterprisesRepo['state']>>;

async function pullLoop(
  d: EnterprisePullDeps,
  tracker: PullProgressPort,
  pages: Pages,
  head: { state: SyncState; first: PageRequest },
  continuing = false,
): Promise<HttpError | null | RestartFromSnapshot> {
  let restarts = 0;
  const timings = d.timings ?? NO_TIMINGS;
  const { state } = head;
  const have = state.cursor === '0' ? 0 : await d.repo.count();
  // A resumed initial download continues its count; a delta counts its own changes from 0. The
  // delta right after a snapshot import adds to the import's count instead of starting over.
  let delta = state.cursor !== '0' && !state.restarting && (await d.repo.complete());
  if (!continuing) tracker.start('enterprises', delta ? 0 : state.total, delta ? 0 : have);
  let done = 0;
  let pending = pages.follow(head.first);
  // Up to two page writes are queued while the next page is validated, so IndexedDB goes from one
  // page's commit straight to the next. Order is safe: each page names the cursor it was requested
  // with, and its transaction refuses to commit unless that is the stored cursor (so if a write
  // fails, the one queued behind it fails too and the stored cursor never skips a page).
  const writes: Promise<void>[] = [];
  const settle = async (keep = 0) => {
    while (writes.length > keep) await writes.shift();
  };
  for (;;) {
    if (d.signal?.aborted) {
      await settle();
      return { kind: 'aborted', message: '同步已取消' };
    }
    const w0 = performance.now();
    let res: PageResult;
    try {
      res = await pending.result;
    } catch (e) {
      // A fetcher that throws (a bug, a killed transport) ends the pull, but only once the pages
      // already handed to IndexedDB have settled: the caller then sees the stored cursor as it stays.
      await Promise.allSettled(writes);
      throw e;
    }
    timings.add('waitMs', performance.now() - w0);
    if (!res.ok) {
      await settle();
      if (res.error.kind === 'http' && res.error.status === 410 && d.snapshot) {
        await d.repo.restart();
        return { gone: res.error };
      }
      if (res.error.kind === 'http' && res.error.status === 410 && restarts < MAX_RESTARTS) {
        restarts += 1;
        await d.repo.restart();
        tracker.start('enterprises');
        done = 0;
        delta = false;
        pending = pages.first('0');
        continue;
      }
      return res.error;
    }
    const page = res.page;
    const fromCursor = pending.cursor;
    if (page.hasMore) pending = pages.after(page.nextCursor);
    const at = d.now().toISOString();
    await settle(1);
    const isDelta = delta;
    const lines = page.lineCount;
    const good = lines - page.bad.length;
    const write = async () => {
      const t0 = performance.now();
      await d.repo.applyPage({
        changes: page.changes,
        raws: page.raws,
        ...(page.sealed ? { sealed: page.sealed } : {}),
        quarantined: page.bad,
        fromCursor,
        nextCursor: page.nextCursor,
        hasMore: page.hasMore,
        total: page.total,
        at,
      });
      timings.add('writeMs', performance.now() - t0);
      timings.add('pages', 1);
      timings.add('records', lines);
      done += good;
      tracker.advance(good, isDelta ? done + (page.hasMore ? d.pageSize : 0) : page.total, page.bad.length);
    };
    const writing = write();
    writing.catch(() => undefined); // awaited by settle(); never an unhandled rejection meanwhile
    writes.push(writing);
    if (!page.hasMore) {
      await settle();
      return null;
    }
  }
}
