/**
 * The documents that may match every term of a query (verified afterwards by scoreTerms): each
 * term's posting-list candidates, plus, for a USCC-shaped term, the documents whose USCC starts
 * with it (a range of the USCC order), intersected term by term.
 */
import type { IndexView } from './index-columns.js';
import { intersect } from './postings.js';

/** A term that may be the start of a USCC (its alphabet, 2 to 18 characters). */
export const USCC_QUERY = /^[0-9A-HJ-NP-RTUW-Y]{2,18}$/;

/** Documents that may match every term (verified later by scoreTerms). */
export function candidates(v: IndexView, terms: readonly string[]): Iterable<number> {
  let acc: Uint32Array | null = null;
  for (const term of terms) {
    const docs = termDocs(v, term);
    acc = acc === null ? docs : intersect(acc, docs);
    if (acc.length === 0) break;
  }
  return acc ?? new Uint32Array(0);
}

/** The USCCs starting with `prefix`: a range of byUscc (lexicographic order keeps a prefix's together). */
export function usccRange(v: IndexView, prefix: string): [number, number] {
  const u = v.c.text.usccs;
  const byUscc = v.byUscc;
  const find = (past: boolean) => {
    let lo = 0;
    let hi = byUscc.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = u.get(byUscc[mid]!);
      if (s < prefix || (past && s.startsWith(prefix))) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return [find(false), find(true)];
}

function termDocs(v: IndexView, term: string): Uint32Array {
  const upper = term.toUpperCase();
  const text = v.postings.lookup(term);
  if (!USCC_QUERY.test(upper)) return text;
  const prefix = usccPrefix(v, upper);
  return text.length === 0 ? prefix : union(text, prefix);
}

function usccPrefix(v: IndexView, prefix: string): Uint32Array {
  const u = v.c.text.usccs;
  const byUscc = v.byUscc;
  let lo = 0;
  let hi = byUscc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u.get(byUscc[mid]!) < prefix) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  for (let i = lo; i < byUscc.length && u.get(byUscc[i]!).startsWith(prefix); i++) out.push(byUscc[i]!);
  return Uint32Array.from(out).sort();
}

function union(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    const val = x <= y ? x : y;
    if (x === val) i++;
    if (y === val) j++;
    out[k++] = val;
  }
  return out.subarray(0, k);
}
