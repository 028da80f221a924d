/**
 * The credit-file tables as the repository sees them: opened rows in, sealed rows out. Every
 * method names its engine: `*Sync` (noble) for use inside a write transaction, the others
 * (WebCrypto) for reads outside one. The key comes from the database object (CacheDb.cacheKey),
 * so every repository of one connection follows the key the vault hands over; with none, nothing
 * is read or written (VaultLockedError), never a clear-text fallback.
 */
import { VaultLockedError } from '../../vault/index.js';
import type { CacheDb } from '../../db/databases.js';
import type { QuarantineRow } from '../../db/rows.js';
import {
  chunkPlain,
  dirPlain,
  joinRecords,
  parseChunkPlain,
  parseDirPlain,
  parseSearchPlain,
  searchPlain,
} from './enterprises.pack.js';
import type {
  EntChunkRow,
  EntDirRow,
  EntLogRow,
  EntSearchRow,
  SealedChunkRow,
  SealedDirRow,
  SealedLogRow,
  SealedSearchRow,
} from './enterprises.rows.js';
import { chunkRecords } from './enterprises.rows.js';
import { gunzip } from './gzip.js';
import {
  bytesJson,
  jsonBytes,
  openCache,
  openCacheAsync,
  sealCache,
  sealCacheAsync,
  type CacheKey,
} from './enterprises.seal.js';

/** A quarantined line as stored: its key, stream and time in clear (listed and ordered), the rest sealed. */
export interface StoredQuarantineRow {
  readonly key: string;
  readonly stream: QuarantineRow['stream'];
  readonly at: string;
  /** Sealed JSON [reason, raw]: the raw line is record text. */
  readonly sealed: Uint8Array;
}

export function cacheKeyOf(db: CacheDb): CacheKey {
  const key = db.cacheKey;
  if (!key) throw new VaultLockedError('企业档案缓存');
  return key;
}

export function sealChunkSync(db: CacheDb, row: EntChunkRow): SealedChunkRow {
  const bytes = row.bytes ?? row.gz ?? joinRecords(chunkRecords(row));
  return {
    id: row.id,
    generation: row.generation,
    sealed: sealCache(cacheKeyOf(db), db.name, 'entChunks', row.id, chunkPlain(row.usccs, bytes)),
  };
}

export function sealSearchSync(db: CacheDb, row: EntSearchRow): SealedSearchRow {
  const plain = jsonBytes(searchPlain(row));
  return {
    id: row.id,
    generation: row.generation,
    sealed: sealCache(cacheKeyOf(db), db.name, 'entSearch', row.id, plain),
  };
}

export function sealDirSync(db: CacheDb, row: EntDirRow): SealedDirRow {
  const plain = jsonBytes(dirPlain(row.usccs, row.versions));
  return {
    id: row.id,
    generation: row.generation,
    size: row.size,
    sealed: sealCache(cacheKeyOf(db), db.name, 'entDir', row.id, plain),
  };
}

/** The same row sealed with WebCrypto (outside a transaction: off this thread, much faster than noble). */
export async function sealDir(db: CacheDb, row: EntDirRow): Promise<SealedDirRow> {
  const plain = jsonBytes(dirPlain(row.usccs, row.versions));
  return {
    id: row.id,
    generation: row.generation,
    size: row.size,
    sealed: await sealCacheAsync(cacheKeyOf(db), db.name, 'entDir', row.id, plain),
  };
}

export function openChunkSync(db: CacheDb, row: SealedChunkRow): EntChunkRow {
  return parseChunkPlain(row.id, row.generation, openCache(cacheKeyOf(db), db.name, 'entChunks', row.id, row.sealed));
}

export function openSearchSync(db: CacheDb, row: SealedSearchRow): EntSearchRow {
  const plain = openCache(cacheKeyOf(db), db.name, 'entSearch', row.id, row.sealed);
  return parseSearchPlain(row.id, row.generation, bytesJson(plain));
}

export function openDirSync(db: CacheDb, row: SealedDirRow): EntDirRow {
  const plain = openCache(cacheKeyOf(db), db.name, 'entDir', row.id, row.sealed);
  return parseDirPlain(row.id, row.generation, row.size, bytesJson(plain));
}

/**
 * A chunk opened off the write path (a record read): a chunk kept as its gzip member is inflated
 * here by the platform's decoder, which needs no warm-up (the synchronous one in chunkRecords, for
 * compaction inside a transaction, is JavaScript: tens of ms on its first call in a thread).
 */
export async function openChunk(db: CacheDb, row: SealedChunkRow): Promise<EntChunkRow> {
  const plain = await openCacheAsync(cacheKeyOf(db), db.name, 'entChunks', row.id, row.sealed);
  const chunk = parseChunkPlain(row.id, row.generation, plain);
  if (chunk.gz === undefined) return chunk;
  const inflated = await gunzip(chunk.gz).catch(() => {
    throw new Error(`企业档案分块 ${row.id} 的压缩内容已损坏`);
  });
  return { ...chunk, inflated };
}

export async function openSearch(db: CacheDb, row: SealedSearchRow): Promise<EntSearchRow> {
  const plain = await openCacheAsync(cacheKeyOf(db), db.name, 'entSearch', row.id, row.sealed);
  return parseSearchPlain(row.id, row.generation, bytesJson(plain));
}

export async function openDir(db: CacheDb, row: SealedDirRow): Promise<EntDirRow> {
  const plain = await openCacheAsync(cacheKeyOf(db), db.name, 'entDir', row.id, row.sealed);
  return parseDirPlain(row.id, row.generation, row.size, bytesJson(plain));
}

export function sealLogSync(db: CacheDb, row: EntLogRow): SealedLogRow {
  const plain = jsonBytes([row.removed, row.reset]);
  return { stamp: row.stamp, sealed: sealCache(cacheKeyOf(db), db.name, 'entLog', row.stamp, plain) };
}

/** A log entry opened; anything not shaped as one is refused (the reader then rebuilds from the directory). */
export async function openLog(db: CacheDb, row: SealedLogRow): Promise<EntLogRow> {
  const value = bytesJson(await openCacheAsync(cacheKeyOf(db), db.name, 'entLog', row.stamp, row.sealed));
  const bad = () => new Error(`企业档案变更记录 ${row.stamp} 的内容格式不正确`);
  if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'boolean' || !Array.isArray(value[0]))
    throw bad();
  for (const entry of value[0] as unknown[])
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      !Number.isInteger(entry[0]) ||
      !Array.isArray(entry[1]) ||
      !(entry[1] as unknown[]).every((u) => typeof u === 'string')
    )
      throw bad();
  return { stamp: row.stamp, removed: value[0] as EntLogRow['removed'], reset: value[1] };
}

export function sealQuarantineSync(db: CacheDb, row: QuarantineRow): StoredQuarantineRow {
  const plain = jsonBytes([row.reason, row.raw]);
  return {
    key: row.key,
    stream: row.stream,
    at: row.at,
    sealed: sealCache(cacheKeyOf(db), db.name, 'quarantine', row.key, plain),
  };
}

export async function openQuarantine(db: CacheDb, row: StoredQuarantineRow): Promise<QuarantineRow> {
  const [reason, raw] = bytesJson(await openCacheAsync(cacheKeyOf(db), db.name, 'quarantine', row.key, row.sealed)) as [
    string,
    string,
  ];
  return { key: row.key, stream: row.stream, at: row.at, reason, raw };
}
