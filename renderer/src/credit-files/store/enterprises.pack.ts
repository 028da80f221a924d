/**
 * Pure helpers of the packed credit-file layout: the summary of a validated record (all the
 * pipeline keeps of it after validation), search columns, chunking into one byte string, and
 * decoding a stored record (the change line as received) back into a domain Enterprise with the
 * shared schema (so records stored before an additive schema change still read correctly).
 */
import { ENTERPRISE_STATUSES, EnterpriseSchema, type Enterprise } from '../../../../shared/protocol/index.js';
import type { WarningColor } from '../../../../shared/domain/credit.js';
import { chunkRecords, type EntChunkRow, type EntDirRow, type EntSearchRow } from './enterprises.rows.js';

export const CHUNK_SIZE = 1000;

export const COLOR_CODES: Readonly<Record<WarningColor, string>> = { red: 'r', orange: 'o', blue: 'b', green: 'g' };
export const COLOR_BY_CODE: Readonly<Record<string, WarningColor>> = { r: 'red', o: 'orange', b: 'blue', g: 'green' };
/** An enterprise outside the fields that use the four-colour warning has no colour: one character, like the others. */
export const NO_COLOR_CODE = '-';

/**
 * What the download keeps of a validated record: the fields the directory and the search columns
 * need. The full record lives on only as its bytes, so the parsed object tree dies young (cheap
 * for the garbage collector) and a page can cross between threads without cloning whole records.
 */
export type EnterpriseSummary = Pick<
  Enterprise,
  'uscc' | 'version' | 'name' | 'legalRep' | 'address' | 'region' | 'status'
> & {
  readonly internal: Pick<Enterprise['internal'], 'creditClass' | 'warningColor'>;
};

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

export function statusCode(status: EnterpriseSummary['status']): string {
  return String(ENTERPRISE_STATUSES.indexOf(status));
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

/** The search and directory rows of a chunk's records. */
export function packColumns(
  id: number,
  generation: number,
  records: readonly PackedRecord[],
): { search: EntSearchRow; dir: EntDirRow } {
  const usccs = records.map((r) => r.enterprise.uscc);
  const search: EntSearchRow = {
    id,
    generation,
    usccs,
    names: records.map((r) => r.enterprise.name),
    legalReps: records.map((r) => r.enterprise.legalRep),
    addresses: records.map((r) => r.enterprise.address),
    regions: records.map((r) => r.enterprise.region),
    classes: records.map((r) => r.enterprise.internal.creditClass).join(''),
    colors: records
      .map((r) =>
        r.enterprise.internal.warningColor ? COLOR_CODES[r.enterprise.internal.warningColor] : NO_COLOR_CODE,
      )
      .join(''),
    statuses: records.map((r) => statusCode(r.enterprise.status)).join(''),
  };
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
      ...search,
      usccs: pick(search.usccs),
      names: pick(search.names),
      legalReps: pick(search.legalReps),
      addresses: pick(search.addresses),
      regions: pick(search.regions),
      classes: pickStr(search.classes),
      colors: pickStr(search.colors),
      statuses: pickStr(search.statuses),
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

export function parseChunkPlain(id: number, generation: number, plain: Uint8Array): EntChunkRow {
  const nl = plain.indexOf(10);
  if (nl < 0) throw new Error(`企业档案分块 ${id} 的内容不完整`);
  const head = utf8Decoder.decode(plain.subarray(0, nl));
  return { id, generation, usccs: head === '' ? [] : head.split(','), bytes: plain.subarray(nl + 1) };
}

export function searchPlain(row: EntSearchRow): unknown {
  return [row.usccs, row.names, row.legalReps, row.addresses, row.regions, row.classes, row.colors, row.statuses];
}

export function parseSearchPlain(id: number, generation: number, value: unknown): EntSearchRow {
  if (!Array.isArray(value) || value.length !== 8) throw new Error(`企业检索分块 ${id} 的内容格式不正确`);
  const [usccs, names, legalReps, addresses, regions, classes, colors, statuses] = value as [
    string[],
    string[],
    string[],
    string[],
    string[],
    string,
    string,
    string,
  ];
  return { id, generation, usccs, names, legalReps, addresses, regions, classes, colors, statuses };
}

export function dirPlain(usccs: readonly string[], versions: readonly number[]): unknown {
  return [usccs, versions];
}

export function parseDirPlain(id: number, generation: number, size: number, value: unknown): EntDirRow {
  if (!Array.isArray(value) || value.length !== 2) throw new Error(`企业目录分块 ${id} 的内容格式不正确`);
  const [usccs, versions] = value as [string[], number[]];
  return { id, generation, size, usccs, versions };
}
