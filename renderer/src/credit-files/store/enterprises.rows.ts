/**
 * Rows of the packed credit-file layout (cache DB v2; sealed since v3, see the end of this file). Records are packed ~1,000 per chunk
 * row, never one row per enterprise: IndexedDB's cost is per row, so packing is what makes a
 * 200,000-record station download at tens of thousands of records a second.
 *  - entChunks: the records' JSON (the feed's change lines as received, UTF-8), keyed by chunk id;
 *  - entSearch: the same chunk's compact search columns (name, legal rep, address, region, class…);
 *  - entDir:    which USCCs of the chunk are live, with their versions. It is authoritative: an
 *               update appends the record to a new chunk and drops it from its old chunk's dir row,
 *               so stale copies inside older chunks are ignored (and compacted away later);
 *  - entMeta:   one summary row: live count, next chunk id, and a stamp bumped by every write so
 *               readers (the search worker, get()) know when their in-memory copies are stale.
 */
import { gunzipSync } from 'fflate';
import type { SummarySearchColumns } from '../summary-columns.js';

export interface EntChunkRow {
  readonly id: number;
  readonly generation: number;
  readonly usccs: readonly string[];
  /**
   * The records as ONE byte string: their JSON lines (upsert change lines `{"kind":"upsert",…}`)
   * exactly as the network delivered them, UTF-8, joined by '\n' (JSON text never holds a raw
   * newline). Keeping the wire bytes means no re-encoding on the way in, and half the bytes of a
   * UTF-16 string for IndexedDB to serialize (measured when the cache v2 layout was chosen).
   * Read with `chunkRecords`.
   */
  readonly bytes?: Uint8Array;
  /**
   * The records' lines as ONE gzip member, exactly the bytes of the snapshot member they came in
   * (see sealPageChunks): stored compressed, so a snapshot import seals and writes about a tenth of
   * the bytes (on the simulator's data), and the cache takes that much less disk. Read with `chunkRecords`.
   */
  readonly gz?: Uint8Array;
  /** `gz` already decompressed by an async reader (natively: openChunk); else chunkRecords inflates it. */
  readonly inflated?: Uint8Array;
  /** Rows written before the byte layout: the records as one string joined by '\n'. */
  readonly text?: string;
  /** Rows written before the single-string layout: one JSON text per record. */
  readonly records?: readonly string[];
}

/** A chunk's search columns (declared once in summary-columns.ts), one entry per record of the chunk. */
export type EntSearchRow = { readonly id: number; readonly generation: number } & SummarySearchColumns;

export interface EntDirRow {
  readonly id: number;
  readonly generation: number;
  /** Number of records physically in the chunk (live or not): drives compaction. */
  readonly size: number;
  readonly usccs: readonly string[];
  readonly versions: readonly number[];
}

export interface EntMetaRow {
  readonly key: 'summary';
  readonly count: number;
  readonly nextChunk: number;
  readonly stamp: number;
  /** A full download has completed (later pages are deltas); false again after a 410 restart. */
  readonly complete?: boolean;
}

const utf8 = new TextDecoder();

/** The records of a chunk row as JSON texts, whichever layout wrote it. */
export function chunkRecords(row: EntChunkRow): readonly string[] {
  if (row.gz !== undefined) return memberRecords(row);
  const text = row.bytes !== undefined ? utf8.decode(row.bytes) : row.text;
  return text !== undefined ? (text === '' ? [] : text.split('\n')) : (row.records ?? []);
}

/**
 * A gzip member's lines, skipping the lines the import skipped (empty, or a lone CR), so that line
 * k is the chunk's k-th USCC. A member that does not decompress, or holds another number of
 * lines, is refused: a record must never be read under another enterprise's USCC.
 */
function memberRecords(row: EntChunkRow): readonly string[] {
  let text: string;
  try {
    text = utf8.decode(row.inflated ?? gunzipSync(row.gz!));
  } catch {
    throw new Error(`企业档案分块 ${row.id} 的压缩内容已损坏`);
  }
  const lines = text.split('\n').filter((l) => l !== '' && l !== '\r');
  if (lines.length !== row.usccs.length)
    throw new Error(`企业档案分块 ${row.id} 的记录数（${lines.length}）与目录（${row.usccs.length}）不符`);
  return lines;
}

/**
 * What is stored (cache v3): every row above sealed under the station cache key (enterprises.seal.ts).
 * In clear only what IndexedDB must index or a reader needs before it can open anything: the chunk
 * id (primary key, also in the AAD), the generation (indexed: a finished 410 restart drops older
 * ones), a directory row's physical size (a count), and the summary row's counters and keyId.
 */
export interface SealedChunkRow {
  readonly id: number;
  readonly generation: number;
  /**
   * Sealed: the USCCs joined by ',' then '\n' then the records' lines as received, or the gzip
   * member a snapshot delivered them in (see chunkPlain, parseChunkPlain).
   */
  readonly sealed: Uint8Array;
}

export interface SealedSearchRow {
  readonly id: number;
  readonly generation: number;
  /** Sealed: the search columns as JSON (see searchPlain). */
  readonly sealed: Uint8Array;
}

export interface SealedDirRow {
  readonly id: number;
  readonly generation: number;
  readonly size: number;
  /** Sealed: the live USCCs and their versions as JSON (see dirPlain). */
  readonly sealed: Uint8Array;
}

export interface StoredMetaRow extends EntMetaRow {
  /** The station cache key every value of this database is sealed under (an id, not secret). */
  readonly keyId?: string;
  /** KEY_CHECK_PLAIN sealed under that key: tells a wrong key from a missing row before any read. */
  readonly check?: Uint8Array;
}

/**
 * One entry of the change log (cache v6): what the page write that moved the store to `stamp` took
 * out of existing chunks (superseded or tombstoned records, by chunk), and whether it changed the
 * store in a way a log cannot describe (`reset`: a finished 410 restart dropped whole generations).
 * New records need no entry: they are in chunks numbered from the summary's old nextChunk on.
 */
export interface EntLogRow {
  readonly stamp: number;
  readonly removed: readonly (readonly [chunk: number, usccs: readonly string[]])[];
  readonly reset: boolean;
}

/**
 * How many stamps the change log keeps. A reader further behind than this (an index from days ago,
 * a whole download since) rebuilds from the directory, which it would do anyway for that much change.
 */
export const LOG_KEEP = 32;

/** A log entry as stored: the stamp in clear (its key), the rest sealed (USCCs are credit-file content). */
export interface SealedLogRow {
  readonly stamp: number;
  readonly sealed: Uint8Array;
}

export const EMPTY_ENT_META: EntMetaRow = { key: 'summary', count: 0, nextChunk: 1, stamp: 0 };
