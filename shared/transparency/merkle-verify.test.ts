/**
 * The verifier against the RFC 6962 test data published with transparency-dev/merkle
 * (proof/verify_test.go): eight leaves, their roots, and known-good inclusion and consistency
 * proofs, plus the same corruptions that suite applies to each proof.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { leafHash, verifyConsistency, verifyInclusion } from './merkle-verify.js';

const h = (s: string): Uint8Array => hexToBytes(s);
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  h,
);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
].map(h);
const root = (size: number): Uint8Array => ROOTS[size - 1]!;
const SOME = h('abacaba000000000000000000000000000000000000000000060061e00123456');
const EMPTY = h('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');

/** Leaf numbers are 1-based, as in the published table. */
const INCLUSION: { leaf: number; size: number; proof: string[] }[] = [
  { leaf: 1, size: 1, proof: [] },
  {
    leaf: 1,
    size: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    leaf: 6,
    size: 8,
    proof: [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  { leaf: 3, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
  {
    leaf: 2,
    size: 5,
    proof: [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
];

const CONSISTENCY: { size1: number; size2: number; proof: string[] }[] = [
  { size1: 1, size2: 1, proof: [] },
  {
    size1: 1,
    size2: 8,
    proof: [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  },
  {
    size1: 6,
    size2: 8,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
  {
    size1: 2,
    size2: 5,
    proof: [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  },
  {
    size1: 6,
    size2: 7,
    proof: [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  },
];

const flip = (proof: Uint8Array[], i: number, mask: number): Uint8Array[] =>
  proof.map((p, j) => (j === i ? Uint8Array.from(p, (b, k) => (k === 0 ? b ^ mask : b)) : p));

describe('RFC 6962 inclusion proofs (transparency-dev vectors)', () => {
  it('the one-leaf root is the leaf hash of the empty string', () => {
    expect(leafHash(LEAVES[0]!)).toEqual(ROOTS[0]);
  });

  for (const v of INCLUSION) {
    it(`leaf ${v.leaf} of ${v.size} verifies, and every corruption fails`, () => {
      const index = v.leaf - 1;
      const leaf = leafHash(LEAVES[index]!);
      const proof = v.proof.map(h);
      const r = root(v.size);
      expect(verifyInclusion(index, v.size, leaf, proof, r)).toEqual({ ok: true });
      const probes: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
        [index - 1, v.size, leaf, proof, r],
        [index + 1, v.size, leaf, proof, r],
        [index ^ 2, v.size, leaf, proof, r],
        [index, v.size * 2, leaf, proof, r],
        [index, Math.floor(v.size / 2), leaf, proof, r],
        [index, v.size, h('00'.repeat(32)), proof, r],
        [index, v.size, leaf, proof, EMPTY],
        [index, v.size, leaf, proof, SOME],
        [index, v.size, leaf, [...proof, new Uint8Array(0)], r],
        [index, v.size, leaf, [...proof, r], r],
        [index, v.size, leaf, [new Uint8Array(0), ...proof], r],
        [index, v.size, leaf, [r, ...proof], r],
        ...proof.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [
          index,
          v.size,
          leaf,
          flip(proof, i, 8),
          r,
        ]),
      ];
      if (proof.length > 0) probes.push([index, v.size, leaf, proof.slice(0, -1), r]);
      if (proof.length > 1) probes.push([index, v.size, leaf, [proof[0]!, SOME, ...proof.slice(1)], r]);
      for (const [i, s, l, p, rt] of probes) expect(verifyInclusion(i, s, l, p, rt).ok).toBe(false);
    });
  }

  it('refuses an index outside the tree with a clear reason', () => {
    const r = verifyInclusion(2, 1, SOME, [], SOME);
    expect(r).toEqual({ ok: false, error: { kind: 'bad-proof', message: '序号 2 不在大小为 1 的树内' } });
  });
});

describe('RFC 6962 consistency proofs (transparency-dev vectors)', () => {
  for (const v of CONSISTENCY) {
    it(`${v.size1} → ${v.size2} verifies, and every corruption fails`, () => {
      const proof = v.proof.map(h);
      const r1 = root(v.size1);
      const r2 = root(v.size2);
      expect(verifyConsistency(v.size1, v.size2, proof, r1, r2)).toEqual({ ok: true });
      if (proof.length === 0) return;
      const probes: [number, number, Uint8Array[], Uint8Array, Uint8Array][] = [
        [v.size1 - 1, v.size2, proof, r1, r2],
        [v.size1 + 1, v.size2, proof, r1, r2],
        [v.size1 ^ 2, v.size2, proof, r1, r2],
        [v.size1, v.size2 * 2, proof, r1, r2],
        [v.size1, Math.floor(v.size2 / 2), proof, r1, r2],
        [v.size1, v.size2, proof, SOME, r2],
        [v.size1, v.size2, proof, r1, SOME],
        [v.size1, v.size2, proof, r2, r1],
        [v.size1, v.size2, [], r1, r2],
        [v.size1, v.size2, [...proof, new Uint8Array(0)], r1, r2],
        [v.size1, v.size2, [...proof, r1], r1, r2],
        [v.size1, v.size2, [...proof, r2], r1, r2],
        [v.size1, v.size2, [new Uint8Array(0), ...proof], r1, r2],
        [v.size1, v.size2, [r1, ...proof], r1, r2],
        [v.size1, v.size2, [r2, ...proof], r1, r2],
        [v.size1, v.size2, [proof[0]!, ...proof], r1, r2],
        [v.size1, v.size2, proof.slice(0, -1), r1, r2],
        ...proof.map((_, i): [number, number, Uint8Array[], Uint8Array, Uint8Array] => [
          v.size1,
          v.size2,
          flip(proof, i, 16),
          r1,
          r2,
        ]),
      ];
      for (const [s1, s2, p, a, b] of probes) expect(verifyConsistency(s1, s2, p, a, b).ok).toBe(false);
    });
  }

  it('the trivial cases: equal sizes need equal roots and no proof; a shrinking log is refused', () => {
    expect(verifyConsistency(0, 1, [], SOME, EMPTY).ok).toBe(true);
    expect(verifyConsistency(3, 3, [], SOME, SOME).ok).toBe(true);
    expect(verifyConsistency(3, 3, [], SOME, EMPTY).ok).toBe(false);
    expect(verifyConsistency(3, 3, [EMPTY], SOME, SOME).ok).toBe(false);
    expect(verifyConsistency(1, 2, [], SOME, EMPTY).ok).toBe(false);
    expect(verifyConsistency(2, 1, [], SOME, EMPTY)).toEqual({
      ok: false,
      error: { kind: 'bad-proof', message: '新检查点（1）比旧检查点（2）小' },
    });
  });
});
