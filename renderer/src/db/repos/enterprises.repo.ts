/**
 * Enterprise credit files in the cache database, packed (cache v2, see enterprises.rows.ts): one
 * page of the feed becomes one or a few chunk rows + their search rows + their directory rows,
 * written together with the quarantined records and the cursor in ONE transaction. The API stays
 * narrow (get, count, state, applyPage, restart; for the search index: directory, search rows by
 * chunk id, and `watch` for committed pages) so the UI, the pull engine and the search worker never
 * see the layout.
 */
import type { Enterprise, EnterpriseChange } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../databases.js';
import type { QuarantineRow, SyncStateRow } from '../rows.js';
import { initialSyncState } from './sync-state.repo.js';
import {
  EMPTY_ENT_META,
  chunkRecords,
  type EntDirRow,
  type EntMetaRow,
  type EntSearchRow,
} from './enterprises.rows.js';
import { CHUNK_SIZE, decodeRecord, packChunk, type PackedRecord, type SummaryChange } from './enterprises.pack.js';
import { Directory, applyRemovals, dropOldGenerations } from './enterprises.dir.js';

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
}

/**
 * One page to write. Either whole records (re-serialized for storage), or the download's form:
 * summaries with each change's stored form alongside (its NDJSON line's bytes as received).
 */
export type EnterprisePage = PageMeta &
  (
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

/**
 * Where a page write spends its time, for the download benchmark's diagnostics (never for logic).
 * The pull passes its thread's accumulator; other callers leave it out.
 */
export interface WriteTimings {
  /** Packing the page into chunk/search/dir rows. */
  packMs: number;
  /** The transaction's first reads (waiting for the previous page's commit). */
  startMs: number;
  /** From the page's puts being issued to their success. */
  commitMs: number;
}

export interface EnterprisesRepo {
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
  /** Search rows of chunks with an id above `id` (chunks written since), in id order. */
  searchRowsAfter(id: number): Promise<EntSearchRow[]>;
  /** Search rows of the given chunks (missing ones left out). */
  searchRows(ids: readonly number[]): Promise<EntSearchRow[]>;
  /**
   * Calls `listener` after a page commits, from whichever thread wrote it (a BroadcastChannel
   * named after the database); returns the unsubscribe. A hint only: readers still compare stamps.
   */
  watch(listener: () => void): () => void;
}

/** Tells every reader of this cache database, in any thread of the origin, that a page committed. */
function announce(channel: string): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const ch = new BroadcastChannel(channel);
  ch.postMessage('committed');
  ch.close();
}

const RECENT_CHUNKS = 4;

export function enterprisesRepo(db: CacheDb, options: { readonly timings?: WriteTimings } = {}): EnterprisesRepo {
  const timings: WriteTimings = options.timings ?? { packMs: 0, startMs: 0, commitMs: 0 };
  const dir = new Directory();
  const channel = `${db.name}:enterprises-committed`;
  /** Decoded chunk cache for get(): key `${stamp}:${chunkId}`. */
  const recent = new Map<string, Map<string, string>>();

  async function currentState(): Promise<SyncStateRow> {
    return (await db.syncState.get('enterprises')) ?? initialSyncState('enterprises');
  }
  async function currentMeta(): Promise<EntMetaRow> {
    return (await db.entMeta.get('summary')) ?? EMPTY_ENT_META;
  }
  async function freshDir(meta: EntMetaRow): Promise<void> {
    if (dir.stamp !== meta.stamp || !dir.loaded) dir.load(meta.stamp, await db.entDir.toArray());
  }

  async function chunkTexts(stamp: number, id: number): Promise<Map<string, string> | null> {
    const key = `${stamp}:${id}`;
    const hit = recent.get(key);
    if (hit) return hit;
    const row = await db.entChunks.get(id);
    if (!row) return null;
    const map = new Map<string, string>();
    const texts = chunkRecords(row);
    row.usccs.forEach((u, i) => map.set(u, texts[i]!));
    recent.set(key, map);
    if (recent.size > RECENT_CHUNKS) recent.delete(recent.keys().next().value!);
    return map;
  }

  function collect(
    page: EnterprisePage,
    generation: number,
  ): { fresh: Map<string, PackedRecord>; removals: Map<number, Set<string>> } {
    const fresh = new Map<string, PackedRecord>();
    const removals = new Map<number, Set<string>>();
    const remove = (uscc: string) => {
      const at = dir.loc.get(uscc);
      if (!at) return;
      const set = removals.get(at.chunk) ?? new Set<string>();
      set.add(uscc);
      removals.set(at.chunk, set);
    };
    const changes: readonly SummaryChange[] = page.changes;
    changes.forEach((change, i) => {
      if (change.kind === 'tombstone') {
        remove(change.uscc);
        fresh.delete(change.uscc);
        return;
      }
      const e = change.enterprise;
      const at = dir.loc.get(e.uscc);
      const pending = fresh.get(e.uscc);
      const localVersion =
        pending?.enterprise.version ?? (at && dir.generationOf(at.chunk) === generation ? at.version : -1);
      if (localVersion > e.version) return;
      remove(e.uscc);
      // A summary page carries every upsert's stored form; a page of whole records is re-serialized.
      const raw = page.raws ? page.raws[i] : JSON.stringify(change);
      if (raw === null || raw === undefined) throw new Error(`企业档案 ${e.uscc} 缺少原始记录，无法保存`);
      fresh.set(e.uscc, { enterprise: e, raw });
    });
    return { fresh, removals };
  }

  /**
   * Packs the fresh records into chunk rows and issues every put of the page at once: no await
   * between requests, so the transaction needs no round trip through this thread (which may be
   * busy validating the next page) until it commits.
   */
  function packFresh(
    fresh: readonly PackedRecord[],
    generation: number,
    first: number,
  ): { rows: ReturnType<typeof packChunk>[]; next: number } {
    const p0 = performance.now();
    const rows: ReturnType<typeof packChunk>[] = [];
    let next = first;
    for (let start = 0; start < fresh.length; start += CHUNK_SIZE)
      rows.push(packChunk(next++, generation, fresh.slice(start, start + CHUNK_SIZE)));
    timings.packMs += performance.now() - p0;
    return { rows, next };
  }

  return {
    async get(uscc) {
      const meta = await currentMeta();
      await freshDir(meta);
      const at = dir.loc.get(uscc);
      if (!at) return null;
      const text = (await chunkTexts(meta.stamp, at.chunk))?.get(uscc);
      return text === undefined ? null : decodeRecord(text);
    },
    async count() {
      return (await currentMeta()).count;
    },
    state: currentState,
    async stamp() {
      return (await currentMeta()).stamp;
    },
    async complete() {
      return (await currentMeta()).complete ?? false;
    },
    async applyPage(page) {
      return db
        .transaction(
          'rw',
          [db.entChunks, db.entSearch, db.entDir, db.entMeta, db.quarantine, db.syncState],
          async () => {
            const s0 = performance.now();
            const [state, meta] = await Promise.all([currentState(), currentMeta()]);
            timings.startMs += performance.now() - s0;
            if (page.fromCursor !== undefined && page.fromCursor !== state.cursor) {
              throw new Error(
                `企业档案分页顺序错误：本页从游标 ${page.fromCursor} 开始，已保存的游标是 ${state.cursor}`,
              );
            }
            await freshDir(meta);
            const { fresh, removals } = collect(page, state.generation);
            await applyRemovals(db, dir, removals);
            const { rows, next: nextChunk } = packFresh([...fresh.values()], state.generation, meta.nextChunk);
            for (const r of rows) dir.addChunk(r.dir);
            const finished = !page.hasMore && state.restarting;
            if (finished) await dropOldGenerations(db, dir, state.generation);
            // A new store's stamps start at the clock, not at 1: a store wiped and filled again never
            // repeats a stamp a reader (the search worker, the directory) already holds.
            const stamp = meta.stamp === 0 ? Date.now() : meta.stamp + 1;
            const complete = state.restarting ? finished : (meta.complete ?? false) || !page.hasMore;
            const writes: Promise<unknown>[] = [
              db.entChunks.bulkPut(rows.map((r) => r.chunk)),
              db.entSearch.bulkPut(rows.map((r) => r.search)),
              db.entDir.bulkPut(rows.map((r) => r.dir)),
              db.entMeta.put({ key: 'summary', count: dir.loc.size, nextChunk, stamp, complete }),
              db.syncState.put({
                ...state,
                cursor: page.nextCursor,
                total: page.total,
                lastSyncedAt: page.at,
                restarting: state.restarting && !finished,
              }),
            ];
            if (page.quarantined.length > 0) writes.push(db.quarantine.bulkPut([...page.quarantined]));
            dir.stamp = stamp;
            const c0 = performance.now();
            await Promise.all(writes);
            timings.commitMs += performance.now() - c0;
            const changes: readonly SummaryChange[] = page.changes;
            return fresh.size + changes.filter((c) => c.kind === 'tombstone').length;
          },
        )
        .then(
          (n) => {
            announce(channel);
            return n;
          },
          (e: unknown) => {
            dir.invalidate();
            throw e;
          },
        );
    },
    async restart() {
      await db.transaction('rw', db.syncState, async () => {
        const state = await currentState();
        await db.syncState.put({ ...state, cursor: '0', generation: state.generation + 1, restarting: true });
      });
    },
    async directory() {
      return db.transaction('r', [db.entDir, db.entMeta], async () => {
        const [meta, dirRows] = await Promise.all([currentMeta(), db.entDir.toArray()]);
        return { stamp: meta.stamp, nextChunk: meta.nextChunk, dir: dirRows };
      });
    },
    searchRowsAfter: (id) => db.entSearch.where(':id').above(id).toArray(),
    async searchRows(ids) {
      return (await db.entSearch.bulkGet([...ids])).filter((r): r is EntSearchRow => r !== undefined);
    },
    watch(listener) {
      if (typeof BroadcastChannel === 'undefined') return () => undefined;
      const ch = new BroadcastChannel(channel);
      ch.onmessage = () => listener();
      (ch as { unref?: () => void }).unref?.(); // Node: a watcher never keeps the process alive
      return () => ch.close();
    },
  };
}
