/**
 * Enterprise credit files in the cache database, packed (cache v2, see enterprises.rows.ts): one
 * page of the feed becomes one or a few chunk rows + their search rows + their directory rows,
 * written together with the quarantined records and the cursor in ONE transaction. The API stays
 * narrow (get, count, state, applyPage, restart; for the search index: directory, search rows by
 * chunk id, and `watch` for committed pages) so the UI, the pull engine and the search worker never
 * see the layout.
 *
 * This file holds the interface; the parts share one `RepoCore` (enterprises-open.repo.ts: the
 * directory and how it is opened) and are split by role: the write path (enterprises-write.repo.ts),
 * the read path (enterprises-read.repo.ts) and the key check and restart (enterprises-reset.repo.ts).
 */
import type { Enterprise, EnterpriseChange } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../../db/databases.js';
import type { QuarantineRow, SyncStateRow } from '../../db/rows.js';
import type { EntDirRow, EntLogRow, EntSearchRow } from './enterprises.rows.js';
export { LOG_KEEP } from './enterprises.rows.js';
import type { SummaryChange } from './enterprises.pack.js';
import { repoCore } from './enterprises-open.repo.js';
import { pageWriter } from './enterprises-write.repo.js';
import { enterpriseReads } from './enterprises-read.repo.js';
import { enterpriseResets } from './enterprises-reset.repo.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';

interface PageMeta {
  readonly quarantined: readonly QuarantineRow[];
  /**
   * The cursor this page was requested with. When given, the write refuses to commit unless it is
   * the stored cursor: pages queued behind a failed write never skip it.
   */
  readonly fromCursor?: string;
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly total: number;
  readonly at: string;
  /** The download writing this page is held back by its link, not by the import (MemberImport.linkBound). */
  readonly linkBound?: boolean;
}

/**
 * A chunk of a page sealed before the write transaction (in a feed worker): the chunk id was
 * reserved by the pull (it is in the AAD), the records are the page's upserts at `changeIdx`.
 */
export interface SealedPageChunk {
  readonly id: number;
  readonly keyId: string;
  /** Index into the page's changes of each record of the chunk, in chunk order. */
  readonly changeIdx: readonly number[];
  readonly chunk: Uint8Array;
  readonly search: Uint8Array;
  /** The directory row for ALL the chunk's records (used when none was superseded within the page). */
  readonly dir: Uint8Array;
}

/**
 * One page to write. Either whole records (re-serialized for storage), or the download's form:
 * summaries with each change's stored form alongside (its NDJSON line's bytes as received), and,
 * when prepared by a feed worker, its chunks already sealed (else the write seals them itself).
 */
export type EnterprisePage = PageMeta & { readonly sealed?: readonly SealedPageChunk[] } & (
    | { readonly changes: readonly EnterpriseChange[]; readonly raws?: undefined }
    | { readonly changes: readonly SummaryChange[]; readonly raws: readonly (Uint8Array | string | null)[] }
  );

/** The directory as of one stamp: which chunks hold which live records. */
export interface DirectorySnapshot {
  readonly stamp: number;
  /** The next chunk id to be used: ids only grow, unless the cache was wiped and filled again. */
  readonly nextChunk: number;
  readonly dir: readonly EntDirRow[];
}

/** What changed in the store since a stamp, from the change log (`changesSince`). */
export interface StoreChanges {
  readonly stamp: number;
  readonly nextChunk: number;
  /** One log entry per stamp after the one asked about, in order. */
  readonly entries: readonly EntLogRow[];
  /** The directory rows, as they stand now, of the chunks numbered from the given first one on. */
  readonly tail: readonly EntDirRow[];
}

/** The outcome of checking the station cache key against the cache; not ok = the cache was emptied. */
export type CacheKeyCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: { readonly kind: 'key-rotated' | 'wrong-key'; readonly message: string } };

export interface EnterprisesRepo {
  /**
   * Checks that the current station cache key opens this cache. A cache sealed under another keyId
   * (the station key was rotated) or that the key does not open is emptied and its cursor reset, so
   * the next pull downloads it again: never garbage, never a half-readable cache.
   */
  verifyKey(): Promise<CacheKeyCheck>;
  /** The next chunk id (the pull reserves ids from it for chunks sealed before their write). */
  nextChunkId(): Promise<number>;
  /**
   * Opens the stored directory now, so the first page write finds it open. A delta's first write
   * needs it whole (every record of the page is looked up in it); opening it is the costliest step
   * of a small delta, and the pull starts it while reference data and tasks are still fetched.
   */
  openDirectory(): Promise<void>;
  get(uscc: string): Promise<Enterprise | null>;
  count(): Promise<number>;
  state(): Promise<SyncStateRow>;
  /** Bumped by every write: readers compare it to know their in-memory copy is stale. */
  stamp(): Promise<number>;
  /** True once a full download finished: what follows are deltas. */
  complete(): Promise<boolean>;
  applyPage(page: EnterprisePage): Promise<number>;
  /**
   * 410 Gone: restart the stream from cursor 0 in a new generation. Existing records stay readable
   * until the new full download completes; then records of older generations are dropped.
   */
  restart(): Promise<void>;
  /** The directory alone (the search index reads search rows only for chunks it has not seen). */
  directory(): Promise<DirectorySnapshot>;
  /**
   * What changed since `stamp`: the log entries of every later stamp and the directory rows of the
   * chunks numbered `firstTail` and up; null when the log cannot say (entries gone, the cache
   * emptied, another key): the caller reads the whole directory instead.
   */
  changesSince(stamp: number, firstTail: number): Promise<StoreChanges | null>;
  /** Search rows of chunks with an id above `id` (chunks written since), in id order; at most `limit`. */
  searchRowsAfter(id: number, limit?: number): Promise<EntSearchRow[]>;
  /** Search rows of the given chunks (missing ones left out). */
  searchRows(ids: readonly number[]): Promise<EntSearchRow[]>;
  /**
   * Calls `listener` after a page that changed the store commits, from whichever thread wrote it (a
   * BroadcastChannel named after the database); returns the unsubscribe. A hint only: readers still
   * compare stamps.
   */
  watch(listener: (commit: PageCommit) => void): () => void;
}

/**
 * What a page's commit announces: `last` when it was the last page of its download; `held` (records
 * the store holds after it) and `total` (the records its download announced) when known, so a reader
 * can tell how far an initial download has come; `linkBound` when that download waits on its link
 * rather than on the import (the CPU has room for a reader's work ahead of the end).
 */
export interface PageCommit {
  readonly type: 'committed';
  readonly last: boolean;
  readonly held?: number;
  readonly total?: number;
  readonly linkBound?: boolean;
}

/**
 * `timings` receives where a page write spends its time (packMs, startMs, commitMs) for the
 * download benchmark's diagnostics, never for logic; left out, the figures are dropped.
 */
export function enterprisesRepo(db: CacheDb, options: { readonly timings?: TimingSink } = {}): EnterprisesRepo {
  const core = repoCore(db, options.timings ?? NO_TIMINGS);
  const reads = enterpriseReads(core);
  const resets = enterpriseResets(core);
  return {
    verifyKey: resets.verifyKey,
    async nextChunkId() {
      return (await core.currentMeta()).nextChunk;
    },
    openDirectory: core.openDirectoryEarly,
    get: reads.get,
    async count() {
      // A count is not content: it is kept in clear and shown before the key is at hand.
      return (await db.entMeta.get('summary'))?.count ?? 0;
    },
    state: core.currentState,
    async stamp() {
      return (await core.currentMeta()).stamp;
    },
    async complete() {
      return (await core.currentMeta()).complete ?? false;
    },
    applyPage: pageWriter(core),
    restart: resets.restart,
    directory: reads.directory,
    changesSince: reads.changesSince,
    searchRowsAfter: reads.searchRowsAfter,
    searchRows: reads.searchRows,
    watch: reads.watch,
  };
}
