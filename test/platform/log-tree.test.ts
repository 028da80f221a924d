/**
 * The simulator's tree (built from RFC 6962's recursive definitions) against the app's verifier
 * (RFC 9162's iterative algorithms): every proof of every tree up to 40 leaves verifies, the roots
 * match the published vectors, and any flipped bit in a proof, leaf or root is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../shared/transparency/merkle-verify.js';
import { LogTree, rfc6962Leaf } from './log-tree.js';

const VECTOR_LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
];
const tree = (n: number): LogTree =>
  new LogTree(Array.from({ length: n }, (_, i) => rfc6962Leaf(Buffer.from(`leaf ${i}`))));
const flipBit = (b: Uint8Array, bit: number): Uint8Array => {
  const out = Uint8Array.from(b);
  out[bit >> 3] = out[bit >> 3]! ^ (1 << (bit & 7));
  return out;
};

describe('simulator log tree', () => {
  it('builds the published RFC 6962 roots', () => {
    const t = new LogTree(VECTOR_LEAVES.map((h) => rfc6962Leaf(Buffer.from(h, 'hex'))));
    expect(t.root(0).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(t.root(3).toString('hex')).toBe('aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77');
    expect(t.root(8).toString('hex')).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('every inclusion and consistency proof up to 40 leaves verifies with the app verifier', () => {
    const t = tree(40);
    for (let n = 1; n <= 40; n += 1) {
      for (let m = 0; m < n; m += 1) {
        expect(verifyInclusion(m, n, t.hash(m, 1), t.inclusion(m, n), t.root(n)).ok, `incl ${m}/${n}`).toBe(true);
        expect(verifyConsistency(m, n, t.consistency(m, n), t.root(m), t.root(n)).ok, `cons ${m}→${n}`).toBe(true);
      }
    }
  });

  it('any flipped bit in an inclusion proof, the leaf or the root is refused', () => {
    const t = tree(37);
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 37 }).chain((n) => fc.tuple(fc.constant(n), fc.nat(n - 1), fc.nat(10_000))),
        ([n, m, pick]) => {
          const proof = t.inclusion(m, n);
          const parts = [t.hash(m, 1), t.root(n), ...proof];
          const which = pick % parts.length;
          const bit = pick % 256;
          const changed = parts.map((p, i) => (i === which ? flipBit(p, bit) : p));
          return !verifyInclusion(m, n, changed[0]!, changed.slice(2), changed[1]!).ok;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('any flipped bit in a consistency proof or either root is refused', () => {
    const t = tree(37);
    fc.assert(
      fc.property(
        fc
          .integer({ min: 2, max: 37 })
          .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.nat(10_000))),
        ([n, m, pick]) => {
          const parts = [t.root(m), t.root(n), ...t.consistency(m, n)];
          const which = pick % parts.length;
          const changed = parts.map((p, i) => (i === which ? flipBit(p, pick % 256) : p));
          return !verifyConsistency(m, n, changed.slice(2), changed[0]!, changed[1]!).ok;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a log with an entry dropped or two swapped is not consistent with what it said before', () => {
    const before = tree(9);
    const full = new LogTree(Array.from({ length: 12 }, (_, i) => rfc6962Leaf(Buffer.from(`leaf ${i}`))));
    const dropped = new LogTree(
      Array.from({ length: 12 }, (_, i) => rfc6962Leaf(Buffer.from(`leaf ${i < 4 ? i : i + 1}`))),
    );
    const swapped = new LogTree(
      Array.from({ length: 12 }, (_, i) => rfc6962Leaf(Buffer.from(`leaf ${i === 4 ? 5 : i === 5 ? 4 : i}`))),
    );
    expect(verifyConsistency(9, 12, full.consistency(9, 12), before.root(9), full.root(12)).ok).toBe(true);
    for (const rewritten of [dropped, swapped])
      expect(verifyConsistency(9, 12, rewritten.consistency(9, 12), before.root(9), rewritten.root(12)).ok).toBe(false);
  });
});
