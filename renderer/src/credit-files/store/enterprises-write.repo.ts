/**
 * The write path of the credit-file repository: one page of the feed becomes its chunk, search and
 * directory rows, written with the quarantined lines and the cursor in ONE transaction (the cursor
 * never gets ahead of the rows it stands for). Chunks a feed worker sealed are placed as they came;
 * a page without them is packed and sealed inside the transaction.
 */
import {
  LOG_KEEP,
  type EntDirRow,
  type SealedChunkRow,
  type SealedDirRow,
  type SealedSearchRow,
} from './enterprises.rows.js';
import { CHUNK_SIZE, packChunk, type PackedRecord, type SummaryChange } from './enterprises.pack.js';
import {
  applyRemovals,
  dropOldGenerations,
  presealRemovals,
  type Location,
  type PresealedDirRow,
} from './enterprises.dir.js';
import {
  cacheKeyOf,
  sealChunkSync,
  sealDirSync,
  sealLogSync,
  sealQuarantineSync,
  sealSearchSync,
} from './enterprises.store.js';
import { KEY_CHECK_PLAIN, sealCache } from './enterprises.seal.js';
import type { RepoCore } from './enterprises-open.repo.js';
import type { EnterprisePage, PageCommit } from './enterprises.repo.js';

/**
 * Tells every reader of this cache database, in any thread of the origin, that a page changed it;
 * `last`: the page ended its download (the search index can be put together now, not after the pull).
 */
function announce(channel: string, commit: PageCommit): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const ch = new BroadcastChannel(channel);
  ch.postMessage(commit);
  ch.close();
}

/** One chunk of a page as written: its opened directory row and its sealed rows (none if it holds nothing live). */
interface PageRow {
  readonly open: EntDirRow;
  readonly chunk?: SealedChunkRow;
  readonly search?: SealedSearchRow;
  readonly dir?: SealedDirRow;
}

/** `applyPage` of the repository, over the shared state. */
export function pageWriter(core: RepoCore): (page: EnterprisePage) => Promise<number> {
  const { db, dir, timings } = core;

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

  /**
   * Settles once the page handed over last has opened its transaction. Callers hand pages over in
   * cursor order without waiting for the commit; the work before a transaction (opening the
   * directory, sealing removals) takes longer for some pages than others, so without this turn a
   * page with nothing to remove could open its transaction first and fail its cursor check.
   * IndexedDB runs read-write transactions over the same stores in the order they were opened.
   */
  let turn: Promise<void> = Promise.resolve();

  return async function applyPage(page: EnterprisePage): Promise<number> {
    const before = turn;
    let opened!: () => void;
    turn = new Promise<void>((resolve) => (opened = resolve));
    let opening: { committing: Promise<number> };
    try {
      opening = await openPage(page, before);
    } finally {
      // Also when the preparation failed: the next page then opens its own and fails its cursor check.
      void before.then(opened);
    }
    return opening.committing;
  };

  /** Prepares the page, waits for the turn, and opens its transaction: settles with its commit still to come. */
  async function openPage(page: EnterprisePage, before: Promise<void>): Promise<{ committing: Promise<number> }> {
    // Open the directory with WebCrypto before the first write (inside a transaction only noble may
    // run). Later pages skip this read: queued behind the previous page's commit it would put a
    // round trip between two commits; the transaction still checks the stamp and reloads if stale.
    if (!dir.loaded) await core.openDirectoryEarly();
    const key = cacheKeyOf(db);
    // Ahead of the transaction: where the page's records are now, and the directory rows their
    // removal shrinks, sealed with WebCrypto. The transaction reuses the lookup only if the
    // directory did not change since, and a sealed row only if it computes the very same row.
    const ahead =
      dir.loaded && core.dirGeneration !== null
        ? { changes: dir.changes, located: dir.locate(pageUsccs(page)), generation: core.dirGeneration }
        : null;
    // Removals come only from records already stored: with none of the page's records located (a
    // first download, page after page), there is nothing to preseal and no need to walk the page twice.
    const presealed =
      ahead && ahead.located.size > 0
        ? await presealRemovals(db, dir, collect(page, ahead.generation, ahead.located).removals)
        : new Map<number, PresealedDirRow>();
    if (ahead && ahead.changes !== dir.changes) ahead.located.clear(); // stale: looked up again below
    await before;
    let changed = false;
    const committing = db
      .transaction(
        'rw',
        [db.entChunks, db.entSearch, db.entDir, db.entMeta, db.quarantine, db.syncState, db.entLog],
        async () => {
          const s0 = performance.now();
          // One round trip for both rows: every page's transaction starts with these reads.
          const [state, stored] = await Promise.all([core.currentState(), db.entMeta.get('summary')]);
          const meta = core.metaOf(stored);
          timings.add('startMs', performance.now() - s0);
          if (page.fromCursor !== undefined && page.fromCursor !== state.cursor) {
            throw new Error(`企业档案分页顺序错误：本页从游标 ${page.fromCursor} 开始，已保存的游标是 ${state.cursor}`);
          }
          if (stored?.keyId !== undefined && stored.keyId !== key.keyId)
            throw new Error('企业档案缓存由另一把本站密钥加密，须先校验密钥（verifyKey）再写入');
          await core.freshDirSync(meta);
          core.dirGeneration = state.generation;
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
          // The stamp names what the store holds: a page that stored, removed and quarantined nothing (the
          // empty delta page after a snapshot) leaves it, so an index built before that page stays current.
          changed = rows.length > 0 || removals.size > 0 || finished || page.quarantined.length > 0;
          // A new store's stamps start at the clock, not at 1: a store wiped and filled again never
          // repeats a stamp a reader (the search worker, the directory) already holds.
          const stamp = !changed ? meta.stamp : meta.stamp === 0 ? Date.now() : meta.stamp + 1;
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
          if (changed) {
            // The log entry of this stamp: readers that hold the index of an earlier stamp learn which
            // stored records left their chunks without opening every directory row (cache-v6.ts).
            const removed = [...removals].map(([chunk, usccs]) => [chunk, [...usccs]] as const);
            writes.push(
              db.entLog.put(sealLogSync(db, { stamp, removed, reset: finished })),
              db.entLog
                .where('stamp')
                .belowOrEqual(stamp - LOG_KEEP)
                .delete(),
            );
          }
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
          if (changed)
            announce(core.channel, {
              type: 'committed',
              last: !page.hasMore,
              held: dir.size,
              total: page.total,
              ...(page.linkBound === true ? { linkBound: true } : {}),
            });
          return n;
        },
        (e: unknown) => {
          dir.invalidate();
          throw e;
        },
      );
    return { committing };
  }
}
