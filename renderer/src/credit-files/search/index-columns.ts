/**
 * What the search index is made of: its copy of the summary columns (summary-columns.ts), one entry
 * per live record, the per-document figures derived from them, and the view the queries read. The
 * builder (index-assembly.ts) makes these, the queries (one-term-scan.ts, term-candidates.ts) read
 * them, and the index image (index-image.ts) writes and reads them back.
 */
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import { TEXT_COLUMNS, type CodeSummaryColumn, type TextSummaryColumn } from '../summary-columns.js';
import type { Postings, PostingsImage } from './postings.js';
import { ArrayText, type TextColumn } from './text-column.js';

export type TextKey = TextSummaryColumn['search'];
export type CodeKey = CodeSummaryColumn['search'];

/** Each code column as positions in its column's `values` (one byte per record). */
export type Codes = Record<CodeKey, Uint8Array>;

/** The index's copy of the summary columns (from summary-columns.ts), one entry per live record. */
export interface Columns {
  readonly text: Record<TextKey, TextColumn>;
  readonly codes: Codes;
}

/** Per-document figures derived from the columns (kept in the image so a load need not read the text). */
export interface Derived {
  /** Each name's length (saturating), to score a name match without reading the name. */
  readonly nameLen: Uint16Array;
  /** The part of a name match's score that depends on the document only: -min(length, 60), +5 when 存续. */
  readonly nameBase: Int16Array;
  /** The index's distinct regions, and each document's as a position in them (for the region filter). */
  readonly regionNames: readonly string[];
  readonly regionOf: Uint32Array;
}

/**
 * What an index is made of, all of it needed to answer: the columns, the USCC order and the posting
 * lists. Everything else the index keeps is derived from these in one pass over the documents.
 */
export interface IndexImage {
  readonly text: Record<TextKey, TextColumn>;
  readonly codes: Codes;
  readonly byUscc: Uint32Array;
  readonly postings: PostingsImage;
  readonly derived: Derived;
}

/** What a text query reads: the columns, the posting lists, the USCC order and the name figures. */
export interface IndexView {
  readonly c: Columns;
  readonly postings: Postings;
  /** The documents in USCC order (lexicographic, so a prefix's documents are one range of it). */
  readonly byUscc: Uint32Array;
  readonly nameLen: Uint16Array;
  readonly nameBase: Int16Array;
}

export function arrayColumns(text: Record<TextKey, readonly string[]>): Record<TextKey, TextColumn> {
  const out = {} as Record<TextKey, TextColumn>;
  for (const col of TEXT_COLUMNS) out[col.search] = new ArrayText(text[col.search]);
  return out;
}

/** The per-document figures of `derive` (Derived), from the columns. */
export function derive(c: Columns): Derived {
  const n = c.text.names.length;
  const nameLen = new Uint16Array(n);
  const nameBase = new Int16Array(n);
  const regionOf = new Uint32Array(n);
  const regionNames: string[] = [];
  const regionAt = new Map<string, number>();
  for (let d = 0; d < n; d++) {
    const r = c.text.regions.get(d);
    let at = regionAt.get(r);
    if (at === undefined) {
      at = regionNames.length;
      regionAt.set(r, at);
      regionNames.push(r);
    }
    regionOf[d] = at;
  }
  const alive = ENTERPRISE_STATUSES.indexOf('存续');
  for (let d = 0; d < n; d++) {
    const len = c.text.names.get(d).length;
    nameLen[d] = Math.min(len, 0xffff);
    nameBase[d] = -Math.min(len, 60) + (c.codes.statuses[d] === alive ? 5 : 0);
  }
  return { nameLen, nameBase, regionNames, regionOf };
}
