/**
 * Seals a prepared credit-file page for the cache, on the thread that prepared it (a feed worker),
 * so the pull worker's write transaction only stores bytes: WebCrypto cannot be awaited inside an
 * IndexedDB transaction (it would commit early), and the write thread is the busy one.
 *
 * The page's upserts are cut into chunks of CHUNK_SIZE in page order; chunk k gets the id
 * `chunkBase + k`, reserved by the pull for this page (the id is part of each value's AAD, so it
 * must be known before sealing). Each chunk yields three sealed values: the records' lines, the
 * search columns and the directory row for all of its records. A snapshot member of good upserts
 * is one chunk instead, holding the member's gzip bytes (keepsMember).
 */
import {
  CHUNK_SIZE,
  MEMBER_CHUNK_MAX,
  chunkPlainOf,
  chunkPlainOfMember,
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

/**
 * Whether a page can be stored as the gzip member it came in: every line an upsert that passed
 * validation (a quarantined line must not be stored with the records), and few enough records for
 * one chunk.
 */
function keepsMember(page: PreparedPage, upserts: number): boolean {
  return upserts > 0 && upserts <= MEMBER_CHUNK_MAX && page.bad.length === 0 && upserts === page.lineCount;
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
  member?: Uint8Array,
): Promise<SealedPageChunk[]> {
  const picks: { record: PackedRecord; index: number }[] = [];
  page.changes.forEach((change, index) => {
    const raw = page.raws[index];
    if (change.kind === 'upsert' && raw) picks.push({ record: { enterprise: change.enterprise, raw }, index });
  });
  // A snapshot member whose every line is a good upsert is kept as it came, compressed: the lines
  // are the very records stored, in order, and the seal and the write then take about a tenth of the bytes.
  const whole = member !== undefined && keepsMember(page, picks.length);
  const size = whole ? picks.length : CHUNK_SIZE;
  const count = Math.ceil(picks.length / size);
  if (count > chunksPerPage(limit))
    throw new Error(`企业档案分页的记录数（${picks.length}）超过了请求的上限（${limit}）`);
  const out: Promise<SealedPageChunk>[] = [];
  for (let k = 0; k < count; k++) {
    const slice = picks.slice(k * size, (k + 1) * size);
    const id = chunkBase + k;
    const records = slice.map((p) => p.record);
    const rows = packColumns(id, 0, records);
    out.push(
      Promise.all([
        sealCacheAsync(
          ctx.key,
          ctx.dbName,
          'entChunks',
          id,
          whole ? chunkPlainOfMember(records, member) : chunkPlainOf(records),
        ),
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
