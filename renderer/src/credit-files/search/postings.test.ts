/**
 * The posting lists against brute force: for random documents (a small alphabet, so keys collide
 * and lists are long, plus characters across the whole UTF-16 range to exercise the hash table's
 * growth), every lookup returns exactly the documents holding every bigram of the term (or, for one
 * character, the documents whose unigram-indexed text holds it), in ascending order.
 */
import { describe, expect, it } from 'vitest';
import { buildPostings, KeyTable } from './postings.js';

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

const SMALL = '海润食品威市环翠区有限公司鑫源水产超市';

function randomText(r: (n: number) => number, max: number): string {
  let t = '';
  const len = r(max);
  for (let i = 0; i < len; i++) t += r(4) === 0 ? String.fromCharCode(r(0x10000)) : SMALL[r(SMALL.length)]!;
  return t;
}

function keysOf(texts: readonly (readonly [string, boolean])[]): Set<string> {
  const keys = new Set<string>();
  for (const [t, uni] of texts)
    for (let i = 0; i < t.length; i++) {
      if (uni) keys.add(t[i]!);
      if (i > 0) keys.add(t.slice(i - 1, i + 1));
    }
  return keys;
}

describe('buildPostings', () => {
  it('agrees with brute force on random documents and terms', () => {
    const r = rng(7);
    const docs = Array.from(
      { length: 3000 },
      () =>
        [
          [randomText(r, 16), true],
          [randomText(r, 5), false],
          [randomText(r, 12), false],
        ] as const,
    );
    const postings = buildPostings(docs.length, (d) => docs[d]!);
    const keySets = docs.map(keysOf);
    for (let q = 0; q < 400; q++) {
      const source = docs[r(docs.length)]![r(3)]![0];
      const from = r(Math.max(1, source.length));
      const term = q % 5 === 0 ? randomText(r, 4) : source.slice(from, from + 1 + r(3));
      const want: number[] = [];
      if (term.length === 1)
        keySets.forEach((_, d) => {
          if (docs[d]![0][0].includes(term)) want.push(d);
        });
      else if (term.length > 1)
        keySets.forEach((keys, d) => {
          if ([...keysOf([[term, false]])].every((k) => keys.has(k))) want.push(d);
        });
      expect([...postings.lookup(term)], `term ${JSON.stringify(term)}`).toEqual(want);
    }
  });

  it('gives every distinct key one dense id, across table growth', () => {
    const table = new KeyTable();
    const seen = new Map<number, number>();
    const r = rng(11);
    for (let i = 0; i < 60_000; i++) {
      const a = r(0x10000),
        b = r(0x10000);
      const id = table.bigramId(a, b);
      const key = a * 0x10000 + b;
      if (seen.has(key)) expect(id).toBe(seen.get(key));
      else {
        expect(id).toBe(seen.size);
        seen.set(key, id);
      }
    }
    expect(table.bigramId(0xffff, 0xfffe, false)).toBe(seen.get(0xffff * 0x10000 + 0xfffe) ?? -1);
    expect(table.size).toBe(seen.size);
  });
});
