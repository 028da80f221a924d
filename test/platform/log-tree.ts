/**
 * The simulator's Merkle tree, built straight from the recursive definitions of RFC 6962 §2.1
 * (MTH, PATH, PROOF/SUBPROOF) with node:crypto. Deliberately not the app's verifier turned around:
 * the two are written from different descriptions, so tests comparing them test something.
 */
import { createHash } from 'node:crypto';

const sha = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export const rfc6962Leaf = (data: Buffer): Buffer => sha(Buffer.from([0]), data);
const node = (l: Buffer, r: Buffer): Buffer => sha(Buffer.from([1]), l, r);

/** Largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export class LogTree {
  private readonly memo = new Map<string, Buffer>();
  constructor(private readonly leaves: readonly Buffer[]) {}

  get size(): number {
    return this.leaves.length;
  }

  /** MTH(D[start:start+n]). */
  hash(start: number, n: number): Buffer {
    if (n === 0) return sha();
    if (n === 1) return this.leaves[start]!;
    const key = `${start}:${n}`;
    const seen = this.memo.get(key);
    if (seen) return seen;
    const k = split(n);
    const out = node(this.hash(start, k), this.hash(start + k, n - k));
    this.memo.set(key, out);
    return out;
  }

  root(size = this.size): Buffer {
    return this.hash(0, size);
  }

  /** PATH(m, D[0:size]): the audit path of leaf m. */
  inclusion(m: number, size: number): Buffer[] {
    if (m < 0 || m >= size || size > this.size) throw new RangeError(`no leaf ${m} in a tree of ${size}`);
    const path = (m2: number, start: number, n: number): Buffer[] => {
      if (n === 1) return [];
      const k = split(n);
      return m2 < k
        ? [...path(m2, start, k), this.hash(start + k, n - k)]
        : [...path(m2 - k, start + k, n - k), this.hash(start, k)];
    };
    return path(m, 0, size);
  }

  /** PROOF(m, D[0:n]): that the tree of m leaves is a prefix of the tree of n leaves. */
  consistency(m: number, n: number): Buffer[] {
    if (m < 0 || m > n || n > this.size) throw new RangeError(`no consistency proof from ${m} to ${n}`);
    if (m === 0 || m === n) return [];
    const sub = (m2: number, start: number, n2: number, b: boolean): Buffer[] => {
      if (m2 === n2) return b ? [] : [this.hash(start, n2)];
      const k = split(n2);
      return m2 <= k
        ? [...sub(m2, start, k, b), this.hash(start + k, n2 - k)]
        : [...sub(m2 - k, start + k, n2 - k, false), this.hash(start, k)];
    };
    return sub(m, 0, n, true);
  }
}
