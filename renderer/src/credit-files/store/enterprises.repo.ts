/**
 * Enterprise credit files in the cache database, packed (cache v2, see enterprises.rows.ts): one
 * page of the feed becomes one or a few chunk rows + their search rows + their directory rows,
 * written together with the quarantined records and the cursor in ONE transaction. The API stays
 * narrow (get, count, state, applyPage, restart; for the search index: directory, search rows by
 * chunk id, and `watch` for committed pages) so the UI, the pull engine and the search worker never
 * see the layout.
 */
import type { Enterprise, EnterpriseChange } from '../../../../shared/protocol/index.js';
import type { CacheDb } from '../../db/databases.js';
import type { QuarantineRow, SyncStateRow } from '../../db/rows.js';
import { initialSyncState } from '../../db/repos/sync-state.repo.js';
import {
  EMPTY_ENT_META,
  chunkRecords,
  type EntDirRow,
  type EntSearchRow,
  type SealedChunkRow,
  type SealedDirRow,
  type SealedSearchRow,
  type StoredMetaRow,
} from './enterprises.rows.js';
import { CHUNK_SIZE, decodeRecord, packChunk, type PackedRecord, type SummaryChange } from './enterprises.pack.js';
import {
  Directory,
  applyRemovals,
  dropOldGenerations,
  presealRemovals,
  type Location,
  type PresealedDirRow,
} from './enterprises.dir.js';
import {
  cacheKeyOf,
  openChunk,
  openDir,
  openDirSync,
  openSearch,
  sealChunkSync,
  sealDirSync,
  sealQuarantineSync,
  sealSearchSync,
} from './enterprises.store.js';
import { KEY_CHECK_PLAIN, openCacheAsync, sealCache } from './enterprises.seal.js';
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
/** AES-GCM's tag: the last 16 bytes of every sealed value. */
const TAG_BYTES = 16;

/** One chunk of a page as written: its opened directory row and its sealed rows (none if it holds nothing live). */
interface PageRow {
  readonly open: EntDirRow;
  readonly chunk?: SealedChunkRow;
  readonly search?: SealedSearchRow;
  readonly dir?: SealedDirRow;
}

/**
 * `timings` receives where a page write spends its time (packMs, startMs, commitMs) for the
 * download benchmark's diagnostics, never for logic; left out, the figures are dropped.
 */
export function enterprisesRepo(db: CacheDb, options: { readonly timings?: TimingSink } = {}): EnterprisesRepo {
  const timings = options.timings ?? NO_TIMINGS;
  const dir = new Directory();
  const channel = `${db.name}:enterprises-committed`;
  /** Decoded chunk cache for get(): key `${stamp}:${chunkId}`. */
  const recent = new Map<string, Map<string, string>>();

  async function currentState(): Promise<SyncStateRow> {
    return (await db.syncState.get('enterprises')) ?? initialSyncState('enterprises');
  }
  async function currentMeta(): Promise<StoredMetaRow> {
    const meta: StoredMetaRow = (await db.entMeta.get('summary')) ?? EMPTY_ENT_META;
    // Sealed under another key: nothing of it can be read; verifyKey() empties it.
    return meta.keyId !== undefined && meta.keyId !== cacheKeyOf(db).keyId ? EMPTY_ENT_META : meta;
  }
  /** Inside the write transaction: opens with the synchronous engine (only when not primed). */
  async function freshDirSync(meta: StoredMetaRow): Promise<void> {
    if (dir.stamp !== meta.stamp || !dir.loaded) {
      const rows = meta === EMPTY_ENT_META ? [] : await db.entDir.toArray();
      dir.load(
        meta.stamp,
        rows.map((r) => openDirSync(db, r)),
      );
    }
  }
  /**
   * Directory rows opened before, by chunk id, with the sealed bytes' tag they were opened from. A
   * delta re-seals only the rows it changed; a reader that opens the directory again after it (the
   * search index's refresh, get()) opens those and reuses the others instead of decrypting and
   * parsing the whole directory again. A row whose stored bytes end in the same AES-GCM tag, under
   * the same key, is the same row: the tag authenticates nonce, place and content together.
   */
  /** The stream's generation as last seen with the directory (a hint for sealing ahead; the write checks). */
  let dirGeneration: number | null = null;
  const openedRows = new Map<number, { keyId: string; length: number; tag: Uint8Array; row: EntDirRow }>();
  function sameTag(tag: Uint8Array, sealed: Uint8Array): boolean {
    const from = sealed.length - TAG_BYTES;
    for (let i = 0; i < TAG_BYTES; i++) if (tag[i] !== sealed[from + i]) return false;
    return true;
  }
  async function openDirRow(r: SealedDirRow, keyId: string): Promise<EntDirRow> {
    const had = openedRows.get(r.id);
    if (
      had &&
      had.keyId === keyId &&
      had.length === r.sealed.length &&
      had.row.generation === r.generation &&
      had.row.size === r.size &&
      sameTag(had.tag, r.sealed)
    )
      return had.row;
    const row = await openDir(db, r);
    openedRows.set(r.id, { keyId, length: r.sealed.length, tag: r.sealed.slice(-TAG_BYTES), row });
    return row;
  }
  /** Outside a transaction: reads the directory and opens it with WebCrypto (rows opened before are reused). */
  async function openDirectory(): Promise<{ meta: StoredMetaRow; rows: EntDirRow[] }> {
    const [meta, sealed, state] = await db.transaction('r', [db.entDir, db.entMeta, db.syncState], () =>
      Promise.all([currentMeta(), db.entDir.toArray(), currentState()]),
    );
    dirGeneration = state.generation;
    const rows: SealedDirRow[] = meta === EMPTY_ENT_META ? [] : sealed;
    const keyId = cacheKeyOf(db).keyId;
    const live = new Set(rows.map((r) => r.id));
    for (const id of openedRows.keys()) if (!live.has(id)) openedRows.delete(id);
    return { meta, rows: await Promise.all(rows.map((r) => openDirRow(r, keyId))) };
  }
  /**
   * One load at a time: the pull opens the directory while its earlier phases run (`openDirectory`
   * on the interface), and a first write that arrives meanwhile waits for that load, not a second.
   */
  let loading: Promise<StoredMetaRow> | null = null;
  async function freshDir(): Promise<StoredMetaRow> {
    const meta = await currentMeta();
    if (dir.stamp === meta.stamp && dir.loaded) return meta;
    loading ??= openDirectory()
      .then((opened) => {
        dir.load(opened.meta.stamp, opened.rows);
        return opened.meta;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }

  async function openDirectoryEarly(): Promise<void> {
    if (!db.cacheKey) return;
    const d0 = performance.now();
    await freshDir();
    timings.add('dirOpenMs', performance.now() - d0);
  }

  async function chunkTexts(stamp: number, id: number): Promise<Map<string, string> | null> {
    const key = `${stamp}:${id}`;
    const hit = recent.get(key);
    if (hit) return hit;
    const sealed = await db.entChunks.get(id);
    if (!sealed) return null;
    const row = await openChunk(db, sealed);
    const map = new Map<string, string>();
    const texts = chunkRecords(row);
    row.usccs.forEach((u, i) => map.set(u, texts[i]!));
    recent.set(key, map);
    if (recent.size > RECENT_CHUNKS) recent.delete(recent.keys().next().value!);
    return map;
  }

  function pageUsccs(page: EnterprisePage): Set<string> {
    const changes: readonly SummaryChange[] = page.changes;
    return new Set(changes.map((c) => (c.kind === 'tombstone' ? c.uscc : c.enterprise.uscc)));
  }

  /** `located`: where the page's records are, if already looked up (a copy is used). */
  function collect(
    page: EnterprisePage,
    generation: number,
    lookedUp?: ReadonlyMap<string, Location>,
  ): { fresh: Map<string, PackedRecord & { index: number }>; removals: Map<number, Set<string>> } {
    const fresh = new Map<string, PackedRecord & { index: number }>();
    const removals = new Map<number, Set<string>>();
    const changes: readonly SummaryChange[] = page.changes;
    const located = new Map(lookedUp ?? dir.locate(pageUsccs(page)));
    const remove = (uscc: string) => {
      const at = located.get(uscc);
      if (!at) return;
      const set = removals.get(at.chunk) ?? new Set<string>();
      set.add(uscc);
      removals.set(at.chunk, set);
    };
    changes.forEach((change, i) => {
      if (change.kind === 'tombstone') {
        remove(change.uscc);
        fresh.delete(change.uscc);
        // Gone from here on: an upsert later in the same page is a new record, as on the next page,
        // not one to compare with the version just removed.
        located.delete(change.uscc);
        return;
      }
      const e = change.enterprise;
      const at = located.get(e.uscc);
      const pending = fresh.get(e.uscc);
      const localVersion =
        pending?.enterprise.version ?? (at && dir.generationOf(at.chunk) === generation ? at.version : -1);
      if (localVersion > e.version) return;
      remove(e.uscc);
      // A summary page carries every upsert's stored form; a page of whole records is re-serialized.
      const raw = page.raws ? page.raws[i] : JSON.stringify(change);
      if (raw === null || raw === undefined) throw new Error(`企业档案 ${e.uscc} 缺少原始记录，无法保存`);
      fresh.set(e.uscc, { enterprise: e, raw, index: i });
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
    timings.add('packMs', performance.now() - p0);
    return { rows, next };
  }

  /** Seals chunks packed inside the transaction (pages that came without sealed chunks). */
  function sealPacked(packed: { rows: ReturnType<typeof packChunk>[]; next: number }): {
    rows: PageRow[];
    next: number;
  } {
    const rows = packed.rows.map((r) => ({
      open: r.dir,
      chunk: sealChunkSync(db, r.chunk),
      search: sealSearchSync(db, r.search),
      dir: sealDirSync(db, r.dir),
    }));
    return { rows, next: packed.next };
  }

  /**
   * Places chunks sealed before the transaction. The directory lists only the records that are
   * fresh (a record superseded within the page, or older than the stored one, stays in the chunk
   * as a stale copy the directory ignores); its row is re-sealed here only in that case.
   */
  function placeSealed(
    page: EnterprisePage,
    fresh: ReadonlyMap<string, PackedRecord & { index: number }>,
    generation: number,
    first: number,
    keyId: string,
  ): { rows: PageRow[]; next: number } {
    const changes: readonly SummaryChange[] = page.changes;
    let next = first;
    let placed = 0;
    const rows = (page.sealed ?? []).map((sc): PageRow => {
      if (sc.keyId !== keyId) throw new Error(`企业档案分块 ${sc.id} 由另一把密钥加密，拒绝写入`);
      if (sc.id < first) throw new Error(`企业档案分块编号 ${sc.id} 已被使用（下一个可用编号 ${first}）`);
      next = Math.max(next, sc.id + 1);
      const usccs: string[] = [];
      const versions: number[] = [];
      for (const i of sc.changeIdx) {
        const c = changes[i];
        if (c?.kind !== 'upsert') throw new Error(`企业档案分块 ${sc.id} 与分页内容不符`);
        if (fresh.get(c.enterprise.uscc)?.index !== i) continue;
        usccs.push(c.enterprise.uscc);
        versions.push(c.enterprise.version);
      }
      placed += usccs.length;
      const open: EntDirRow = { id: sc.id, generation, size: sc.changeIdx.length, usccs, versions };
      if (usccs.length === 0) return { open };
      return {
        open,
        chunk: { id: sc.id, generation, sealed: sc.chunk },
        search: { id: sc.id, generation, sealed: sc.search },
        dir:
          usccs.length === sc.changeIdx.length
            ? { id: sc.id, generation, size: open.size, sealed: sc.dir }
            : sealDirSync(db, open),
      };
    });
    if (placed !== fresh.size) throw new Error('企业档案分页的加密分块缺少记录，拒绝写入');
    return { rows, next };
  }

  /** Empties the credit files (another key) and restarts the stream in a new generation. */
  async function emptyCache(): Promise<void> {
    await db.transaction(
      'rw',
      [db.entChunks, db.entSearch, db.entDir, db.entMeta, db.quarantine, db.syncState, db.searchBlobs],
      async () => {
        const state = await currentState();
        // The search index's blobs describe the cache being emptied: never usable again, so gone too.
        await Promise.all([
          db.entChunks.clear(),
          db.entSearch.clear(),
          db.entDir.clear(),
          db.entMeta.clear(),
          db.quarantine.clear(),
          db.searchBlobs.clear(),
        ]);
        await db.syncState.put({
          ...state,
          cursor: '0',
          etag: null,
          generation: state.generation + 1,
          restarting: false,
        });
      },
    );
    dir.invalidate();
    recent.clear();
    openedRows.clear();
  }

  return {
    async verifyKey() {
      const key = cacheKeyOf(db);
      const meta = await db.entMeta.get('summary');
      if (meta?.keyId === undefined) return { ok: true };
      let kind: 'key-rotated' | 'wrong-key' = 'key-rotated';
      if (meta.keyId === key.keyId) {
        try {
          if (meta.check) await openCacheAsync(key, db.name, 'entMeta', 'summary', meta.check);
          return { ok: true };
        } catch {
          kind = 'wrong-key';
        }
      }
      await emptyCache();
      return {
        ok: false,
        error: {
          kind,
          message:
            kind === 'key-rotated'
              ? '本站企业档案密钥已更换：本机缓存的企业档案已清除，下次同步时重新下载。'
              : '本机缓存的企业档案无法用本站密钥解密（密钥不对或数据已被改动）：已清除，下次同步时重新下载。',
        },
      };
    },
    async nextChunkId() {
      return (await currentMeta()).nextChunk;
    },
    openDirectory: openDirectoryEarly,
    async get(uscc) {
      // Without the station key the credit file is not at hand (as if not cached): callers already
      // show a task without its credit file; nothing is read, nothing is guessed.
      if (!db.cacheKey) return null;
      const meta = await freshDir();
      const at = dir.find(uscc);
      if (!at) return null;
      const text = (await chunkTexts(meta.stamp, at.chunk))?.get(uscc);
      return text === undefined ? null : decodeRecord(text);
    },
    async count() {
      // A count is not content: it is kept in clear and shown before the key is at hand.
      return (await db.entMeta.get('summary'))?.count ?? 0;
    },
    state: currentState,
    async stamp() {
      return (await currentMeta()).stamp;
    },
    async complete() {
      return (await currentMeta()).complete ?? false;
    },
    async applyPage(page) {
      // Open the directory with WebCrypto before the first write (inside a transaction only noble may
      // run). Later pages skip this read: queued behind the previous page's commit it would put a
      // round trip between two commits; the transaction still checks the stamp and reloads if stale.
      if (!dir.loaded) await openDirectoryEarly();
      const key = cacheKeyOf(db);
      // Ahead of the transaction: where the page's records are now, and the directory rows their
      // removal shrinks, sealed with WebCrypto. The transaction reuses the lookup only if the
      // directory did not change since, and a sealed row only if it computes the very same row.
      const ahead =
        dir.loaded && dirGeneration !== null
          ? { changes: dir.changes, located: dir.locate(pageUsccs(page)), generation: dirGeneration }
          : null;
      const presealed = ahead
        ? await presealRemovals(db, dir, collect(page, ahead.generation, ahead.located).removals)
        : new Map<number, PresealedDirRow>();
      if (ahead && ahead.changes !== dir.changes) ahead.located.clear(); // stale: looked up again below
      return db
        .transaction(
          'rw',
          [db.entChunks, db.entSearch, db.entDir, db.entMeta, db.quarantine, db.syncState],
          async () => {
            const s0 = performance.now();
            const [state, meta] = await Promise.all([currentState(), currentMeta()]);
            timings.add('startMs', performance.now() - s0);
            if (page.fromCursor !== undefined && page.fromCursor !== state.cursor) {
              throw new Error(
                `企业档案分页顺序错误：本页从游标 ${page.fromCursor} 开始，已保存的游标是 ${state.cursor}`,
              );
            }
            const stored = await db.entMeta.get('summary');
            if (stored?.keyId !== undefined && stored.keyId !== key.keyId)
              throw new Error('企业档案缓存由另一把本站密钥加密，须先校验密钥（verifyKey）再写入');
            await freshDirSync(meta);
            dirGeneration = state.generation;
            const reuse = ahead !== null && ahead.changes === dir.changes;
            const { fresh, removals } = collect(page, state.generation, reuse ? ahead.located : undefined);
            const r0 = performance.now();
            const removing: Promise<unknown>[] = [];
            timings.add('dirRowsRewritten', await applyRemovals(db, dir, removals, removing, presealed));
            timings.add('removalsMs', performance.now() - r0);
            const { rows, next: nextChunk } = page.sealed
              ? placeSealed(page, fresh, state.generation, meta.nextChunk, key.keyId)
              : sealPacked(packFresh([...fresh.values()], state.generation, meta.nextChunk));
            for (const r of rows) dir.addChunk(r.open);
            const finished = !page.hasMore && state.restarting;
            if (finished) await dropOldGenerations(db, dir, state.generation);
            // A new store's stamps start at the clock, not at 1: a store wiped and filled again never
            // repeats a stamp a reader (the search worker, the directory) already holds.
            const stamp = meta.stamp === 0 ? Date.now() : meta.stamp + 1;
            const complete = state.restarting ? finished : (meta.complete ?? false) || !page.hasMore;
            const check = stored?.check ?? sealCache(key, db.name, 'entMeta', 'summary', KEY_CHECK_PLAIN);
            const writes: Promise<unknown>[] = [
              ...removing,
              db.entChunks.bulkPut(rows.flatMap((r) => (r.chunk ? [r.chunk] : []))),
              db.entSearch.bulkPut(rows.flatMap((r) => (r.search ? [r.search] : []))),
              db.entDir.bulkPut(rows.flatMap((r) => (r.dir ? [r.dir] : []))),
              db.entMeta.put({
                key: 'summary',
                count: dir.size,
                nextChunk,
                stamp,
                complete,
                keyId: key.keyId,
                check,
              }),
              db.syncState.put({
                ...state,
                cursor: page.nextCursor,
                total: page.total,
                lastSyncedAt: page.at,
                restarting: state.restarting && !finished,
              }),
            ];
            if (page.quarantined.length > 0)
              writes.push(db.quarantine.bulkPut(page.quarantined.map((q) => sealQuarantineSync(db, q))));
            dir.stamp = stamp;
            const c0 = performance.now();
            await Promise.all(writes);
            timings.add('commitMs', performance.now() - c0);
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
      const { meta, rows } = await openDirectory();
      return { stamp: meta.stamp, nextChunk: meta.nextChunk, dir: rows };
    },
    async searchRowsAfter(id) {
      if ((await currentMeta()) === EMPTY_ENT_META) return [];
      const rows = await db.entSearch.where(':id').above(id).toArray();
      return Promise.all(rows.map((r) => openSearch(db, r)));
    },
    async searchRows(ids) {
      if ((await currentMeta()) === EMPTY_ENT_META) return [];
      const rows = await db.entSearch.bulkGet([...ids]);
      return Promise.all(rows.flatMap((r) => (r ? [openSearch(db, r)] : [])));
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
