/**
 * The read path of the credit-file repository: one record by USCC (through a small cache of
 * opened chunks), the directory and the search rows for the search index, and the commit watch.
 * Nothing here writes; every read opens what it returns with WebCrypto, outside any transaction.
 */
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { EMPTY_ENT_META, chunkRecords, type EntSearchRow } from './enterprises.rows.js';
import { decodeRecord } from './enterprises.pack.js';
import { openChunk, openDir, openLog, openSearch } from './enterprises.store.js';
import type { RepoCore } from './enterprises-open.repo.js';
import type { DirectorySnapshot, PageCommit, StoreChanges } from './enterprises.repo.js';

/** Opened chunks kept for get(): a task list reads its enterprises, often several from one chunk. */
const RECENT_CHUNKS = 4;

export interface EnterpriseReads {
  get(uscc: string): Promise<Enterprise | null>;
  directory(): Promise<DirectorySnapshot>;
  changesSince(stamp: number, firstTail: number): Promise<StoreChanges | null>;
  searchRowsAfter(id: number, limit?: number): Promise<EntSearchRow[]>;
  searchRows(ids: readonly number[]): Promise<EntSearchRow[]>;
  watch(listener: (commit: PageCommit) => void): () => void;
}

/** The commit a message on the channel announces; counts that are not counts are left out. */
function commitOf(data: unknown): PageCommit {
  const m = typeof data === 'object' && data !== null ? (data as Partial<Record<keyof PageCommit, unknown>>) : {};
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : undefined);
  const held = count(m.held);
  const total = count(m.total);
  return {
    type: 'committed',
    last: m.last === true,
    ...(held !== undefined && total !== undefined ? { held, total } : {}),
    ...(m.linkBound === true ? { linkBound: true } : {}),
  };
}

export function enterpriseReads(core: RepoCore): EnterpriseReads {
  const { db, dir, recent } = core;

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

  return {
    async get(uscc) {
      // Without the station key the credit file is not at hand (as if not cached): callers already
      // show a task without its credit file; nothing is read, nothing is guessed.
      if (!db.cacheKey) return null;
      const meta = await core.freshDir();
      const at = dir.find(uscc);
      if (!at) return null;
      const text = (await chunkTexts(meta.stamp, at.chunk))?.get(uscc);
      return text === undefined ? null : decodeRecord(text);
    },
    async directory() {
      const { meta, rows } = await core.openDirectory();
      return { stamp: meta.stamp, nextChunk: meta.nextChunk, dir: rows };
    },
    async changesSince(from, firstTail) {
      if (!db.cacheKey) return null;
      // One read transaction: the log entries and the tail's rows describe the same stamp.
      const [meta, sealedLog, sealedTail] = await db.transaction('r', [db.entMeta, db.entLog, db.entDir], () =>
        Promise.all([
          core.currentMeta(),
          db.entLog.where('stamp').above(from).toArray(),
          db.entDir.where(':id').aboveOrEqual(firstTail).toArray(),
        ]),
      );
      if (meta === EMPTY_ENT_META || meta.stamp < from) return null;
      // Every stamp from `from` on must have its entry (each changing write bumps the stamp by one);
      // a gap (entries pruned, a cache emptied and filled again) means the log cannot say what changed.
      if (sealedLog.length !== meta.stamp - from || sealedLog.some((l, i) => l.stamp !== from + 1 + i)) return null;
      const [entries, tail] = await Promise.all([
        Promise.all(sealedLog.map((l) => openLog(db, l))),
        Promise.all(sealedTail.map((r) => openDir(db, r))),
      ]);
      return { stamp: meta.stamp, nextChunk: meta.nextChunk, entries, tail };
    },
    async searchRowsAfter(id, limit = Infinity) {
      if ((await core.currentMeta()) === EMPTY_ENT_META) return [];
      const rows = await db.entSearch.where(':id').above(id).limit(limit).toArray();
      return Promise.all(rows.map((r) => openSearch(db, r)));
    },
    async searchRows(ids) {
      if ((await core.currentMeta()) === EMPTY_ENT_META) return [];
      const rows = await db.entSearch.bulkGet([...ids]);
      return Promise.all(rows.flatMap((r) => (r ? [openSearch(db, r)] : [])));
    },
    watch(listener) {
      if (typeof BroadcastChannel === 'undefined') return () => undefined;
      const ch = new BroadcastChannel(core.channel);
      // Whatever else arrives on the channel is still a hint that something committed.
      ch.onmessage = (e: MessageEvent<unknown>) => listener(commitOf(e.data));
      (ch as { unref?: () => void }).unref?.(); // Node: a watcher never keeps the process alive
      return () => ch.close();
    },
  };
}
