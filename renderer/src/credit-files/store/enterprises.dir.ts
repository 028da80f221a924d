/**
 * The in-memory directory of the packed layout (uscc → chunk and version), rebuilt from the entDir
 * rows whenever the stored stamp moved, and the two directory-changing steps of a page write:
 * dropping superseded or tombstoned entries from their old chunks (compacting a chunk once most of
 * it is stale), and dropping older generations when a 410 restart completes.
 */
import type { CacheDb } from '../../db/databases.js';
import type { EntDirRow, SealedDirRow } from './enterprises.rows.js';
import { keepPositions } from './enterprises.pack.js';
import {
  openChunkSync,
  openSearchSync,
  sealChunkSync,
  sealDir,
  sealDirSync,
  sealSearchSync,
} from './enterprises.store.js';

/** Where a live record is: its chunk and the version stored there. */
export interface Location {
  readonly chunk: number;
  readonly version: number;
}

/**
 * The directory rows in memory. Opening it builds no per-record index: a delta's write looks up only
 * its own page's records (`locate` scans the rows' arrays, no allocation per record), since building
 * a map of 200,000 entries costs more than the rest of a small delta's write. `find` (single reads,
 * `get`) and a second page build that map once and keep it in step afterwards.
 */
export class Directory {
  stamp = -1;
  loaded = false;
  /** Live records over all rows (each live record is listed by exactly one row). */
  size = 0;
  private readonly rows = new Map<number, EntDirRow>();
  private index: Map<string, number> | null = null;
  /** Pages looked up by scanning since the load: a second one builds the map (a download has many). */
  private scans = 0;
  /** Bumped by every change: a lookup made ahead of a write is reused only if nothing changed since. */
  changes = 0;

  load(stamp: number, rows: readonly EntDirRow[]): void {
    this.changes += 1;
    this.rows.clear();
    this.index = null;
    this.scans = 0;
    this.size = 0;
    for (const row of rows) this.addChunk(row);
    this.stamp = stamp;
    this.loaded = true;
  }

  addChunk(row: EntDirRow): void {
    this.changes += 1;
    const before = this.rows.get(row.id);
    if (before) this.size -= before.usccs.length;
    this.rows.set(row.id, row);
    this.size += row.usccs.length;
    if (this.index) for (const u of row.usccs) this.index.set(u, row.id);
  }

  /** The row of a chunk as it stands (the stored row, opened). */
  row(id: number): EntDirRow | undefined {
    return this.rows.get(id);
  }

  /** Replaces a chunk's row by one listing fewer records (the others left it). */
  shrink(next: EntDirRow): void {
    this.changes += 1;
    const before = this.rows.get(next.id);
    if (!before) throw new Error(`企业目录分块 ${next.id} 不在目录中`);
    this.rows.set(next.id, next);
    this.size -= before.usccs.length - next.usccs.length;
    if (this.index) {
      const keep = new Set(next.usccs);
      for (const u of before.usccs) if (!keep.has(u) && this.index.get(u) === next.id) this.index.delete(u);
    }
  }

  dropChunk(id: number): void {
    this.changes += 1;
    const before = this.rows.get(id);
    if (!before) return;
    this.rows.delete(id);
    this.size -= before.usccs.length;
    if (this.index) for (const u of before.usccs) if (this.index.get(u) === id) this.index.delete(u);
  }

  /** Where each of `usccs` lives now (absent: not stored); the last row listing one wins. */
  locate(usccs: ReadonlySet<string>): Map<string, Location> {
    const out = new Map<string, Location>();
    if (usccs.size === 0) return out;
    // One scan costs about what building the map costs: a delta's single page scans, a download's
    // second page builds the map, which later pages then keep in step instead of scanning each time.
    if (!this.index && this.scans++ > 0) this.buildIndex();
    if (this.index) {
      for (const u of usccs) {
        const at = this.find(u);
        if (at) out.set(u, at);
      }
      return out;
    }
    for (const row of this.rows.values())
      row.usccs.forEach((u, i) => {
        if (usccs.has(u)) out.set(u, { chunk: row.id, version: row.versions[i]! });
      });
    return out;
  }

  /** One record's location, through the map of every record (built on first use). */
  find(uscc: string): Location | undefined {
    const chunk = this.buildIndex().get(uscc);
    if (chunk === undefined) return undefined;
    const row = this.rows.get(chunk)!;
    return { chunk, version: row.versions[row.usccs.indexOf(uscc)]! };
  }

  private buildIndex(): Map<string, number> {
    if (!this.index) {
      this.index = new Map();
      for (const row of this.rows.values()) for (const u of row.usccs) this.index.set(u, row.id);
    }
    return this.index;
  }

  generationOf(chunk: number): number {
    return this.rows.get(chunk)?.generation ?? -1;
  }

  chunkIds(): number[] {
    return [...this.rows.keys()];
  }

  invalidate(): void {
    this.changes += 1;
    this.loaded = false;
    this.stamp = -1;
  }
}

/**
 * Removes entries from their chunks' dir rows; empty chunks are deleted, mostly-stale ones compacted.
 * Runs inside the page's write transaction, so rows are opened and sealed with the synchronous engine.
 */
/** A row without the records in `gone`. */
export function without(row: EntDirRow, gone: ReadonlySet<string>): EntDirRow {
  const keep = row.usccs.flatMap((u, i) => (gone.has(u) ? [] : [i]));
  return { ...row, usccs: keep.map((i) => row.usccs[i]!), versions: keep.map((i) => row.versions[i]!) };
}

/** A shrunk directory row sealed ahead of the write transaction, with the row it was sealed from. */
export interface PresealedDirRow {
  readonly open: EntDirRow;
  readonly sealed: SealedDirRow;
}

function sameRow(a: EntDirRow, b: EntDirRow): boolean {
  return (
    a.id === b.id &&
    a.generation === b.generation &&
    a.size === b.size &&
    a.usccs.length === b.usccs.length &&
    a.usccs.every((u, i) => u === b.usccs[i] && a.versions[i] === b.versions[i])
  );
}

/**
 * Seals, with WebCrypto and before the write transaction, the directory rows the page's removals
 * will shrink, as the directory stands now. A delta spread over the city shrinks hundreds of rows
 * of ~1,000 records; sealed one by one with the synchronous engine inside the transaction they were
 * the largest part of its write. The transaction uses a presealed row only if it computes the very
 * same row (the directory may have moved meanwhile); any other it seals itself.
 */
export async function presealRemovals(
  db: CacheDb,
  dir: Directory,
  removals: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<Map<number, PresealedDirRow>> {
  const out = new Map<number, PresealedDirRow>();
  const jobs: Promise<void>[] = [];
  for (const [id, gone] of removals) {
    const row = dir.row(id);
    if (!row) continue;
    const next = without(row, gone);
    if (next.usccs.length === 0 || next.usccs.length * 2 < row.size) continue; // deleted or compacted
    jobs.push(sealDir(db, next).then((sealed) => void out.set(id, { open: next, sealed })));
  }
  await Promise.all(jobs);
  return out;
}

export async function applyRemovals(
  db: CacheDb,
  dir: Directory,
  removals: ReadonlyMap<number, ReadonlySet<string>>,
  writes: Promise<unknown>[],
  presealed: ReadonlyMap<number, PresealedDirRow> = new Map(),
): Promise<number> {
  // The rows come from the directory in memory, which the write transaction has checked against
  // the stored stamp: no read and no opening here, only the rows that change are sealed again.
  // Their puts and deletes are queued with the page's other writes, not awaited one by one: each
  // await inside the transaction is a round trip to IndexedDB, and a delta may touch many rows.
  for (const [id, gone] of removals) {
    const row = dir.row(id);
    if (!row) continue;
    const next = without(row, gone);
    if (next.usccs.length === 0) {
      writes.push(db.entDir.delete(id), db.entChunks.delete(id), db.entSearch.delete(id));
      dir.dropChunk(id);
      continue;
    }
    if (next.usccs.length * 2 >= row.size) {
      const pre = presealed.get(id);
      writes.push(db.entDir.put(pre && sameRow(pre.open, next) ? pre.sealed : sealDirSync(db, next)));
      dir.shrink(next);
      continue;
    }
    // Compaction: rewrite the chunk and its search row with the live records only.
    const [sealedChunk, sealedSearch] = await Promise.all([db.entChunks.get(id), db.entSearch.get(id)]);
    if (!sealedChunk || !sealedSearch) {
      writes.push(db.entDir.put(sealDirSync(db, next)));
      dir.shrink(next);
      continue;
    }
    const chunk = openChunkSync(db, sealedChunk);
    const search = openSearchSync(db, sealedSearch);
    const live = new Set(next.usccs);
    const positions = chunk.usccs.flatMap((u, i) => (live.has(u) ? [i] : []));
    const packed = keepPositions(chunk, search, positions);
    const compacted = { ...next, size: positions.length };
    writes.push(
      db.entChunks.put(sealChunkSync(db, packed.chunk)),
      db.entSearch.put(sealSearchSync(db, packed.search)),
      db.entDir.put(sealDirSync(db, compacted)),
    );
    dir.shrink(compacted);
  }
  return removals.size;
}

/** A 410 restart completed: every chunk of an older generation holds only records that left scope. */
export async function dropOldGenerations(db: CacheDb, dir: Directory, generation: number): Promise<void> {
  const old = dir.chunkIds().filter((id) => dir.generationOf(id) < generation);
  if (old.length === 0) return;
  // The in-memory directory knows which entries point into the old chunks: no need to open them.
  await Promise.all([db.entDir.bulkDelete(old), db.entChunks.bulkDelete(old), db.entSearch.bulkDelete(old)]);
  for (const id of old) dir.dropChunk(id);
}
