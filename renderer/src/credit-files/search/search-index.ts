/**
 * In-memory search over the compact search rows: character bigrams (and unigrams for one-character
 * queries) of name, legal representative and address → sorted posting lists in typed arrays, plus
 * a sorted USCC list for prefix lookups. Chinese names are searched by fragments (海润 from the
 * middle), so a substring index rather than a prefix index. Candidates from the posting lists are
 * verified with `includes`, filtered by class / colour / status / region, then ranked.
 */
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import type { EntDirRow, EntSearchRow } from '../../db/index.js';
import {
  CODE_COLUMNS,
  TEXT_COLUMNS,
  codePosition,
  flatSummary,
  type CodeSummaryColumn,
  type TextSummaryColumn,
} from '../summary-columns.js';
import type { MatchField, SearchAnswer, SearchFilters, SearchHit } from './types.js';
import {
  POS_ADDRESS,
  POS_ADDRESS_FAR,
  POS_NAME,
  POS_NAME_FAR,
  assemblePostings,
  intersect,
  postingsOf,
  type DocKeys,
  type DocPart,
  type KeyCollector,
  type Postings,
  type PostingsImage,
} from './postings.js';
import { joinKeys } from './key-join.js';
import { TopK } from './top-k.js';
import { groupByCode, groupedCount, type CodeGroups } from './code-groups.js';
import { ArrayText, PackedText, type TextColumn } from './text-column.js';
import { usccDigits, usccOrder } from './uscc-order.js';

/** Radix digits per USCC (uscc-order.ts). */
const DIGITS = 6;

const USCC_QUERY = /^[0-9A-HJ-NP-RTUW-Y]{2,18}$/;
/** Common prefix of every address in the station: indexing it would only make huge lists. */
const ADDRESS_NOISE = /^(山东省)?(威海市|烟台市)?/;

type TextKey = TextSummaryColumn['search'];
type CodeKey = CodeSummaryColumn['search'];
/** The asked filters as masks over their column's value positions (regions: the index's regions). */
interface FilterMasks {
  readonly classes: Uint8Array | null;
  readonly colors: Uint8Array | null;
  readonly statuses: Uint8Array | null;
  readonly regions: Uint8Array | null;
}

const FILTER_KEYS = ['classes', 'colors', 'statuses', 'regions'] as const;

/** Each code column as positions in its column's `values` (one byte per record). */
type Codes = Record<CodeKey, Uint8Array>;

/** A chunk's search row with its pass-one keys and its coded columns, made once per chunk. */
export interface IndexedChunk {
  readonly row: EntSearchRow;
  readonly keys: DocKeys;
  readonly codes: Codes;
  /** The USCCs' radix digits (uscc-order.ts), or null when one is irregular. */
  readonly digits: Uint16Array | null;
}

/** The index's copy of the summary columns (from summary-columns.ts), one entry per live record. */
interface Columns {
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

export class EnterpriseSearchIndex {
  private readonly nameLen: Uint16Array;
  private readonly nameBase: Int16Array;
  private readonly regionNames: readonly string[];
  private readonly regionOf: Uint32Array;
  /** Each document's place in USCC order: equal scores rank by USCC, compared as numbers. */
  private readonly usccRank: Uint32Array;
  /** The documents grouped by each filtered column, made when a filter-only query first needs it. */
  private readonly groups = new Map<keyof FilterMasks, CodeGroups>();

  private constructor(
    private readonly c: Columns,
    private readonly postings: Postings,
    private readonly byUscc: Uint32Array,
    private readonly derived: Derived = derive(c),
  ) {
    ({
      nameLen: this.nameLen,
      nameBase: this.nameBase,
      regionNames: this.regionNames,
      regionOf: this.regionOf,
    } = derived);
    this.usccRank = new Uint32Array(byUscc.length);
    for (let i = 0; i < byUscc.length; i++) this.usccRank[byUscc[i]!] = i;
  }

  get size(): number {
    return this.c.text.usccs.length;
  }

  /** The index's parts, shared (not copied): to write them to the index blobs. */
  image(): IndexImage {
    const { text, codes } = this.c;
    return { text, codes, byUscc: this.byUscc, postings: this.postings.image(), derived: this.derived };
  }

  /**
   * Turns up to `count` more documents of each packed text column into plain strings (an index
   * read from the blobs; see text-column.ts); true once nothing is left.
   */
  fillText(count: number): boolean {
    let done = true;
    for (const col of TEXT_COLUMNS) {
      const t = this.c.text[col.search];
      if (t instanceof PackedText && !t.fill(count)) done = false;
    }
    return done;
  }

  /** An index from its parts (e.g. read back from the index blobs): no hashing, no assembling. */
  static fromImage(img: IndexImage): EnterpriseSearchIndex {
    const n = img.text.usccs.length;
    const short = [
      ...TEXT_COLUMNS.filter((col) => img.text[col.search].length !== n).map((col) => col.search),
      ...CODE_COLUMNS.filter((col) => img.codes[col.search].length !== n).map((col) => col.search),
      ...(img.byUscc.length === n ? [] : ['byUscc']),
      ...(img.derived.nameLen.length === n && img.derived.nameBase.length === n && img.derived.regionOf.length === n
        ? []
        : ['derived']),
    ];
    if (short.length > 0) throw new RangeError(`search index image: ${short.join(', ')} not one entry per document`);
    const c = { text: img.text, codes: img.codes };
    return new EnterpriseSearchIndex(c, postingsOf(img.postings), img.byUscc, img.derived);
  }

  /** Pass one over a chunk's search row (done once per chunk, e.g. as a sync commits it). */
  static indexChunk(collector: KeyCollector, row: EntSearchRow): IndexedChunk {
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
  static assemble(
    collector: KeyCollector,
    chunks: readonly { readonly chunk: IndexedChunk; readonly dir: EntDirRow }[],
  ): EnterpriseSearchIndex {
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
    return new EnterpriseSearchIndex(c, assemblePostings(collector.table, parts), usccOrder(text.usccs, digits));
  }

  search(query: string, filters: SearchFilters = {}, limit = 50): SearchAnswer {
    const t0 = performance.now();
    const terms = query
      .trim()
      .split(/\s+/)
      .filter((t) => t.length > 0);
    const masks = this.filterMasks(filters);
    const pass = this.filterFn(masks);
    const rank = this.usccRank;
    const top = new TopK(limit, (a, b) => (rank[a]! < rank[b]! ? a : b));
    let total = 0;
    if (terms.length === 0) {
      if (pass === null) return { hits: [], total: 0, indexed: this.size, tookMs: performance.now() - t0 };
      // Only the documents of the most selective filter's wanted values are visited (in any order:
      // the top list's order does not depend on it); the other filters are tested on them.
      const { groups, wanted } = this.narrowest(masks);
      let floor = top.floor();
      for (let g = 0; g < wanted.length; g++) {
        if (wanted[g] !== 1) continue;
        for (let k = groups.start[g]!, end = groups.start[g + 1]!; k < end; k++) {
          const d = groups.docs[k]!;
          if (!pass(d)) continue;
          total += 1;
          const len = this.nameLen[d]! < 0xffff ? this.nameLen[d]! : this.c.text.names.get(d).length;
          const score = FILTER_SCORE - len;
          if (score >= floor && top.wants(d, score)) {
            top.offer(d, score);
            floor = top.floor();
          }
        }
      }
    } else if (terms.length === 1 && this.canScanOne(terms[0]!)) {
      total = this.scanOne(terms[0]!, pass, top);
    } else {
      const upper = terms.map((t) => t.toUpperCase());
      for (const d of this.candidates(terms)) {
        if (pass && !pass(d)) continue;
        const score = this.score(d, terms, upper);
        if (score > 0) {
          total += 1;
          top.offer(d, score);
        }
      }
    }
    const hits = top.sorted().map(([d, score]) => this.hit(d, fieldOf(score, d, terms, this.c)));
    return { hits, total, indexed: this.size, tookMs: performance.now() - t0 };
  }

  /** The USCCs starting with `prefix`: a range of byUscc (lexicographic order keeps a prefix's together). */
  private usccRange(prefix: string): [number, number] {
    const u = this.c.text.usccs;
    const find = (past: boolean) => {
      let lo = 0;
      let hi = this.byUscc.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const v = u.get(this.byUscc[mid]!);
        if (v < prefix || (past && v.startsWith(prefix))) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [find(false), find(true)];
  }

  /**
   * scanOne answers exactly what the general path does, provided a USCC prefix match is a candidate
   * (a USCC-shaped term): otherwise a prefix match counts only when the text lists offer it, which
   * the general path handles.
   */
  private canScanOne(term: string): boolean {
    const upper = term.toUpperCase();
    const [lo, hi] = this.usccRange(upper);
    return lo === hi || USCC_QUERY.test(upper);
  }

  /**
   * One term, without reading a string for most documents. USCC prefix matches outrank every
   * other match and tie among themselves, so they come straight from the USCC order (the first
   * `limit` 存续 ones, then the others). For the text matches, each key's first position in the
   * name tells where the term is in it when the positions follow one another (the first key's
   * first occurrence starts the term there, so no earlier occurrence exists): the score is then
   * exact from typed arrays. Only when the positions do not chain (the term is elsewhere, or only
   * in the legal representative or address) is the document read and verified. A one- or
   * two-character term matches every document its single list offers, so those are counted
   * without reading them unless their score could still enter the best `limit`.
   */
  private scanOne(term: string, pass: ((d: number) => boolean) | null, top: TopK): number {
    const upper = term.toUpperCase();
    const [lo, hi] = this.usccRange(upper);
    let total = 0;
    if (lo < hi) {
      const prefixScore = 3000 + upper.length;
      let alive = 0;
      let other = 0;
      for (let i = lo; i < hi; i++) {
        const d = this.byUscc[i]!;
        if (pass && !pass(d)) continue;
        total += 1;
        const score = this.score(d, [term], [upper]);
        if (score > prefixScore) {
          if (alive < top.k) top.offer(d, score);
          alive += 1;
          if (alive >= top.k && pass === null)
            return total + (hi - i - 1) + this.scanText(term, upper, pass, top, true);
        } else if (other < top.k) {
          top.offer(d, score);
          other += 1;
        }
      }
    }
    return total + this.scanText(term, upper, pass, top, lo < hi);
  }

  /** The text matches of one term (prefix matches excluded when `prefixSeen`: they were counted). */
  private scanText(
    term: string,
    upper: string,
    pass: ((d: number) => boolean) | null,
    top: TopK,
    prefixSeen: boolean,
  ): number {
    const lists = this.postings.keyLists(term);
    if (lists === null) return 0;
    const single = lists.length === 1;
    const len = term.length;
    const terms = [term];
    const uppers = [upper];
    const statuses = this.c.codes.statuses;
    const aliveCode = ENTERPRISE_STATUSES.indexOf('存续');
    const usccs = this.c.text.usccs;
    const { nameLen, nameBase } = this;
    let total = 0;
    const visit = (d: number, pos: Int32Array): void => {
      if (prefixSeen && usccs.get(d).startsWith(upper)) return;
      if (pass && !pass(d)) return;
      const at = pos[0]!;
      if (at < POS_NAME_FAR) {
        let chained = true;
        for (let i = 1; chained && i < pos.length; i++) chained = pos[i] === at + i && pos[i]! < POS_NAME_FAR;
        if (chained) {
          total += 1;
          const score = (at === 0 && nameLen[d] === len ? 2500 : 2100) - Math.min(at, 40) * 2 + nameBase[d]!;
          if (top.wants(d, score)) top.offer(d, score);
          return;
        }
      } else if (at >= POS_ADDRESS && at < POS_ADDRESS_FAR) {
        // Every key first in the address, one after the other: the term is in the address and,
        // its keys being in neither, not in the name nor the legal representative.
        let chained = true;
        for (let i = 1; chained && i < pos.length; i++) chained = pos[i] === at + i && pos[i]! < POS_ADDRESS_FAR;
        if (chained) {
          total += 1;
          const score = statuses[d] === aliveCode ? 805 : 800;
          if (top.wants(d, score)) top.offer(d, score);
          return;
        }
      }
      let notInName = false;
      for (let i = 0; i < pos.length; i++) if (pos[i]! > POS_NAME_FAR) notInName = true;
      // Not in the name (one key's whole list is a match: its own legal rep or address holds it).
      if (single && notInName && !top.accepts(REP_EXACT_MAX)) {
        total += 1;
        return;
      }
      const score = notInName ? this.repOrAddressScore(d, term) : this.score(d, terms, uppers);
      if (score > 0) {
        total += 1;
        top.offer(d, score);
      }
    };
    if (!single || prefixSeen) {
      joinKeys(lists, visit);
      return total;
    }
    // One list (a one- or two-character term): the common case of a short fragment whose list may
    // hold most of the station. The name and address matches are scored inline from typed arrays
    // against the best `limit`'s lowest score, without a call per document; the rest as above.
    const { docs, pos: at } = lists[0]!;
    const one = new Int32Array(1);
    let floor = top.floor();
    for (let k = 0; k < docs.length; k++) {
      const d = docs[k]!;
      if (pass && !pass(d)) continue;
      const p = at[k]!;
      let score: number;
      if (p < POS_NAME_FAR) score = (p === 0 && nameLen[d] === len ? 2500 : 2100) - Math.min(p, 40) * 2 + nameBase[d]!;
      else if (p >= POS_ADDRESS && p < POS_ADDRESS_FAR) score = statuses[d] === aliveCode ? 805 : 800;
      else {
        one[0] = p;
        visit(d, one);
        floor = top.floor();
        continue;
      }
      total += 1;
      if (score >= floor && top.wants(d, score)) {
        top.offer(d, score);
        floor = top.floor();
      }
    }
    return total;
  }

  /**
   * `score` for a term some key of which is not in the name (so neither is the term) and which is
   * no USCC prefix of the document: only the legal representative and the address can hold it.
   */
  private repOrAddressScore(d: number, term: string): number {
    const rep = this.c.text.legalReps.get(d);
    const s =
      rep === term
        ? 1500
        : term.length >= 2 && rep.includes(term)
          ? 1200
          : term.length >= 2 && this.c.text.addresses.get(d).includes(term)
            ? 800
            : 0;
    return s > 0 && ENTERPRISE_STATUSES[this.c.codes.statuses[d]!] === '存续' ? s + 5 : s;
  }

  /** Documents that may match every term (verified later by `score`). */
  private candidates(terms: readonly string[]): Iterable<number> {
    let acc: Uint32Array | null = null;
    for (const term of terms) {
      const docs = this.termDocs(term);
      acc = acc === null ? docs : intersect(acc, docs);
      if (acc.length === 0) break;
    }
    return acc ?? new Uint32Array(0);
  }

  private termDocs(term: string): Uint32Array {
    const upper = term.toUpperCase();
    const text = this.postings.lookup(term);
    if (!USCC_QUERY.test(upper)) return text;
    const prefix = this.usccPrefix(upper);
    return text.length === 0 ? prefix : union(text, prefix);
  }

  private usccPrefix(prefix: string): Uint32Array {
    const u = this.c.text.usccs;
    let lo = 0;
    let hi = this.byUscc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u.get(this.byUscc[mid]!) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.byUscc.length && u.get(this.byUscc[i]!).startsWith(prefix); i++)
      out.push(this.byUscc[i]!);
    return Uint32Array.from(out).sort();
  }

  /** 0 = no match; otherwise the sum of the terms' scores (see termScore). */
  private score(d: number, terms: readonly string[], upper: readonly string[]): number {
    let total = 0;
    for (let i = 0; i < terms.length; i++) {
      const r = termScore(this.c, d, terms[i]!, upper[i]!);
      if (r === 0) return 0;
      total += r;
    }
    return ENTERPRISE_STATUSES[this.c.codes.statuses[d]!] === '存续' ? total + 5 : total;
  }

  /**
   * Each filter as a mask over the positions in its column's values (regions: over the index's
   * distinct regions), so the test per document reads typed arrays only; null when not asked.
   */
  private filterMasks(f: SearchFilters): FilterMasks {
    const mask = (col: CodeSummaryColumn, wanted: readonly string[] | undefined): Uint8Array | null => {
      if (!wanted?.length) return null;
      const m = new Uint8Array(256);
      for (const w of wanted) {
        const at = codePosition(col, w);
        if (at >= 0) m[at] = 1;
      }
      return m;
    };
    const [classCol, colorCol, statusCol] = [columnOf('classes'), columnOf('colors'), columnOf('statuses')];
    const cls = mask(classCol, f.creditClasses);
    const colors = mask(colorCol, f.warningColors);
    const st = mask(statusCol, f.statuses);
    let regions: Uint8Array | null = null;
    if (f.regions?.length) {
      regions = new Uint8Array(this.regionNames.length);
      for (const r of f.regions) {
        const at = this.regionNames.indexOf(r);
        if (at >= 0) regions[at] = 1;
      }
    }
    return { classes: cls, colors, statuses: st, regions };
  }

  private filterFn({ classes: cls, colors, statuses: st, regions }: FilterMasks): ((d: number) => boolean) | null {
    if (!cls && !colors && !st && !regions) return null;
    const { classes, colors: colorCodes, statuses } = this.c.codes;
    const regionOf = this.regionOf;
    return (d) =>
      (!cls || cls[classes[d]!] === 1) &&
      (!colors || colors[colorCodes[d]!] === 1) &&
      (!st || st[statuses[d]!] === 1) &&
      (!regions || regions[regionOf[d]!] === 1);
  }

  /** The asked filter whose wanted values hold the fewest documents, with its groups (see code-groups.ts). */
  private narrowest(masks: FilterMasks): { groups: CodeGroups; wanted: Uint8Array } {
    let best: { groups: CodeGroups; wanted: Uint8Array } | null = null;
    let bestCount = Infinity;
    for (const key of FILTER_KEYS) {
      const wanted = masks[key];
      if (!wanted) continue;
      const groups = this.groupsOf(key);
      const count = groupedCount(groups, wanted);
      if (count < bestCount) {
        best = { groups, wanted };
        bestCount = count;
      }
    }
    if (!best) throw new Error('narrowest: no filter asked');
    return best;
  }

  /**
   * Groups the documents by every filterable column now (see code-groups.ts), so the first
   * filter-only query of a session does not pay for it; true when done (call again until then).
   */
  prepareFilters(): boolean {
    for (const key of FILTER_KEYS)
      if (!this.groups.has(key)) {
        this.groupsOf(key);
        return this.groups.size === FILTER_KEYS.length;
      }
    return true;
  }

  private groupsOf(key: keyof FilterMasks): CodeGroups {
    let g = this.groups.get(key);
    if (!g) {
      g = key === 'regions' ? groupByCode(this.regionOf, this.regionNames.length) : groupByCode(this.c.codes[key], 256);
      this.groups.set(key, g);
    }
    return g;
  }

  private hit(d: number, matchedIn: MatchField): SearchHit {
    const { text, codes } = this.c;
    const summary = flatSummary((col) =>
      col.kind === 'text' ? text[col.search].get(d) : (col.values[codes[col.search][d]!] ?? col.values[0]!),
    );
    return { ...summary, matchedIn };
  }
}

function arrayColumns(text: Record<TextKey, readonly string[]>): Record<TextKey, TextColumn> {
  const out = {} as Record<TextKey, TextColumn>;
  for (const col of TEXT_COLUMNS) out[col.search] = new ArrayText(text[col.search]);
  return out;
}

/** The per-document figures of `derive` (Derived), from the columns. */
function derive(c: Columns): Derived {
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

function columnOf(key: CodeKey): CodeSummaryColumn {
  const col = CODE_COLUMNS.find((c) => c.search === key);
  if (!col) throw new Error(`no summary column ${key}`);
  return col;
}

const FILTER_SCORE = 100;
/** The best score of a match outside the USCC and the name: the legal representative exactly, 存续. */
const REP_EXACT_MAX = 1505;

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Score bands say where a term matched: USCC ≥ 3000 > name ≥ 1900 > legal rep ≥ 1200 > address 800. */
function termScore(c: Columns, d: number, term: string, upper = term.toUpperCase()): number {
  if (c.text.usccs.get(d).startsWith(upper)) return 3000 + upper.length;
  const name = c.text.names.get(d);
  const at = name.indexOf(term);
  if (at >= 0) return (name === term ? 2500 : 2100) - Math.min(at, 40) * 2 - Math.min(name.length, 60);
  const rep = c.text.legalReps.get(d);
  if (rep === term) return 1500;
  if (term.length >= 2 && rep.includes(term)) return 1200;
  if (term.length >= 2 && c.text.addresses.get(d).includes(term)) return 800;
  return 0;
}

/** The field of the best-matching term (for the hit's label). */
function fieldOf(score: number, d: number, terms: readonly string[], c: Columns): MatchField {
  if (score < FILTER_SCORE + 1 && terms.length === 0) return 'filter';
  const best = Math.max(...terms.map((t) => termScore(c, d, t)));
  return best >= 3000 ? 'uscc' : best >= 1900 ? 'name' : best >= 1200 ? 'legalRep' : 'address';
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    const v = x <= y ? x : y;
    if (x === v) i++;
    if (y === v) j++;
    out[k++] = v;
  }
  return out.subarray(0, k);
}
