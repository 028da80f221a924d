/**
 * The search engine: keeps an EnterpriseSearchIndex in memory and rebuilds it when the cache's
 * stamp moved (after a sync page or a delta). While a rebuild runs, queries are answered from the
 * previous index, so typing never waits on a sync. Runs inside the search worker (the app) or
 * in-process (tests).
 *
 * Building is split in two. Pass one (hashing every character pair of a chunk's names, legal
 * representatives and addresses) is done once per chunk and kept; when the engine follows a sync
 * (`follow`), it runs on each chunk as soon as its page commits, while the next pages download.
 * A rebuild then reads the directory, runs pass one only for chunks it has not seen, and puts the
 * index together from the kept keys (pass two: counting and scattering, no hashing). So the index
 * is ready moments after the last page instead of a full build later (while following, that step
 * starts as soon as the page that ends a download commits), and a delta re-indexes only its new chunks.
 * A large download that waits on its link is assembled once most of it is stored (aheadDue), and
 * its last pages go beside that index as a delta's do, so even the assembly is done before the last
 * page.
 *
 * A delta does not assemble the whole index again either: the store's change log (cache v6) says
 * which stored records each write took out of their chunks, so the refresh marks those dead in the
 * last assembled index and indexes only the chunks written since, as a small second index beside
 * it (segmented-index.ts). Without the log (pruned, a cache emptied, a 410 restart finished) or for
 * a large change, the refresh reads the directory and assembles, as before.
 *
 * Start-up does neither when it can: the first index of a session is read back from the index
 * blobs (store/search-blobs.store.ts) when they were built from the cache as it is now, so an
 * unlock costs reading and opening them, not hashing every record again. After every rebuild the
 * new index is written back to the blobs, once the index has been left alone for a moment. Blobs
 * of an earlier stamp are read back too, and caught up from the change log as a delta is. So a
 * delta's index needs no writing: the blobs of the index it sits beside, and the log, make it again
 * at the next start-up. Only when the delta has grown, or the log would soon no longer reach back to
 * the blobs, is the index assembled whole, in the background, and written.
 */
import type { EnterprisesRepo } from '../../db/index.js';
import type { EntDirRow, PageCommit } from '../../db/index.js';
import { EnterpriseSearchIndex, type IndexedChunk } from './search-index.js';
import { KeyCollector } from './postings.js';
import type { SearchAnswer, SearchFilters } from './types.js';
import { LOG_KEEP, type SearchBlobStore, type StoreChanges } from '../../db/index.js';
import { decodeIndexImage, encodeIndexImage } from './index-image.js';
import { SegmentedIndex, type Searchable } from './segmented-index.js';

export interface SearchEngine {
  search(query: string, filters?: SearchFilters, limit?: number): Promise<SearchAnswer>;
  /** Build (or refresh) the index now; resolves when it is ready. */
  warm(): Promise<void>;
  /** Index chunks as their pages commit (during a sync), so the index is ready when it ends. */
  follow(): void;
  /** Writes the index blobs now if a write is waiting; resolves when no write is left to do. */
  settle(): Promise<void>;
  /**
   * Calls `listener` each time another index starts answering (a sync's changes made searchable):
   * an answer given while the index was being brought up to date may be out of date, and whoever
   * shows one asks again. Returns the unsubscribe function.
   */
  onIndex(listener: () => void): () => void;
  /**
   * Drops the index (names, USCCs, addresses) and, for the worker, the worker with its copy of the
   * station key: after a lock nothing of the credit files stays readable in memory.
   */
  close(): void;
}

type Repo = Pick<EnterprisesRepo, 'stamp' | 'directory' | 'changesSince' | 'searchRowsAfter' | 'searchRows' | 'watch'>;

/** A kept chunk still describes the directory's chunk of that id (not a reused id after a wipe). */
function usable(chunk: IndexedChunk | undefined, dir: EntDirRow): chunk is IndexedChunk {
  if (!chunk || chunk.row.generation !== dir.generation) return false;
  const have = chunk.row.usccs;
  if (have.length === dir.usccs.length && have.every((u, i) => u === dir.usccs[i])) return true;
  const set = new Set(have);
  return dir.usccs.every((u) => set.has(u));
}

/**
 * A delta is put beside the assembled index while the records it removed plus those it added stay
 * under this share of the index; beyond it, the whole index is assembled again.
 */
const MAX_DELTA_SHARE = 1 / 4;

/**
 * The index is assembled whole and written in the background once the delta beside it exceeds this
 * share of it, or once it is this many stamps past the blobs (the log keeps LOG_KEEP): each
 * start-up catches up from the blobs and the log, which costs more the larger the delta grows.
 */
const ASSEMBLE_SHARE = 1 / 16;
const ASSEMBLE_STAMPS = LOG_KEEP / 2;

/** The last assembled index, with the records that left it since and where the chunks after it start. */
interface Base {
  readonly index: EnterpriseSearchIndex;
  /** Chunks numbered from here on were written after it was assembled (the tail). */
  readonly nextChunk: number;
  /** The store's stamp it was assembled at (or read back at). */
  readonly stamp: number;
  readonly dead: Uint8Array;
  readonly deadCount: number;
}

/** Chunks read and opened per step of a rebuild (see keepInBatches). */
const OPEN_BATCH = 16;

/**
 * While the engine follows a download of at least AHEAD_MIN_RECORDS records that waits on its link
 * (PageCommit.linkBound) and has no index yet, it assembles one in the background once the store
 * holds AHEAD_SHARE of them and what is left fits in AHEAD_WRITES writes (of the smallest seen so
 * far). The last pages then only add a small index beside it, from the change log, as a delta does:
 * under MAX_DELTA_SHARE of it, and within the LOG_KEEP stamps the log keeps (else the whole would be
 * assembled again after all). So the index is searchable moments after the last page instead of
 * after assembling every record then; the whole is assembled again in the background before it is
 * written. Not when the import is the one behind (a fast link): the assembly would take the CPU
 * from it. Below the minimum that step costs tens of milliseconds: not worth a second assembly.
 */
const AHEAD_SHARE = 0.85;
const AHEAD_WRITES = LOG_KEEP / 2;
const AHEAD_MIN_RECORDS = 20_000;

/**
 * Whether a download with `held` of its `total` records stored is due its index ahead of its end
 * (see AHEAD_SHARE); `write`: the fewest records one of its writes has added so far.
 */
export function aheadDue(held: number, total: number, write: number): boolean {
  return total >= AHEAD_MIN_RECORDS && held >= total * AHEAD_SHARE && total - held <= write * AHEAD_WRITES;
}

export interface SearchEngineOptions {
  /** Where the index is written after a rebuild and read back at start-up; without it, always built. */
  readonly blobs?: SearchBlobStore;
  /** How long the index must stay unchanged before it is written (a sync rebuilds it often). */
  readonly saveDelayMs?: number;
  /** Where the engine says why it could not use or write the blobs (it rebuilds; nothing is lost). */
  readonly log?: (message: string) => void;
  /** Where the engine reports how long each step of a start-up took (benchmarks break it down with it). */
  readonly trace?: (step: string, ms: number) => void;
}

/** Lets the thread answer a query between long steps of background work. */
const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Whether the change log read from a base's stamp can carry that base to now (no gap, no restart). */
function carries(changes: StoreChanges | null, baseNextChunk: number): changes is StoreChanges {
  return changes !== null && changes.nextChunk >= baseNextChunk && !changes.entries.some((e) => e.reset);
}

export function createSearchEngine(repo: Repo, options: SearchEngineOptions = {}): SearchEngine {
  const { blobs, saveDelayMs = 5000 } = options;
  const log = options.log ?? ((message: string) => console.warn(message));
  const indexListeners = new Set<() => void>();
  /** Another index answers from now on: whoever showed an answer of the one before asks again. */
  const published = (): void => {
    for (const listener of indexListeners) listener();
  };
  const trace = options.trace ?? (() => undefined);
  /** Whether this session already tried the blobs (only the first index of a session comes from them). */
  let blobsTried = false;
  let pendingSave: { index: Searchable; stamp: number } | null = null;
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> = Promise.resolve();
  let index: Searchable | null = null;
  let base: Base | null = null;
  /** The stamp of the index the blobs hold (as read back or written by this engine); -1: unknown. */
  let savedStamp = -1;
  let builtStamp = -1;
  let building: Promise<void> | null = null;
  let collector = new KeyCollector();
  const chunks = new Map<number, IndexedChunk>();
  /** The highest chunk id read so far (chunk ids only grow, unless the store was wiped). */
  let primedUpTo = 0;
  let following = false;
  let priming = false;
  let primeAgain = false;
  /** prime and rebuild share the kept chunks: they run one after the other, never interleaved. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task);
    queue = run.catch(() => undefined);
    return run;
  };

  function keep(rows: Awaited<ReturnType<Repo['searchRows']>>): void {
    for (const row of rows) {
      chunks.set(row.id, EnterpriseSearchIndex.indexChunk(collector, row));
      primedUpTo = Math.max(primedUpTo, row.id);
    }
  }

  /**
   * Indexes the chunks written since the last prime, OPEN_BATCH rows per read: one read of every
   * row (a session whose index came from the blobs has none indexed) would hold the search rows'
   * store for its whole length, and the pull's page write, which writes that store, would wait.
   */
  async function prime(): Promise<void> {
    for (;;) {
      const rows = await repo.searchRowsAfter(primedUpTo, OPEN_BATCH);
      keep(rows);
      if (rows.length < OPEN_BATCH) return;
    }
  }

  function schedulePrime(): void {
    if (priming) {
      primeAgain = true;
      return;
    }
    priming = true;
    void serial(prime)
      .catch(() => undefined)
      .finally(() => {
        priming = false;
        if (primeAgain) {
          primeAgain = false;
          schedulePrime();
        }
      });
  }

  /**
   * Reads and indexes the given chunks a batch at a time, asking for the next batch before indexing
   * this one: the rows are sealed, so opening batch k+1 (WebCrypto, off this thread) overlaps with
   * pass one over batch k instead of every row being opened before the first is indexed.
   */
  async function keepInBatches(ids: readonly number[]): Promise<void> {
    const batches: number[][] = [];
    for (let i = 0; i < ids.length; i += OPEN_BATCH) batches.push(ids.slice(i, i + OPEN_BATCH));
    let next = batches.length > 0 ? repo.searchRows(batches[0]!) : null;
    for (let b = 0; next; b++) {
      const rows = await next;
      next = b + 1 < batches.length ? repo.searchRows(batches[b + 1]!) : null;
      next?.catch(() => undefined); // awaited on the next turn; never unhandled if indexing throws first
      keep(rows);
    }
  }

  /** The index from the blobs, when they match the cache as it is now (else false: build it). */
  async function readBack(store: SearchBlobStore): Promise<boolean> {
    const t0 = performance.now();
    // When the blobs are behind, the log is read before their parts: if it cannot carry them to
    // now, they are not read at all; if it can, the catch-up uses the entries read for the check.
    const early: { changes: StoreChanges | null } = { changes: null };
    const loaded = await store
      .load(async (from) => {
        try {
          early.changes = await repo.changesSince(from.stamp, from.nextChunk);
        } catch (e) {
          log(`企业档案变更记录无法使用（${e instanceof Error ? e.message : String(e)}）；重新建立企业检索索引`);
          return false;
        }
        return carries(early.changes, from.nextChunk);
      })
      .catch((e: unknown) => {
        const message = e instanceof Error ? e.message : String(e);
        return { ok: false, error: { kind: 'unreadable', message: `检索索引数据无法读取：${message}` } } as const;
      });
    if (!loaded.ok) {
      if (loaded.error.kind === 'unreadable') log(`${loaded.error.message}；重新建立企业检索索引`);
      return false;
    }
    const t1 = performance.now();
    trace('blobs.load', t1 - t0);
    trace('blobs.readWait', loaded.took.readWaitMs);
    trace('blobs.open', loaded.took.openMs);
    try {
      const image = decodeIndexImage(loaded.bytes);
      const t2 = performance.now();
      const read = EnterpriseSearchIndex.fromImage(image);
      trace('image.decode', t2 - t1);
      trace('index.fromImage', performance.now() - t2);
      const from: Base = {
        index: read,
        nextChunk: loaded.nextChunk,
        stamp: loaded.stamp,
        dead: new Uint8Array(read.size),
        deadCount: 0,
      };
      builtStamp = loaded.stamp;
      savedStamp = loaded.stamp;
      // The chunks the blobs were built from need no pass one for a delta (it indexes only later
      // chunks); following a sync must not index all of them again either.
      primedUpTo = Math.max(primedUpTo, loaded.nextChunk - 1);
      if (loaded.behind) {
        // Built before the last writes: caught up from the change log as after a delta, and only then
        // answered from (applyChanges publishes it). A query meanwhile waits for it, as for any load:
        // the state before those writes, which the inspector may already have searched past, is never shown.
        const c0 = performance.now();
        const caught = await applyChanges(from, early.changes).catch((e: unknown) => {
          log(`企业档案变更记录无法使用（${e instanceof Error ? e.message : String(e)}）；重新建立企业检索索引`);
          return false;
        });
        trace('blobs.catchUp', performance.now() - c0);
        if (!caught) builtStamp = -1;
        return caught;
      }
      index = read;
      base = from;
      published();
      // The text stays packed and is decoded entry by entry as queries read it (text-column.ts):
      // decoding all of it in the background made five million strings while the first queries
      // ran, and their garbage collection doubled the slowest answers of the first seconds.
      void prepareFilters(read);
      return true;
    } catch (e) {
      log(`检索索引数据无法使用（${e instanceof Error ? e.message : String(e)}）；重新建立企业检索索引`);
      return false;
    }
  }

  /** Groups the current index's documents per filter column, one column per step (see code-groups.ts). */
  async function prepareFilters(built: Searchable): Promise<void> {
    while (index === built && !built.prepareFilters()) await pause();
  }

  function scheduleSave(built: Searchable, stamp: number): void {
    if (!blobs) return;
    pendingSave = { index: built, stamp };
    armSave();
  }

  function armSave(): void {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void startSave(), saveDelayMs);
    (saveTimer as { unref?: () => void }).unref?.(); // Node (tests): a waiting write never keeps the process alive
  }

  function startSave(): Promise<void> {
    if (saveTimer !== null) clearTimeout(saveTimer);
    saveTimer = null;
    const job = pendingSave;
    pendingSave = null;
    if (!job || !blobs) return saving;
    saving = saving.then(async () => {
      try {
        if (!(job.index instanceof EnterpriseSearchIndex)) {
          // The blobs hold one assembled index. While they hold this delta's base, a start-up
          // catches up from them and the log; else the index is assembled whole first (unless the
          // cache moved on meanwhile), and that rebuild asks for its own write.
          await serial(async () => {
            if (index === job.index && mustAssemble(job.index)) await rebuild();
          });
          return;
        }
        const segments = await encodeIndexImage(job.index.image(), pause);
        const saved = await blobs.save(job.stamp, segments);
        if (saved.ok) savedStamp = job.stamp;
        if (!saved.ok && saved.error.kind !== 'stale') log(saved.error.message);
      } catch (e) {
        log(`检索索引数据未能保存（${e instanceof Error ? e.message : String(e)}）；下次解锁时重新建立索引`);
      }
    });
    return saving;
  }

  async function rebuild(): Promise<void> {
    if (index === null && blobs && !blobsTried) {
      blobsTried = true;
      if (await readBack(blobs)) return;
    }
    const t0 = performance.now();
    const snap = await repo.directory();
    const t1 = performance.now();
    trace('rebuild.directory', t1 - t0);
    if (snap.nextChunk <= primedUpTo) {
      // Chunk ids went back: the cache was wiped and filled again. Start over.
      collector = new KeyCollector();
      chunks.clear();
      primedUpTo = 0;
    }
    const live = new Set(snap.dir.map((d) => d.id));
    for (const id of chunks.keys()) if (!live.has(id)) chunks.delete(id);
    const missing = snap.dir.filter((d) => !usable(chunks.get(d.id), d)).map((d) => d.id);
    await keepInBatches(missing);
    const t2 = performance.now();
    trace('rebuild.rows', t2 - t1);
    const assembled = EnterpriseSearchIndex.assemble(
      collector,
      snap.dir.flatMap((d) => {
        const chunk = chunks.get(d.id);
        return usable(chunk, d) ? [{ chunk, dir: d }] : [];
      }),
    );
    trace('rebuild.assemble', performance.now() - t2);
    index = assembled;
    base = {
      index: assembled,
      nextChunk: snap.nextChunk,
      stamp: snap.stamp,
      dead: new Uint8Array(assembled.size),
      deadCount: 0,
    };
    builtStamp = snap.stamp;
    published();
    scheduleSave(index, snap.stamp);
    void prepareFilters(index);
  }

  /** Whether a delta's index must be assembled whole before the blobs can stand for it (see ASSEMBLE_SHARE). */
  function mustAssemble(delta: Searchable): boolean {
    if (!(delta instanceof SegmentedIndex) || base === null || base.index !== delta.base) return false;
    return (
      savedStamp !== base.stamp ||
      builtStamp - base.stamp >= ASSEMBLE_STAMPS ||
      delta.deadCount + (delta.tail?.size ?? 0) > base.index.size * ASSEMBLE_SHARE
    );
  }

  /**
   * The index after the writes since `builtStamp`, from the change log: the base with the records
   * those writes removed marked dead, and the chunks written since as a second index. False when
   * the log cannot tell, or the change is too large to keep beside the base: assemble instead.
   */
  async function applyChanges(b: Base, known: StoreChanges | null = null): Promise<boolean> {
    const t0 = performance.now();
    // `known` was read for this base (its stamp and next chunk): an index caught up only to that
    // read is still right, and the next ensure() sees the stamp has moved and applies the rest.
    const changes = known ?? (await repo.changesSince(builtStamp, b.nextChunk));
    if (!carries(changes, b.nextChunk)) return false;
    const t1 = performance.now();
    trace('refresh.log', t1 - t0);
    const dead = b.dead.slice();
    let deadCount = b.deadCount;
    for (const entry of changes.entries)
      for (const [chunk, usccs] of entry.removed) {
        if (chunk >= b.nextChunk) continue; // the tail: its directory rows say what is live there now
        for (const uscc of usccs) {
          const d = b.index.findUscc(uscc);
          // Removed from a chunk of the base, so live in it: anything else and the log does not
          // describe this base (assemble instead of guessing).
          if (d < 0 || dead[d] === 1) return false;
          dead[d] = 1;
          deadCount += 1;
        }
      }
    const live = changes.tail.filter((d) => d.usccs.length > 0);
    const added = live.reduce((n, d) => n + d.usccs.length, 0);
    if (deadCount + added > b.index.size * MAX_DELTA_SHARE) return false;
    await keepInBatches(live.filter((d) => !usable(chunks.get(d.id), d)).map((d) => d.id));
    const parts = live.flatMap((d) => {
      const chunk = chunks.get(d.id);
      return usable(chunk, d) ? [{ chunk, dir: d }] : [];
    });
    if (parts.length !== live.length) return false; // a chunk's search row is missing: assemble from the directory
    const t2 = performance.now();
    trace('refresh.rows', t2 - t1);
    const tail = parts.length > 0 ? EnterpriseSearchIndex.assemble(collector, parts) : null;
    const next = new SegmentedIndex(b.index, dead, deadCount, tail);
    trace('refresh.assemble', performance.now() - t2);
    base = { ...b, dead, deadCount };
    index = next;
    builtStamp = changes.stamp;
    published(); // after the stamp: a listener that asks at once is answered, not sent into another refresh
    scheduleSave(next, changes.stamp);
    void prepareFilters(next);
    return true;
  }

  /** Brings the index to the store's stamp: from the change log when it can, else by assembling. */
  async function refresh(): Promise<void> {
    if (index !== null && base !== null) {
      try {
        if (await applyChanges(base)) return;
      } catch (e) {
        log(`企业档案变更记录无法使用（${e instanceof Error ? e.message : String(e)}）；重新组装企业检索索引`);
      }
    }
    await rebuild();
  }

  /**
   * Brings the index up to the store's stamp. `wait`: returns once the index holds what the store
   * held when it was called. A refresh already running may have read an earlier stamp (one started
   * while a download was still committing), so a waiting caller goes round again; the rounds are
   * bounded, since a sync that goes on committing moves the stamp each time.
   */
  async function ensure(wait: boolean): Promise<void> {
    for (let round = 0; ; round++) {
      const stamp = await repo.stamp();
      if (index && stamp === builtStamp) return;
      building ??= serial(refresh).finally(() => {
        building = null;
      });
      const run = building;
      run.catch(() => undefined); // a background refresh that fails leaves the previous index
      if (index && !wait) return;
      await run;
      if (!wait || round >= 2) return;
    }
  }

  /** Whether a commit of a download the engine follows calls for an index ahead of its end (aheadDue). */
  function wantsAhead(commit: PageCommit, write: number): boolean {
    if (index !== null || building !== null || commit.linkBound !== true) return false;
    if (commit.held === undefined || commit.total === undefined) return false;
    return aheadDue(commit.held, commit.total, write);
  }

  return {
    close() {
      index = null;
      base = null;
      savedStamp = -1;
      builtStamp = -1;
      chunks.clear();
      collector = new KeyCollector();
      primedUpTo = 0;
      following = false;
      blobsTried = false;
      // The key is gone: a waiting write could not seal anything.
      if (saveTimer !== null) clearTimeout(saveTimer);
      saveTimer = null;
      pendingSave = null;
    },
    async settle() {
      // A delta's write may first assemble the index whole (mustAssemble), which then asks for its own write.
      do await startSave();
      while (pendingSave !== null);
    },
    onIndex(listener) {
      indexListeners.add(listener);
      return () => void indexListeners.delete(listener);
    },
    async search(query, filters = {}, limit = 50) {
      await ensure(false);
      return index ? index.search(query, filters, limit) : { hits: [], total: 0, indexed: 0, tookMs: 0 };
    },
    warm: () => ensure(true),
    follow() {
      if (following) return;
      following = true;
      let heldBefore: number | null = null;
      let fewest = Infinity;
      repo.watch((commit) => {
        schedulePrime();
        // The download's last page: the index is put together now, behind that page's indexing,
        // while the pull finishes (its last empty page, its outcome), so warm() finds it ready.
        if (commit.last) {
          ensure(true).catch(() => undefined);
          return;
        }
        // More pages to come: an index waiting to be written waits for the store to settle too
        // (writing one the next pages make stale would only take time from the import).
        if (saveTimer !== null) armSave();
        const held = commit.held ?? null;
        if (held !== null && heldBefore !== null && held > heldBefore) fewest = Math.min(fewest, held - heldBefore);
        heldBefore = held;
        if (fewest < Infinity && wantsAhead(commit, fewest)) ensure(false).catch(() => undefined);
      });
      schedulePrime();
    },
  };
}
