/**
 * Building the search index from search rows, in two passes: pass one (indexChunk) hashes a chunk's
 * keys and codes its columns once, as a sync commits it; pass two (assembleIndex) puts the indexed
 * chunks together in the directory's order, keeping only the live entries, and assembles the
 * posting lists and the USCC order.
 */
import type { EntDirRow, EntSearchRow } from '../../db/index.js';
import { CODE_COLUMNS, TEXT_COLUMNS, codePosition } from '../summary-columns.js';
import { arrayColumns, type Codes, type Columns, type TextKey } from './index-columns.js';
import {
  POS_ADDRESS,
  POS_NAME,
  assemblePostings,
  type DocKeys,
  type DocPart,
  type KeyCollector,
  type Postings,
} from './postings.js';
import { usccDigits, usccOrder } from './uscc-order.js';

/** Radix digits per USCC (uscc-order.ts). */
const DIGITS = 6;

/** Common prefix of every address in the station: indexing it would only make huge lists. */
const ADDRESS_NOISE = /^(山东省)?(威海市|烟台市)?/;

/** A chunk's search row with its pass-one keys and its coded columns, made once per chunk. */
export interface IndexedChunk {
  readonly row: EntSearchRow;
  readonly keys: DocKeys;
  readonly codes: Codes;
  /** The USCCs' radix digits (uscc-order.ts), or null when one is irregular. */
  readonly digits: Uint16Array | null;
}

/** The parts an index is assembled from (its derived figures are computed from the columns). */
export interface AssembledParts {
  readonly c: Columns;
  readonly postings: Postings;
  readonly byUscc: Uint32Array;
}

/** Pass one over a chunk's search row (done once per chunk, e.g. as a sync commits it). */
export function indexChunk(collector: KeyCollector, row: EntSearchRow): IndexedChunk {
  const keys = collector.collect(row.usccs.length, (i) => [
    [row.names[i]!, true, POS_NAME],
    [row.legalReps[i]!, false],
    [row.addresses[i]!.replace(ADDRESS_NOISE, ''), false, POS_ADDRESS],
  ]);
  const n = row.usccs.length;
  const codes = {} as Codes;
  for (const col of CODE_COLUMNS) {
    const stored = row[col.search];
    const at = new Uint8Array(n);
    // An unknown character reads as the column's first value (decode); '' colour matches no colour filter.
    for (let i = 0; i < n; i++) at[i] = Math.max(0, codePosition(col, col.decode(stored.charAt(i))));
    codes[col.search] = at;
  }
  return { row, keys, codes, digits: usccDigits(row.usccs) };
}

/**
 * Puts indexed chunks together, in the directory's order, keeping only the entries the
 * directory says are live in that chunk (an updated record lives on in its newest chunk only).
 */
export function assembleIndex(
  collector: KeyCollector,
  chunks: readonly { readonly chunk: IndexedChunk; readonly dir: EntDirRow }[],
): AssembledParts {
  // Which entries of each chunk are live (null: all of them, the usual case, copied in bulk).
  const takes = chunks.map(({ chunk: { row }, dir: d }) => {
    if (sameList(d.usccs, row.usccs)) return null;
    const alive = new Set(d.usccs);
    const take: number[] = [];
    row.usccs.forEach((u, i) => {
      if (alive.delete(u)) take.push(i); // a chunk never lists one USCC twice; guard anyway
    });
    return take;
  });
  let total = 0;
  chunks.forEach(({ chunk }, k) => {
    total += takes[k]?.length ?? chunk.row.usccs.length;
  });
  const text = {} as Record<TextKey, string[]>;
  const codes = {} as Codes;
  for (const col of TEXT_COLUMNS) text[col.search] = new Array<string>(total);
  for (const col of CODE_COLUMNS) codes[col.search] = new Uint8Array(total);
  const digits: Uint16Array | null = chunks.every(({ chunk }) => chunk.digits !== null)
    ? new Uint16Array(total * DIGITS)
    : null;
  let at = 0;
  const parts: DocPart[] = [];
  chunks.forEach(({ chunk }, k) => {
    const { row } = chunk;
    const take = takes[k] ?? null;
    const count = take === null ? row.usccs.length : take.length;
    if (digits !== null && take === null) digits.set(chunk.digits!, at * DIGITS);
    for (const col of TEXT_COLUMNS) {
      const from = row[col.search];
      const to = text[col.search];
      for (let j = 0; j < count; j++) to[at + j] = from[take === null ? j : take[j]!]!;
    }
    for (const col of CODE_COLUMNS) {
      const from = chunk.codes[col.search];
      const to = codes[col.search];
      if (take === null) to.set(from, at);
      else for (let j = 0; j < count; j++) to[at + j] = from[take[j]!]!;
    }
    if (digits !== null && take !== null)
      for (let j = 0; j < count; j++) {
        const i = take[j]!;
        digits.set(chunk.digits!.subarray(i * DIGITS, (i + 1) * DIGITS), (at + j) * DIGITS);
      }
    at += count;
    parts.push({ keys: chunk.keys, take });
  });
  const c: Columns = { text: arrayColumns(text), codes };
  return { c, postings: assemblePostings(collector.table, parts), byUscc: usccOrder(text.usccs, digits) };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
