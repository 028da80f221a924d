/**
 * The search index blobs (cache v5): the search worker's assembled index as bytes
 * (search/index-image.ts), sealed under the station cache key in parts of PART_BYTES, each stored as
 * a Blob, so an unlock reads the index back instead of opening every search row and building it again.
 *
 * A header row in clear (`meta`: counters only, nothing of the credit files) says which state of
 * the cache the index was built from: the summary row's stamp (bumped by every write and never
 * repeated, even after a wipe), live count, next chunk id and station keyId, and the stream's
 * generation (moved on by a wipe and by a 410 restart). The blobs are used when all of them still
 * match, or when they were built at an earlier stamp of the same generation and key (`behind`: the
 * caller catches up from the credit files' change log, or rebuilds when the log no longer reaches
 * back that far); otherwise the caller rebuilds. Each part's AAD
 * names the write it belongs to, its number, the stamp and the total size, so a part of another
 * write, another state or another key fails to open rather than joining a wrong index.
 *
 * Parts are written first under a fresh write id, then the header switches to them in one
 * transaction that also checks the summary row still has the stamp the index was built from, and
 * deletes every other write's parts. A crash in between leaves the previous header and its parts.
 *
 * `readAhead` reads the header and the first parts as they are on disk (sealed) before the key is
 * in hand: the search worker starts it while the inspector signs in, so the first load after the
 * unlock finds those parts in memory and only opens them. It needs no key and holds only what is
 * on disk anyway; `load` uses a part read ahead only when the header still names the same write.
 * It also allocates the buffer the load joins the opened parts in, and touches its pages meanwhile
 * (`homeFor`), so the unlock does not pay for faulting in the index's memory.
 */
import type { CacheDb } from '../../db/databases.js';
import { cacheKeyOf } from './enterprises.store.js';
import { openCacheAsync, sealCacheAsync } from './enterprises.seal.js';

/**
 * Parts this large, each sealed and opened on its own. WebCrypto's AES-GCM ran at ~340 MB/s on
 * 256–768 KiB here and at ~115 MB/s on 1 MiB and more (every buffer from about 1 MiB up is mapped
 * fresh and faulted in, on each call), so an index opens three times as fast in parts under 1 MiB.
 */
export const PART_BYTES = 512 * 1024;
/** The part size of blobs whose header does not name one (written with 8 MiB parts). */
const LEGACY_PART_BYTES = 8 * 1024 * 1024;
/** Parts opened (or sealed) at the same time: bounds the memory beside the index being read. */
const PARALLEL = 8;
/**
 * Sealed bytes read ahead of the unlock at most: the whole index of a county's ~200,000 credit
 * files; of a city's, the first parts (the rest is read as `load` opens them, as without it).
 */
export const READ_AHEAD_BYTES = 64 * 1024 * 1024;
/**
 * The largest index whose home is allocated ahead of the unlock (a million credit files take 193 MB):
 * the memory the load would allocate anyway, only earlier.
 */
const HOME_MAX_BYTES = 512 * 1024 * 1024;

export interface SearchBlobMeta {
  readonly name: 'meta';
  readonly stamp: number;
  readonly count: number;
  readonly nextChunk: number;
  /** The enterprise stream's generation (a wipe or a 410 restart moves it on). */
  readonly generation: number;
  readonly keyId: string;
  readonly write: string;
  readonly parts: number;
  readonly bytes: number;
  /** Bytes per part (the last one may be short); absent in blobs written with LEGACY_PART_BYTES. */
  readonly partBytes?: number;
}
/**
 * A part: its sealed bytes as a Blob (IndexedDB hands a Blob over by reference and reads it back
 * ~1.4× as fast as a byte array over 64 KiB, which it wraps into a blob file of its own), or as a
 * byte array in blobs written before.
 */
export type SearchBlobPart =
  { readonly name: string; readonly blob: Blob } | { readonly name: string; readonly sealed: Uint8Array };
export type SearchBlobRow = SearchBlobMeta | SearchBlobPart;
/** A part read, its sealed bytes in memory. */
interface PartRead {
  readonly name: string;
  readonly sealed: Uint8Array;
}

export type SearchBlobLoad =
  | {
      readonly ok: true;
      readonly stamp: number;
      /** Built at an earlier stamp than the cache's now: writes since are not in it (see the change log). */
      readonly behind: boolean;
      /** The summary's next chunk id when the index was built: later chunks are not in it. */
      readonly nextChunk: number;
      readonly bytes: Uint8Array;
      /** Where the load's time went: waiting on IndexedDB reads, and opening (AES-GCM) the parts. */
      readonly took: { readonly readWaitMs: number; readonly openMs: number };
    }
  | {
      readonly ok: false;
      /** none: never written; stale: built from another state or key; unreadable: missing, damaged or cut short. */
      readonly error: { readonly kind: 'none' | 'stale' | 'unreadable'; readonly message: string };
    };

export type SearchBlobSave =
  | { readonly ok: true; readonly bytes: number }
  | { readonly ok: false; readonly error: { readonly kind: 'stale'; readonly message: string } };

/** Blobs built at an earlier state: whether what was written since can be applied to them (the change log). */
export type CatchUpCheck = (from: { readonly stamp: number; readonly nextChunk: number }) => Promise<boolean>;

export interface SearchBlobStore {
  /**
   * The bytes of the blobs when they were built from the cache as it is now, or as it was at an
   * earlier stamp and `canCatchUp` (asked before any part is read) says the writes since can be
   * applied to them; without it, blobs of an earlier stamp are always read.
   */
  load(canCatchUp?: CatchUpCheck): Promise<SearchBlobLoad>;
  /** Writes `segments` (joined) as the blobs of the index built at `stamp`, unless the cache moved on. */
  save(stamp: number, segments: readonly Uint8Array[]): Promise<SearchBlobSave>;
  /**
   * Reads the header and up to `maxBytes` of the first parts, sealed, for the next `load` (no key
   * needed). Resolves with the number of parts read; never rejects (`load` reads what is missing).
   */
  readAhead(maxBytes?: number): Promise<number>;
}

/**
 * Parts read ahead, by number, of the write the header named when they were read: each is a read
 * in flight or done, issued in batches of PARALLEL one after another, so a load that starts before
 * the read-ahead ends opens the first batch while the next is still being read.
 */
interface ReadAhead {
  readonly write: string;
  readonly parts: Map<number, Promise<PartRead | undefined>>;
  /** Where the load joins the opened parts: allocated and touched ahead (see `homeFor`). */
  readonly home: Home | null;
}

/**
 * The buffer the opened index will live in, its memory touched page by page ahead of the unlock. The
 * first write to each page of fresh memory costs a page fault; on this kind of machine 193 MB (the
 * index of a million credit files) took ~0.6 s to touch in C and ~0.85 s in a worker, as much as
 * opening every part. Touching it while the lock screen waits takes that off the unlock. `take`
 * stops the touching (both run on the worker's one thread, so it never writes once the load has).
 */
interface Home {
  take(): Uint8Array;
}

/** Bytes touched per turn: short enough that the key and the load's messages are not kept waiting. */
const TOUCH_SLICE = 4 * 1024 * 1024;
/** Every page is touched by one write per 4 KiB (the smallest page size of the machines we run on). */
const PAGE = 4096;

export function homeFor(bytes: number): Home {
  const out = new Uint8Array(bytes);
  let taken = false;
  void (async () => {
    for (let at = 0; at < bytes && !taken; at += TOUCH_SLICE) {
      const end = Math.min(bytes, at + TOUCH_SLICE);
      for (let i = at; i < end; i += PAGE) out[i] = 0; // still zero: only the page is made present
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  })();
  return {
    take() {
      taken = true;
      return out;
    },
  };
}

const partName = (write: string, i: number) => `part:${write}:${i}`;
const partAad = (m: Pick<SearchBlobMeta, 'write' | 'stamp' | 'parts' | 'bytes'>, i: number) =>
  `${m.write}:${i}/${m.parts}:${m.stamp}:${m.bytes}`;
const isMeta = (row: SearchBlobRow | undefined): row is SearchBlobMeta => row?.name === 'meta';
/** A part's sealed bytes, read from its Blob when it has one; undefined when it is not a part or cannot be read. */
async function partRead(row: SearchBlobRow | undefined): Promise<PartRead | undefined> {
  if (!row || isMeta(row)) return undefined;
  if ('sealed' in row) return row.sealed instanceof Uint8Array ? row : undefined;
  if (!(row.blob instanceof Blob)) return undefined;
  try {
    return { name: row.name, sealed: new Uint8Array(await row.blob.arrayBuffer()) };
  } catch {
    return undefined; // its file is gone or unreadable: the load says the part is missing and the index is rebuilt
  }
}
const partBytesOf = (m: SearchBlobMeta): number => m.partBytes ?? LEGACY_PART_BYTES;
/** The part numbers of the batch that starts at `first`, out of `total` parts (none past the end). */
const batchFrom = (first: number, total: number) =>
  Array.from({ length: Math.max(0, Math.min(PARALLEL, total - first)) }, (_, k) => first + k);

export function searchBlobStore(db: CacheDb): SearchBlobStore {
  let ahead: Promise<ReadAhead | null> | null = null;
  /** The parts (and home) read ahead, once: whatever `load` finds there is handed over and forgotten. */
  async function takeAhead(write: string): Promise<Pick<ReadAhead, 'parts' | 'home'>> {
    const pending = ahead;
    ahead = null;
    const got = pending ? await pending : null;
    if (got && got.write === write) return got;
    got?.home?.take(); // stops the touching of a home for another write
    return { parts: new Map(), home: null };
  }

  /** The summary row's state, or null when the cache holds nothing under the current key. */
  async function current(): Promise<Omit<SearchBlobMeta, 'name' | 'write' | 'parts' | 'bytes'> | null> {
    const [meta, state] = await Promise.all([db.entMeta.get('summary'), db.syncState.get('enterprises')]);
    if (!meta?.keyId || meta.keyId !== cacheKeyOf(db).keyId) return null;
    const generation = state?.generation ?? 0;
    return { stamp: meta.stamp, count: meta.count, nextChunk: meta.nextChunk, generation, keyId: meta.keyId };
  }

  return {
    async load(canCatchUp) {
      const key = cacheKeyOf(db);
      const [now, header] = await db.transaction('r', [db.entMeta, db.syncState, db.searchBlobs], () =>
        Promise.all([current(), db.searchBlobs.get('meta')]),
      );
      if (!isMeta(header)) {
        ahead = null;
        return { ok: false, error: { kind: 'none', message: '尚无检索索引数据' } };
      }
      // Taken before the checks, so a stale header also lets the parts read ahead go.
      const { parts: early, home } = await takeAhead(header.write);
      // Taken now: the touching stops, and the pages it has not reached fault in as the parts land.
      const ready = home?.take();
      const same =
        now !== null &&
        header.stamp === now.stamp &&
        header.count === now.count &&
        header.nextChunk === now.nextChunk &&
        header.generation === now.generation &&
        header.keyId === now.keyId;
      // An earlier state of this same stream under this key: stamps only grow within it, chunk ids too.
      const behind =
        now !== null &&
        header.stamp < now.stamp &&
        header.nextChunk <= now.nextChunk &&
        header.generation === now.generation &&
        header.keyId === now.keyId;
      if (!same && !behind)
        return { ok: false, error: { kind: 'stale', message: '检索索引数据不是按本机企业档案的当前状态建立的' } };
      // Asked before the parts are read: at a million records they are hundreds of MB to read and open.
      if (behind && canCatchUp && !(await canCatchUp({ stamp: header.stamp, nextChunk: header.nextChunk })))
        return { ok: false, error: { kind: 'stale', message: '检索索引数据建立后的企业档案变更已无法逐条追上' } };
      const unit = partBytesOf(header);
      if (!Number.isSafeInteger(unit) || unit <= 0 || header.parts !== Math.max(1, Math.ceil(header.bytes / unit)))
        return { ok: false, error: { kind: 'unreadable', message: '检索索引数据的分块信息不符' } };
      const out = ready?.length === header.bytes ? ready : new Uint8Array(header.bytes);
      const batch = (first: number) => batchFrom(first, header.parts);
      const read = async (ids: readonly number[]) => {
        if (ids.length === 0) return null;
        const rows: (PartRead | undefined)[] = await Promise.all(ids.map((i) => early.get(i)));
        const missing = ids.filter((_, k) => rows[k] === undefined);
        if (missing.length > 0) {
          const got = await db.searchBlobs.bulkGet(missing.map((i) => partName(header.write, i)));
          const read = await Promise.all(got.map(partRead));
          for (const [m, row] of read.entries()) rows[ids.indexOf(missing[m]!)] = row;
        }
        for (const i of ids) early.delete(i); // dropped as handed over: memory falls as the load goes on
        return rows;
      };
      // The next batch is read from the database while this one is opened (both off this thread).
      let readWaitMs = 0;
      let openMs = 0;
      let reading = read(batch(0));
      for (let first = 0; ; first += PARALLEL) {
        const ids = batch(first);
        const r0 = performance.now();
        const rows = await reading;
        if (!rows) break;
        const o0 = performance.now();
        readWaitMs += o0 - r0;
        reading = read(batch(first + PARALLEL));
        reading.catch(() => undefined); // awaited on the next turn; never unhandled if this one fails
        const opened = await Promise.all(
          ids.map(async (i, k) => {
            const row = rows[k];
            if (!row) throw new Error(`检索索引数据缺少第 ${i + 1}/${header.parts} 块`);
            return openCacheAsync(key, db.name, 'searchBlobs', partAad(header, i), row.sealed);
          }),
        ).catch((e: unknown) => e as Error);
        openMs += performance.now() - o0;
        if (opened instanceof Error)
          return { ok: false, error: { kind: 'unreadable', message: `检索索引数据无法读取：${opened.message}` } };
        for (const [k, plain] of opened.entries()) {
          const i = ids[k]!;
          const want = Math.min(unit, header.bytes - i * unit);
          if (plain.length !== want)
            return {
              ok: false,
              error: { kind: 'unreadable', message: `检索索引数据第 ${i + 1} 块长度不符（${plain.length}/${want}）` },
            };
          out.set(plain, i * unit);
        }
      }
      return {
        ok: true,
        stamp: header.stamp,
        behind,
        nextChunk: header.nextChunk,
        bytes: out,
        took: { readWaitMs, openMs },
      };
    },

    async save(stamp, segments) {
      ahead = null; // parts of the write this one replaces
      const key = cacheKeyOf(db);
      const stale = { ok: false, error: { kind: 'stale', message: '企业档案已更新，这份检索索引不再写入' } } as const;
      const before = await current();
      if (!before || before.stamp !== stamp) return stale;
      const bytes = segments.reduce((n, s) => n + s.length, 0);
      const parts = Math.max(1, Math.ceil(bytes / PART_BYTES));
      const write = `${stamp}-${Math.random().toString(36).slice(2, 10)}`;
      const header: SearchBlobMeta = { name: 'meta', ...before, write, parts, bytes, partBytes: PART_BYTES };
      const reader = segmentReader(segments);
      for (let first = 0; first < parts; first += PARALLEL) {
        const ids = batchFrom(first, parts);
        const plains = ids.map((i) => reader(Math.min(PART_BYTES, bytes - i * PART_BYTES)));
        const sealed = await Promise.all(
          ids.map((i, k) => sealCacheAsync(key, db.name, 'searchBlobs', partAad(header, i), plains[k]!)),
        );
        await db.searchBlobs.bulkPut(
          ids.map((i, k) => ({ name: partName(write, i), blob: new Blob([sealed[k]! as Uint8Array<ArrayBuffer>]) })),
        );
      }
      const switched = await db.transaction('rw', [db.entMeta, db.syncState, db.searchBlobs], async () => {
        const now = await current();
        const names = (await db.searchBlobs.toCollection().primaryKeys()) as string[];
        const mine = `part:${write}:`;
        if (!now || now.stamp !== stamp || now.keyId !== key.keyId || now.generation !== before.generation) {
          await db.searchBlobs.bulkDelete(names.filter((n) => n.startsWith(mine)));
          return false;
        }
        await db.searchBlobs.put({ ...header, ...now });
        await db.searchBlobs.bulkDelete(names.filter((n) => n.startsWith('part:') && !n.startsWith(mine)));
        return true;
      });
      return switched ? { ok: true, bytes } : stale;
    },

    readAhead(maxBytes = READ_AHEAD_BYTES) {
      const reading = (async (): Promise<ReadAhead | null> => {
        const header = await db.searchBlobs.get('meta');
        if (!isMeta(header)) return null;
        // A header naming parts smaller than ours (damaged or edited on disk) is read as ours: bounded.
        const count = Math.min(header.parts, Math.floor(maxBytes / Math.max(partBytesOf(header), PART_BYTES)));
        const parts: ReadAhead['parts'] = new Map();
        let previous: Promise<unknown> = Promise.resolve();
        for (let first = 0; first < count; first += PARALLEL) {
          const ids = batchFrom(first, count);
          const batch = previous.then(async () =>
            Promise.all((await db.searchBlobs.bulkGet(ids.map((i) => partName(header.write, i)))).map(partRead)),
          );
          previous = batch.catch(() => undefined);
          for (const [k, i] of ids.entries())
            parts.set(
              i,
              batch.then(
                (rows) => rows[k],
                () => undefined, // `load` reads it itself
              ),
            );
        }
        // Bounded: a header edited on disk does not make the worker allocate gigabytes.
        const home = header.bytes <= HOME_MAX_BYTES ? homeFor(header.bytes) : null;
        return { write: header.write, parts, home };
      })().catch(() => null);
      ahead = reading;
      return reading.then(async (got) =>
        got ? (await Promise.all(got.parts.values())).filter((r) => r !== undefined).length : 0,
      );
    },
  };
}

/** Hands out the joined segments `size` bytes at a time, as fresh arrays (sealing reads them later). */
function segmentReader(segments: readonly Uint8Array[]): (size: number) => Uint8Array {
  let seg = 0;
  let at = 0;
  return (size) => {
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      const s = segments[seg];
      if (!s) throw new RangeError('search blobs: fewer bytes than announced');
      const take = Math.min(size - filled, s.length - at);
      out.set(s.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (at === s.length) {
        seg += 1;
        at = 0;
      }
    }
    return out;
  };
}
