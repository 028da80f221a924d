/**
 * The documents in every one of a term's key lists, with each key's position in the document's
 * name (KeyList.pos), visited in document order. The shortest list drives; the others are
 * searched forward by galloping, so a rare key next to a very common one costs about the rare
 * key's length times a logarithm, not the common list's length. Nothing is allocated per document.
 */
import type { KeyList } from './postings.js';

/** The first index ≥ `from` in the ascending `docs` whose value is ≥ `d` (docs.length when none). */
function gallop(docs: Uint32Array, d: number, from: number): number {
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < docs.length && docs[hi]! < d) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  if (hi > docs.length) hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < d) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Calls `visit(d, pos)` for each document in all of `lists`; pos[i] is lists[i]'s position for it
 * (the array is reused between calls: read it, do not keep it).
 */
export function joinKeys(lists: readonly KeyList[], visit: (d: number, pos: Int32Array) => void): void {
  const n = lists.length;
  const pos = new Int32Array(n);
  if (n === 1) {
    const { docs, pos: at } = lists[0]!;
    for (let k = 0; k < docs.length; k++) {
      pos[0] = at[k]!;
      visit(docs[k]!, pos);
    }
    return;
  }
  const order = lists.map((_, i) => i).sort((a, b) => lists[a]!.docs.length - lists[b]!.docs.length);
  const driver = lists[order[0]!]!;
  const ptr = new Int32Array(n);
  outer: for (let k = 0; k < driver.docs.length; k++) {
    const d = driver.docs[k]!;
    pos[order[0]!] = driver.pos[k]!;
    for (let j = 1; j < n; j++) {
      const list = lists[order[j]!]!;
      let i = ptr[j]!;
      if (i < list.docs.length && list.docs[i]! < d) i = gallop(list.docs, d, i);
      ptr[j] = i;
      if (i >= list.docs.length) return;
      if (list.docs[i] !== d) continue outer;
      pos[order[j]!] = list.pos[i]!;
    }
    visit(d, pos);
  }
}
