/**
 * The one-term query, the common case, answered mostly from typed arrays: USCC prefix matches from
 * a range of the USCC order, text matches scored from each posting's first key position. It gives
 * exactly what the general path (term-candidates.ts + scoreTerms) gives, only without reading a
 * string for most documents.
 */
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import type { IndexView } from './index-columns.js';
import { joinKeys } from './key-join.js';
import { POS_ADDRESS, POS_ADDRESS_FAR, POS_NAME_FAR } from './postings.js';
import { USCC_QUERY, usccRange } from './term-candidates.js';
import { REP_EXACT_MAX, repOrAddressScore, scoreTerms } from './term-score.js';
import type { TopK } from './top-k.js';

type Pass = ((d: number) => boolean) | null;

/**
 * Documents to leave out (records that left the index since it was assembled: segmented-index.ts),
 * as a mask and as their places in the USCC order, ascending, so a run of USCC prefix matches is
 * counted without visiting it.
 */
export interface DeadDocs {
  readonly mask: Uint8Array;
  readonly ranks: Uint32Array;
}

/** How many of `ranks` (ascending) lie in [lo, hi). */
function countIn(ranks: Uint32Array, lo: number, hi: number): number {
  const first = (x: number) => {
    let a = 0;
    let b = ranks.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if (ranks[m]! < x) a = m + 1;
      else b = m;
    }
    return a;
  };
  return first(hi) - first(lo);
}

/**
 * scanOne answers exactly what the general path does, provided a USCC prefix match is a candidate
 * (a USCC-shaped term): otherwise a prefix match counts only when the text lists offer it, which
 * the general path handles.
 */
export function canScanOne(v: IndexView, term: string): boolean {
  const upper = term.toUpperCase();
  const [lo, hi] = usccRange(v, upper);
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
 * without reading them unless their score could still enter the best `limit`. Returns the total.
 */
export function scanOne(v: IndexView, term: string, pass: Pass, top: TopK, dead: DeadDocs | null = null): number {
  const gone = dead?.mask ?? null;
  const upper = term.toUpperCase();
  const [lo, hi] = usccRange(v, upper);
  let total = 0;
  if (lo < hi) {
    const prefixScore = 3000 + upper.length;
    let alive = 0;
    let other = 0;
    for (let i = lo; i < hi; i++) {
      const d = v.byUscc[i]!;
      if ((gone !== null && gone[d] === 1) || (pass && !pass(d))) continue;
      total += 1;
      const score = scoreTerms(v.c, d, [term], [upper]);
      if (score > prefixScore) {
        if (alive < top.k) top.offer(d, score);
        alive += 1;
        if (alive >= top.k && pass === null) {
          // The rest of the range all match and none can enter the best `limit`: counted, not read.
          const rest = hi - i - 1 - (dead === null ? 0 : countIn(dead.ranks, i + 1, hi));
          return total + rest + scanText(v, term, upper, pass, top, true, gone);
        }
      } else if (other < top.k) {
        top.offer(d, score);
        other += 1;
      }
    }
  }
  return total + scanText(v, term, upper, pass, top, lo < hi, gone);
}

/** The text matches of one term (prefix matches excluded when `prefixSeen`: they were counted). */
function scanText(
  v: IndexView,
  term: string,
  upper: string,
  pass: Pass,
  top: TopK,
  prefixSeen: boolean,
  gone: Uint8Array | null,
): number {
  const lists = v.postings.keyLists(term);
  if (lists === null) return 0;
  const single = lists.length === 1;
  const len = term.length;
  const terms = [term];
  const uppers = [upper];
  const statuses = v.c.codes.statuses;
  const aliveCode = ENTERPRISE_STATUSES.indexOf('存续');
  const usccs = v.c.text.usccs;
  const { nameLen, nameBase } = v;
  let total = 0;
  const visit = (d: number, pos: Int32Array): void => {
    if (gone !== null && gone[d] === 1) return;
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
    const score = notInName ? repOrAddressScore(v.c, d, term) : scoreTerms(v.c, d, terms, uppers);
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
    if ((gone !== null && gone[d] === 1) || (pass && !pass(d))) continue;
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
