/**
 * Posting lists for the search index: keys are character unigrams (name only, for one-character
 * queries) and bigrams (name, legal rep, address); values are ascending document ids in one shared
 * Uint32Array. Built in two passes over the texts (count, then fill) with dense key ids and a
 * last-document marker per key, so 200k documents need no per-key or per-posting JS objects.
 */

const EMPTY = new Uint32Array(0);

export interface Postings {
  /** Documents containing every bigram of `term` (or its only character): candidates, not verified. */
  lookup(term: string): Uint32Array;
}

/** The texts of one document: [text, with unigrams?]. */
export type DocTexts = (doc: number) => readonly (readonly [string, boolean])[];

class KeyIds {
  readonly ids = new Map<number, number>();
  counts = new Uint32Array(1 << 16);
  last = new Int32Array(1 << 16).fill(-1);

  idOf(key: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
      if (id >= this.counts.length) this.grow();
    }
    return id;
  }

  private grow(): void {
    const counts = new Uint32Array(this.counts.length * 2);
    counts.set(this.counts);
    const last = new Int32Array(this.last.length * 2).fill(-1);
    last.set(this.last);
    this.counts = counts;
    this.last = last;
  }
}

function eachKey(text: string, unigrams: boolean, visit: (key: number) => void): void {
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (unigrams) visit(ch);
    if (prev >= 0) visit(0x10000 + prev * 0x10000 + ch);
    prev = ch;
  }
}

export function buildPostings(docCount: number, texts: DocTexts): Postings {
  const k = new KeyIds();
  for (let d = 0; d < docCount; d++) {
    const visit = (key: number) => {
      const id = k.idOf(key);
      if (k.last[id] === d) return;
      k.last[id] = d;
      k.counts[id] = k.counts[id]! + 1;
    };
    for (const [text, uni] of texts(d)) eachKey(text, uni, visit);
  }
  const n = k.ids.size;
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + k.counts[i]!;
  const fill = start.slice(0, n);
  const flat = new Uint32Array(start[n]!);
  k.last.fill(-1);
  for (let d = 0; d < docCount; d++) {
    const visit = (key: number) => {
      const id = k.ids.get(key)!;
      if (k.last[id] === d) return;
      k.last[id] = d;
      flat[fill[id]!] = d;
      fill[id] = fill[id]! + 1;
    };
    for (const [text, uni] of texts(d)) eachKey(text, uni, visit);
  }
  const list = (key: number): Uint32Array => {
    const id = k.ids.get(key);
    return id === undefined ? EMPTY : flat.subarray(start[id]!, start[id + 1]!);
  };
  return {
    lookup(term) {
      if (term.length === 0) return EMPTY;
      if (term.length === 1) return list(term.charCodeAt(0));
      const lists: Uint32Array[] = [];
      eachKey(term, false, (key) => lists.push(list(key)));
      lists.sort((a, b) => a.length - b.length);
      let acc: Uint32Array | null = null;
      for (const l of lists) {
        acc = acc === null ? l : intersect(acc, l);
        if (acc.length === 0) return EMPTY;
      }
      return acc ?? EMPTY;
    },
  };
}

/** Intersection of two ascending id lists. */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0, j = 0, k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!, y = b[j]!;
    if (x === y) { out[k++] = x; i++; j++; } else if (x < y) i++; else j++;
  }
  return out.subarray(0, k);
}
