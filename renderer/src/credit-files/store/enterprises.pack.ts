/**
 * Pure helpers of the packed credit-file layout: the summary of a validated record (all the
 * pipeline keeps of it after validation), search columns, chunking into one byte string, and
 * decoding a stored record (the change line as received) back into a domain Enterprise with the
 * shared schema (so records stored before an additive schema change still read correctly).
 */
import { EnterpriseSchema, type Enterprise } from '../../../../shared/protocol/index.js';
import {
  SUMMARY_COLUMNS,
  type EnterpriseSummary,
  type SummaryColumn,
  type SummarySearchColumns,
} from '../summary-columns.js';
import { chunkRecords, type EntChunkRow, type EntDirRow, type EntSearchRow } from './enterprises.rows.js';

export type { EnterpriseSummary } from '../summary-columns.js';

export const CHUNK_SIZE = 1000;
/**
 * Most records a chunk takes when it keeps a snapshot member's gzip bytes (see sealPageChunks).
 * Reading one record of such a chunk decompresses the whole member (a task list reads one record
 * each from many chunks), and a compaction rewrites it whole; a larger member is cut into
 * CHUNK_SIZE chunks of plain lines instead.
 */
export const MEMBER_CHUNK_MAX = 2 * CHUNK_SIZE;

export type SummaryChange =
  | { readonly kind: 'upsert'; readonly seq: number; readonly enterprise: EnterpriseSummary }
  | { readonly kind: 'tombstone'; readonly seq: number; readonly uscc: string };

/** A validated upsert ready to pack: its summary and its stored form (the line's bytes, or a JSON text). */
export interface PackedRecord {
  readonly enterprise: EnterpriseSummary;
  readonly raw: Uint8Array | string;
}

const utf8 = new TextEncoder();

/** The records' bytes joined by '\n' into one exactly-sized buffer (an IndexedDB value of its own). */
export function joinRecords(raws: readonly (Uint8Array | string)[]): Uint8Array {
  return joinAfter(null, raws);
}

/** `head` + '\n' + the records joined by '\n', in one buffer (head null: the records alone). */
function joinAfter(head: Uint8Array | null, raws: readonly (Uint8Array | string)[]): Uint8Array {
  const parts = raws.map((r) => (typeof r === 'string' ? utf8.encode(r) : r));
  let size = Math.max(0, parts.length - 1) + (head ? head.byteLength + 1 : 0);
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  if (head) {
    out.set(head, 0);
    out[head.byteLength] = 10;
    at = head.byteLength + 1;
  }
  parts.forEach((p, i) => {
    if (i > 0) out[at++] = 10;
    out.set(p, at);
    at += p.byteLength;
  });
  return out;
}

export function packChunk(
  id: number,
  generation: number,
  records: readonly PackedRecord[],
): { chunk: EntChunkRow; search: EntSearchRow; dir: EntDirRow } {
  const { search, dir } = packColumns(id, generation, records);
  const chunk: EntChunkRow = { id, generation, usccs: dir.usccs, bytes: joinRecords(records.map((r) => r.raw)) };
  return { chunk, search, dir };
}

/** A chunk's plaintext straight from its records (one copy of their bytes): see chunkPlain. */
export function chunkPlainOf(records: readonly PackedRecord[]): Uint8Array {
  return joinAfter(
    utf8.encode(records.map((r) => r.enterprise.uscc).join(',')),
    records.map((r) => r.raw),
  );
}

/** A chunk's plaintext keeping its records as the gzip member they came in (see chunkPlain). */
export function chunkPlainOfMember(records: readonly PackedRecord[], member: Uint8Array): Uint8Array {
  return chunkPlain(
    records.map((r) => r.enterprise.uscc),
    member,
  );
}

/** The search and directory rows of a chunk's records. */
export function packColumns(
  id: number,
  generation: number,
  records: readonly PackedRecord[],
): { search: EntSearchRow; dir: EntDirRow } {
  const usccs = records.map((r) => r.enterprise.uscc);
  const columns = searchColumns((c) => {
    if (c.kind === 'text') return c.field === 'uscc' ? usccs : records.map((r) => c.read(r.enterprise));
    return records.map((r) => c.code(c.read(r.enterprise))).join('');
  });
  const search: EntSearchRow = { id, generation, ...columns };
  const dir: EntDirRow = {
    id,
    generation,
    size: records.length,
    usccs,
    versions: records.map((r) => r.enterprise.version),
  };
  return { search, dir };
}

/** Keeps only the entries at the given positions (compaction of a chunk's stale copies). */
export function keepPositions(
  chunk: EntChunkRow,
  search: EntSearchRow,
  keep: readonly number[],
): { chunk: EntChunkRow; search: EntSearchRow } {
  const pick = <T>(xs: readonly T[]): T[] => keep.map((i) => xs[i]!);
  const pickStr = (s: string): string => keep.map((i) => s.charAt(i)).join('');
  return {
    chunk: {
      id: chunk.id,
      generation: chunk.generation,
      usccs: pick(chunk.usccs),
      bytes: joinRecords(pick(chunkRecords(chunk))),
    },
    search: {
      id: search.id,
      generation: search.generation,
      ...searchColumns((c) => (c.kind === 'text' ? pick(search[c.search]) : pickStr(search[c.search]))),
    },
  };
}

/** Stored text → Enterprise (null if the text no longer satisfies the schema). */
export function decodeRecord(text: string): Enterprise | null {
  const value = JSON.parse(text) as unknown;
  const record =
    value && typeof value === 'object' && 'enterprise' in value ? (value as { enterprise: unknown }).enterprise : value;
  const parsed = EnterpriseSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}

// Plaintexts of the sealed rows (cache v3). USCCs are 18 characters of [0-9A-Z]: never ',' or '\n'.

const utf8Decoder = new TextDecoder();

/** A chunk's plaintext: its USCCs on the first line, then the records' lines. */
export function chunkPlain(usccs: readonly string[], recordBytes: Uint8Array): Uint8Array {
  const head = utf8.encode(usccs.join(','));
  const out = new Uint8Array(head.byteLength + 1 + recordBytes.byteLength);
  out.set(head, 0);
  out[head.byteLength] = 10;
  out.set(recordBytes, head.byteLength + 1);
  return out;
}

/**
 * Whether a chunk's record bytes are a gzip member (a snapshot member kept as it came) rather than
 * the lines themselves: a JSON line starts with '{', never with gzip's magic bytes 1f 8b.
 */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function parseChunkPlain(id: number, generation: number, plain: Uint8Array): EntChunkRow {
  const nl = plain.indexOf(10);
  if (nl < 0) throw new Error(`企业档案分块 ${id} 的内容不完整`);
  const head = utf8Decoder.decode(plain.subarray(0, nl));
  const usccs = head === '' ? [] : head.split(',');
  const rest = plain.subarray(nl + 1);
  return isGzip(rest) ? { id, generation, usccs, gz: rest } : { id, generation, usccs, bytes: rest };
}

/**
 * A chunk's search columns, each made by `make` (an array for a text column, one string of codes
 * for a code column). The one place that turns the column list into a search row's shape.
 */
function searchColumns(make: (c: SummaryColumn) => readonly string[] | string): SummarySearchColumns {
  const out: Record<string, readonly string[] | string> = {};
  for (const c of SUMMARY_COLUMNS) out[c.search] = make(c);
  return out as unknown as SummarySearchColumns;
}

/** A search row's plaintext: its columns by position, in the declared order. */
export function searchPlain(row: EntSearchRow): unknown {
  return SUMMARY_COLUMNS.map((c) => row[c.search]);
}

export function parseSearchPlain(id: number, generation: number, value: unknown): EntSearchRow {
  const fail = () => new Error(`企业检索分块 ${id} 的内容格式不正确`);
  if (!Array.isArray(value) || value.length !== SUMMARY_COLUMNS.length) throw fail();
  const columns = searchColumns((c) => {
    const v: unknown = value[SUMMARY_COLUMNS.indexOf(c)];
    if (c.kind === 'code') {
      if (typeof v !== 'string') throw fail();
      return v;
    }
    if (!Array.isArray(v)) throw fail();
    return v as string[];
  });
  return { id, generation, ...columns };
}

export function dirPlain(usccs: readonly string[], versions: readonly number[]): unknown {
  return [usccs, versions];
}

export function parseDirPlain(id: number, generation: number, size: number, value: unknown): EntDirRow {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`企业目录分块 ${id} 的内容格式不正确`);
  const [usccs, versions] = value as [string[], number[]];
  return { id, generation, size, usccs, versions };
}
