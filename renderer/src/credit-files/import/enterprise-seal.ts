/**
 * Seals a prepared credit-file page for the cache, on the thread that prepared it (a feed worker),
 * so the pull worker's write transaction only stores bytes: WebCrypto cannot be awaited inside an
 * IndexedDB transaction (it would commit early), and the write thread is the busy one.
 *
 * The page's upserts are cut into chunks of CHUNK_SIZE in page order; chunk k gets the id
 * `chunkBase + k`, reserved by the pull for this page (the id is part of each value's AAD, so it
 * must be known before sealing). Each chunk yields three sealed values: the records' lines, the
 * search columns and the directory row for all of its records.
 */
import {
  CHUNK_SIZE,
  chunkPlainOf,
  dirPlain,
  jsonBytes,
  packColumns,
  sealCacheAsync,
  searchPlain,
  type CacheKey,
  type PackedRecord,
  type SealedPageChunk,
} from '../../db/index.js';
import type { PreparedPage } from './enterprise-prepare.js';

/** Where the sealed values will live and the key they are sealed under. */
export interface SealContext {
  readonly dbName: string;
  readonly key: CacheKey;
}

/** Chunk ids the pull reserves for one page of `limit` records. */
export function chunksPerPage(limit: number): number {
  return Math.max(1, Math.ceil(limit / CHUNK_SIZE));
}

export async function sealPageChunks(
  page: PreparedPage,
  ctx: SealContext,
  chunkBase: number,
  limit: number,
): Promise<SealedPageChunk[]> {
  const picks: { record: PackedRecord; index: number }[] = [];
  page.changes.forEach((change, index) => {
    const raw = page.raws[index];
    if (change.kind === 'upsert' && raw) picks.push({ record: { enterprise: change.enterprise, raw }, index });
  });
  const count = Math.ceil(picks.length / CHUNK_SIZE);
  if (count > chunksPerPage(limit))
    throw new Error(`企业档案分页的记录数（${picks.length}）超过了请求的上限（${limit}）`);
  const out: Promise<SealedPageChunk>[] = [];
  for (let k = 0; k < count; k++) {
    const slice = picks.slice(k * CHUNK_SIZE, (k + 1) * CHUNK_SIZE);
    const id = chunkBase + k;
    const records = slice.map((p) => p.record);
    const rows = packColumns(id, 0, records);
    out.push(
      Promise.all([
        sealCacheAsync(ctx.key, ctx.dbName, 'entChunks', id, chunkPlainOf(records)),
        sealCacheAsync(ctx.key, ctx.dbName, 'entSearch', id, jsonBytes(searchPlain(rows.search))),
        sealCacheAsync(ctx.key, ctx.dbName, 'entDir', id, jsonBytes(dirPlain(rows.dir.usccs, rows.dir.versions))),
      ]).then(([chunk, search, dir]) => ({
        id,
        keyId: ctx.key.keyId,
        changeIdx: slice.map((p) => p.index),
        chunk,
        search,
        dir,
      })),
    );
  }
  return Promise.all(out);
}
