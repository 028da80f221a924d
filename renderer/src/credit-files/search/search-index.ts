/**
 * In-memory search over the compact search rows: character bigrams (and unigrams for one-character
 * queries) of name, legal representative and address → sorted posting lists in typed arrays, plus
 * a sorted USCC list for prefix lookups. Chinese names are searched by fragments (海润 from the
 * middle), so a substring index rather than a prefix index. Candidates from the posting lists are
 * verified with `includes`, filtered by class / colour / status / region, then ranked.
 *
 * This class holds the index and routes a query; its parts live beside it: building
 * (index-assembly.ts), the one-term fast path (one-term-scan.ts), candidates of several terms
 * (term-candidates.ts), scoring (term-score.ts), filters (filter-masks.ts), the shapes (index-columns.ts).
 */
import type { EntDirRow, EntSearchRow } from '../../db/index.js';
import { CODE_COLUMNS, TEXT_COLUMNS, flatSummary } from '../summary-columns.js';
import { FilterGroups, filterFn, filterMasks } from './filter-masks.js';
import { assembleIndex, indexChunk, type IndexedChunk } from './index-assembly.js';
import { derive, type Columns, type Derived, type IndexImage, type IndexView } from './index-columns.js';
import { canScanOne, scanOne, type DeadDocs } from './one-term-scan.js';
import { postingsOf, type KeyCollector, type Postings } from './postings.js';
import { candidates, usccRange } from './term-candidates.js';
import { FILTER_SCORE, fieldOf, scoreTerms } from './term-score.js';
import { PackedText } from './text-column.js';
import { TopK } from './top-k.js';
import type { MatchField, SearchAnswer, SearchFilters, SearchHit } from './types.js';

export type { DeadDocs, Derived, IndexImage, IndexedChunk };

/** What `rank` finds: the best documents with their scores, how many match, and the query's terms. */
export interface RankedDocs {
  readonly top: readonly (readonly [doc: number, score: number])[];
  readonly total: number;
  readonly terms: readonly string[];
}

export class EnterpriseSearchIndex {
  /** What the text queries read (the columns, posting lists, USCC order and name figures). */
  private readonly view: IndexView;
  private readonly regionNames: readonly string[];
  private readonly regionOf: Uint32Array;
  /** Each document's place in USCC order: equal scores rank by USCC, compared as numbers. */
  private readonly usccRank: Uint32Array;
  /** The documents grouped by each filtered column, made when a filter-only query first needs it. */
  private readonly filterGroups: FilterGroups;

  private constructor(
    private readonly c: Columns,
    private readonly postings: Postings,
    private readonly byUscc: Uint32Array,
    private readonly derived: Derived = derive(c),
  ) {
    ({ regionNames: this.regionNames, regionOf: this.regionOf } = derived);
    this.view = { c, postings, byUscc, nameLen: derived.nameLen, nameBase: derived.nameBase };
    this.filterGroups = new FilterGroups(c.codes, this.regionOf, this.regionNames.length);
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
    return indexChunk(collector, row);
  }

  /**
   * Puts indexed chunks together, in the directory's order, keeping only the entries the
   * directory says are live in that chunk (an updated record lives on in its newest chunk only).
   */
  static assemble(
    collector: KeyCollector,
    chunks: readonly { readonly chunk: IndexedChunk; readonly dir: EntDirRow }[],
  ): EnterpriseSearchIndex {
    const { c, postings, byUscc } = assembleIndex(collector, chunks);
    return new EnterpriseSearchIndex(c, postings, byUscc);
  }

  search(query: string, filters: SearchFilters = {}, limit = 50): SearchAnswer {
    const t0 = performance.now();
    const { top, total, terms } = this.rank(query, filters, limit);
    const hits = top.map(([d, score]) => this.hitOf(d, score, terms));
    return { hits, total, indexed: this.size, tookMs: performance.now() - t0 };
  }

  /**
   * The core of a search: the best `limit` documents with their scores (best first; equal scores
   * in USCC order) and how many documents match. `dead` marks documents to leave out (records
   * superseded or removed since this index was assembled: segmented-index.ts).
   */
  rank(query: string, filters: SearchFilters, limit: number, dead: DeadDocs | null = null): RankedDocs {
    const terms = query
      .trim()
      .split(/\s+/)
      .filter((t) => t.length > 0);
    const masks = filterMasks(filters, this.regionNames);
    const wanted = filterFn(masks, this.c.codes, this.regionOf);
    const gone = dead?.mask;
    const pass =
      gone === undefined
        ? wanted
        : wanted === null
          ? (d: number) => gone[d] === 0
          : (d: number) => gone[d] === 0 && wanted(d);
    const rank = this.usccRank;
    const top = new TopK(limit, (a, b) => (rank[a]! < rank[b]! ? a : b));
    let total = 0;
    if (terms.length === 0) {
      if (wanted === null) return { top: [], total: 0, terms };
      // Only the documents of the most selective filter's wanted values are visited (in any order:
      // the top list's order does not depend on it); the other filters are tested on them.
      const { groups, wanted: values } = this.filterGroups.narrowest(masks);
      const { nameLen } = this.view;
      let floor = top.floor();
      for (let g = 0; g < values.length; g++) {
        if (values[g] !== 1) continue;
        for (let k = groups.start[g]!, end = groups.start[g + 1]!; k < end; k++) {
          const d = groups.docs[k]!;
          if (!pass!(d)) continue;
          total += 1;
          const len = nameLen[d]! < 0xffff ? nameLen[d]! : this.c.text.names.get(d).length;
          const score = FILTER_SCORE - len;
          if (score >= floor && top.wants(d, score)) {
            top.offer(d, score);
            floor = top.floor();
          }
        }
      }
    } else if (terms.length === 1 && canScanOne(this.view, terms[0]!)) {
      total = scanOne(this.view, terms[0]!, wanted, top, dead); // leaves the dead out itself, cheaper
    } else {
      const upper = terms.map((t) => t.toUpperCase());
      for (const d of candidates(this.view, terms)) {
        if (pass && !pass(d)) continue;
        const score = scoreTerms(this.c, d, terms, upper);
        if (score > 0) {
          total += 1;
          top.offer(d, score);
        }
      }
    }
    return { top: top.sorted(), total, terms };
  }

  /** A ranked document as the search answers it (`terms` and `score` from the same `rank`). */
  hitOf(d: number, score: number, terms: readonly string[]): SearchHit {
    return this.hit(d, fieldOf(score, d, terms, this.c));
  }

  /** The document's USCC. */
  usccOf(d: number): string {
    return this.c.text.usccs.get(d);
  }

  /** The documents marked in `mask` (one byte per document, 1: left out), as `rank` takes them. */
  deadDocs(mask: Uint8Array): DeadDocs {
    const ranks: number[] = [];
    for (let d = 0; d < mask.length; d++) if (mask[d] === 1) ranks.push(this.usccRank[d]!);
    return { mask, ranks: Uint32Array.from(ranks).sort() };
  }

  /** The document holding this USCC (from the USCC order), or -1. */
  findUscc(uscc: string): number {
    const [lo, hi] = usccRange(this.view, uscc);
    const d = this.byUscc[lo];
    return lo < hi && d !== undefined && this.usccOf(d) === uscc ? d : -1;
  }

  /**
   * Groups the documents by every filterable column now (see code-groups.ts), so the first
   * filter-only query of a session does not pay for it; true when done (call again until then).
   */
  prepareFilters(): boolean {
    return this.filterGroups.prepare();
  }

  private hit(d: number, matchedIn: MatchField): SearchHit {
    const { text, codes } = this.c;
    const summary = flatSummary((col) =>
      col.kind === 'text' ? text[col.search].get(d) : (col.values[codes[col.search][d]!] ?? col.values[0]!),
    );
    return { ...summary, matchedIn };
  }
}
