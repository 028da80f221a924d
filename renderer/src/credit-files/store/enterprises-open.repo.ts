/**
 * The state the credit-file repository's parts share: the stored summary and sync state, and the
 * in-memory directory with the way it is opened (WebCrypto outside a transaction, the synchronous
 * engine inside one). The write path, the read path and the reset path (enterprises-*.repo.ts) all
 * work through one `RepoCore`, so they see the same directory and the same opened rows.
 */
import type { CacheDb } from '../../db/databases.js';
import type { SyncStateRow } from '../../db/rows.js';
import { initialSyncState } from '../../db/repos/sync-state.repo.js';
import { EMPTY_ENT_META, type EntDirRow, type SealedDirRow, type StoredMetaRow } from './enterprises.rows.js';
import { Directory } from './enterprises.dir.js';
import { cacheKeyOf, openDir, openDirSync } from './enterprises.store.js';
import type { TimingSink } from '../timing-sink.js';

/** AES-GCM's tag: the last 16 bytes of every sealed value. */
const TAG_BYTES = 16;

interface OpenedRow {
  readonly keyId: string;
  readonly length: number;
  readonly tag: Uint8Array;
  readonly row: EntDirRow;
}

export interface RepoCore {
  readonly db: CacheDb;
  readonly timings: TimingSink;
  readonly dir: Directory;
  /** The BroadcastChannel on which committed pages are announced. */
  readonly channel: string;
  /** Decoded chunk cache for get(): key `${stamp}:${chunkId}`. */
  readonly recent: Map<string, Map<string, string>>;
  /**
   * Directory rows opened before, by chunk id, with the sealed bytes' tag they were opened from. A
   * delta re-seals only the rows it changed; a reader that opens the directory again after it (the
   * search index's refresh, get()) opens those and reuses the others instead of decrypting and
   * parsing the whole directory again. A row whose stored bytes end in the same AES-GCM tag, under
   * the same key, is the same row: the tag authenticates nonce, place and content together.
   */
  readonly openedRows: Map<number, OpenedRow>;
  /** The stream's generation as last seen with the directory (a hint for sealing ahead; the write checks). */
  dirGeneration: number | null;
  currentState(): Promise<SyncStateRow>;
  currentMeta(): Promise<StoredMetaRow>;
  /** The summary as `currentMeta` gives it, from the stored row read by the caller. */
  metaOf(stored: StoredMetaRow | undefined): StoredMetaRow;
  /** Inside the write transaction: opens with the synchronous engine (only when not primed). */
  freshDirSync(meta: StoredMetaRow): Promise<void>;
  /** Outside a transaction: reads the directory and opens it with WebCrypto (rows opened before are reused). */
  openDirectory(): Promise<{ meta: StoredMetaRow; rows: EntDirRow[] }>;
  /** The directory as of the stored stamp, loaded once however many callers wait for it. */
  freshDir(): Promise<StoredMetaRow>;
  /** Opens the directory ahead of the first write (timed as dirOpenMs); nothing without the station key. */
  openDirectoryEarly(): Promise<void>;
}

export function repoCore(db: CacheDb, timings: TimingSink): RepoCore {
  const dir = new Directory();
  const openedRows = new Map<number, OpenedRow>();

  async function currentState(): Promise<SyncStateRow> {
    return (await db.syncState.get('enterprises')) ?? initialSyncState('enterprises');
  }
  function metaOf(stored: StoredMetaRow | undefined): StoredMetaRow {
    const meta: StoredMetaRow = stored ?? EMPTY_ENT_META;
    // Sealed under another key: nothing of it can be read; verifyKey() empties it.
    return meta.keyId !== undefined && meta.keyId !== cacheKeyOf(db).keyId ? EMPTY_ENT_META : meta;
  }
  async function currentMeta(): Promise<StoredMetaRow> {
    return metaOf(await db.entMeta.get('summary'));
  }
  async function freshDirSync(meta: StoredMetaRow): Promise<void> {
    if (dir.stamp !== meta.stamp || !dir.loaded) {
      const rows = meta === EMPTY_ENT_META ? [] : await db.entDir.toArray();
      dir.load(
        meta.stamp,
        rows.map((r) => openDirSync(db, r)),
      );
    }
  }
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
  async function openDirectory(): Promise<{ meta: StoredMetaRow; rows: EntDirRow[] }> {
    const [meta, sealed, state] = await db.transaction('r', [db.entDir, db.entMeta, db.syncState], () =>
      Promise.all([currentMeta(), db.entDir.toArray(), currentState()]),
    );
    core.dirGeneration = state.generation;
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

  const core: RepoCore = {
    db,
    timings,
    dir,
    channel: `${db.name}:enterprises-committed`,
    recent: new Map(),
    openedRows,
    dirGeneration: null,
    currentState,
    currentMeta,
    metaOf,
    freshDirSync,
    openDirectory,
    freshDir,
    openDirectoryEarly,
  };
  return core;
}
