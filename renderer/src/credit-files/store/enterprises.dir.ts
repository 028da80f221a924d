/**
 * The in-memory directory of the packed layout (uscc → chunk and version), rebuilt from the entDir
 * rows whenever the stored stamp moved, and the two directory-changing steps of a page write:
 * dropping superseded or tombstoned entries from their old chunks (compacting a chunk once most of
 * it is stale), and dropping older generations when a 410 restart completes.
 */
import type { CacheDb } from '../../db/databases.js';
import type { EntDirRow } from './enterprises.rows.js';
import { keepPositions } from './enterprises.pack.js';
import {
  openChunkSync,
  openDirSync,
  openSearchSync,
  sealChunkSync,
  sealDirSync,
  sealSearchSync,
} from './enterprises.store.js';

export class Directory {
  stamp = -1;
  loaded = false;
  readonly loc = new Map<string, { chunk: number; version: number }>();
  private readonly gens = new Map<number, number>();

  load(stamp: number, rows: readonly EntDirRow[]): void {
    this.loc.clear();
    this.gens.clear();
    for (const row of rows) this.addChunk(row);
    this.stamp = stamp;
    this.loaded = true;
  }

  addChunk(row: EntDirRow): void {
    this.gens.set(row.id, row.generation);
    row.usccs.forEach((u, i) => this.loc.set(u, { chunk: row.id, version: row.versions[i]! }));
  }

  dropChunk(id: number): void {
    this.gens.delete(id);
  }

  generationOf(chunk: number): number {
    return this.gens.get(chunk) ?? -1;
  }

  chunkIds(): number[] {
    return [...this.gens.keys()];
  }

  invalidate(): void {
    this.loaded = false;
    this.stamp = -1;
  }
}

/**
 * Removes entries from their chunks' dir rows; empty chunks are deleted, mostly-stale ones compacted.
 * Runs inside the page's write transaction, so rows are opened and sealed with the synchronous engine.
 */
export async function applyRemovals(
  db: CacheDb,
  dir: Directory,
  removals: ReadonlyMap<number, ReadonlySet<string>>,
): Promise<void> {
  if (removals.size === 0) return;
  const ids = [...removals.keys()];
  const sealedRows = await db.entDir.bulkGet(ids);
  for (const [k, sealedRow] of sealedRows.entries()) {
    const id = ids[k]!;
    const row = sealedRow ? openDirSync(db, sealedRow) : undefined;
    const gone = removals.get(id)!;
    for (const u of gone) dir.loc.delete(u);
    if (!row) continue;
    const keep = row.usccs.flatMap((u, i) => (gone.has(u) ? [] : [i]));
    if (keep.length === 0) {
      await Promise.all([db.entDir.delete(id), db.entChunks.delete(id), db.entSearch.delete(id)]);
      dir.dropChunk(id);
      continue;
    }
    const next: EntDirRow = {
      ...row,
      usccs: keep.map((i) => row.usccs[i]!),
      versions: keep.map((i) => row.versions[i]!),
    };
    if (next.usccs.length * 2 >= row.size) {
      await db.entDir.put(sealDirSync(db, next));
      continue;
    }
    // Compaction: rewrite the chunk and its search row with the live records only.
    const [sealedChunk, sealedSearch] = await Promise.all([db.entChunks.get(id), db.entSearch.get(id)]);
    if (!sealedChunk || !sealedSearch) {
      await db.entDir.put(sealDirSync(db, next));
      continue;
    }
    const chunk = openChunkSync(db, sealedChunk);
    const search = openSearchSync(db, sealedSearch);
    const live = new Set(next.usccs);
    const positions = chunk.usccs.flatMap((u, i) => (live.has(u) ? [i] : []));
    const packed = keepPositions(chunk, search, positions);
    await Promise.all([
      db.entChunks.put(sealChunkSync(db, packed.chunk)),
      db.entSearch.put(sealSearchSync(db, packed.search)),
      db.entDir.put(sealDirSync(db, { ...next, size: positions.length })),
    ]);
  }
}

/** A 410 restart completed: every chunk of an older generation holds only records that left scope. */
export async function dropOldGenerations(db: CacheDb, dir: Directory, generation: number): Promise<void> {
  const old = dir.chunkIds().filter((id) => dir.generationOf(id) < generation);
  if (old.length === 0) return;
  // The in-memory directory knows which entries point into the old chunks: no need to open them.
  const gone = new Set(old);
  for (const [u, at] of dir.loc) if (gone.has(at.chunk)) dir.loc.delete(u);
  await Promise.all([db.entDir.bulkDelete(old), db.entChunks.bulkDelete(old), db.entSearch.bulkDelete(old)]);
  for (const id of old) dir.dropChunk(id);
}
