/**
 * Pure helpers of the packed credit-file layout: search columns from validated records, chunking,
 * and decoding a stored record (the change line as received) back into a domain Enterprise with the
 * shared schema (so records stored before an additive schema change still read correctly).
 */
import { ENTERPRISE_STATUSES, EnterpriseSchema, type Enterprise } from '../../../../shared/protocol/index.js';
import type { WarningColor } from '../../../../shared/domain/credit.js';
import { chunkRecords, type EntChunkRow, type EntDirRow, type EntSearchRow } from './enterprises.rows.js';

export const CHUNK_SIZE = 1000;

export const COLOR_CODES: Readonly<Record<WarningColor, string>> = { red: 'r', orange: 'o', blue: 'b', green: 'g' };
export const COLOR_BY_CODE: Readonly<Record<string, WarningColor>> = { r: 'red', o: 'orange', b: 'blue', g: 'green' };

/** A validated upsert ready to pack: the record and its stored text. */
export interface PackedRecord {
  readonly enterprise: Enterprise;
  readonly text: string;
}

export function statusCode(status: Enterprise['status']): string {
  return String(ENTERPRISE_STATUSES.indexOf(status));
}

export function packChunk(id: number, generation: number, records: readonly PackedRecord[]): { chunk: EntChunkRow; search: EntSearchRow; dir: EntDirRow } {
  const usccs = records.map((r) => r.enterprise.uscc);
  const chunk: EntChunkRow = { id, generation, usccs, text: records.map((r) => r.text).join('\n') };
  const search: EntSearchRow = {
    id, generation, usccs,
    names: records.map((r) => r.enterprise.name),
    legalReps: records.map((r) => r.enterprise.legalRep),
    addresses: records.map((r) => r.enterprise.address),
    regions: records.map((r) => r.enterprise.region),
    classes: records.map((r) => r.enterprise.internal.creditClass).join(''),
    colors: records.map((r) => COLOR_CODES[r.enterprise.internal.warningColor]).join(''),
    statuses: records.map((r) => statusCode(r.enterprise.status)).join(''),
  };
  const dir: EntDirRow = { id, generation, size: records.length, usccs, versions: records.map((r) => r.enterprise.version) };
  return { chunk, search, dir };
}

/** Keeps only the entries at the given positions (compaction of a chunk's stale copies). */
export function keepPositions(chunk: EntChunkRow, search: EntSearchRow, keep: readonly number[]): { chunk: EntChunkRow; search: EntSearchRow } {
  const pick = <T>(xs: readonly T[]): T[] => keep.map((i) => xs[i]!);
  const pickStr = (s: string): string => keep.map((i) => s.charAt(i)).join('');
  return {
    chunk: { id: chunk.id, generation: chunk.generation, usccs: pick(chunk.usccs), text: pick(chunkRecords(chunk)).join('\n') },
    search: {
      ...search, usccs: pick(search.usccs), names: pick(search.names), legalReps: pick(search.legalReps), addresses: pick(search.addresses),
      regions: pick(search.regions), classes: pickStr(search.classes), colors: pickStr(search.colors), statuses: pickStr(search.statuses),
    },
  };
}

/** Stored text → Enterprise (null if the text no longer satisfies the schema). */
export function decodeRecord(text: string): Enterprise | null {
  const value = JSON.parse(text) as unknown;
  const record = value && typeof value === 'object' && 'enterprise' in value ? (value as { enterprise: unknown }).enterprise : value;
  const parsed = EnterpriseSchema.safeParse(record);
  return parsed.success ? parsed.data : null;
}
