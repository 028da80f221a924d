/**
 * Verification of RFC 6962 / RFC 9162 Merkle proofs (leaf hash SHA-256(0x00 ‖ data), node hash
 * SHA-256(0x01 ‖ left ‖ right)). The app uses this to check that the platform's log contains a
 * receipt's entry and that a later log extends an earlier one without rewriting it. Only
 * verification lives here: the platform simulator builds trees and proofs with its own code, so a
 * mistake in one is not mirrored in the other.
 *
 * The chaining follows the RFC 9162 §2.1.3.2 / §2.1.4.2 algorithms (the form transparency-dev/merkle
 * uses); sizes are handled as BigInt so the bit arithmetic is exact for any safe integer.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { equalBytes } from './bytes.js';

export const HASH_SIZE = 32;

export type ProofResult = { ok: true } | { ok: false; error: { kind: 'bad-proof'; message: string } };

const fail = (message: string): ProofResult => ({ ok: false, error: { kind: 'bad-proof', message } });

export function leafHash(data: Uint8Array): Uint8Array {
  const buf = new Uint8Array(data.length + 1);
  buf.set(data, 1);
  return sha256(buf);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const buf = new Uint8Array(1 + left.length + right.length);
  buf[0] = 1;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return sha256(buf);
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}
function onesCount(n: bigint): number {
  return [...n.toString(2)].filter((c) => c === '1').length;
}
function trailingZeros(n: bigint): number {
  let z = 0;
  while (n > 0n && (n & 1n) === 0n) {
    n >>= 1n;
    z += 1;
  }
  return z;
}

/** How many proof hashes lie below the point where the leaf's path meets the right border, and how many above. */
function decompose(index: bigint, size: bigint): { inner: number; border: number } {
  const inner = bitLength(index ^ (size - 1n));
  return { inner, border: onesCount(index >> BigInt(inner)) };
}

function chainInner(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  return proof.reduce((h, p, i) => (((index >> BigInt(i)) & 1n) === 0n ? nodeHash(h, p) : nodeHash(p, h)), seed);
}
function chainInnerRight(seed: Uint8Array, proof: readonly Uint8Array[], index: bigint): Uint8Array {
  return proof.reduce((h, p, i) => (((index >> BigInt(i)) & 1n) === 1n ? nodeHash(p, h) : h), seed);
}
function chainBorderRight(seed: Uint8Array, proof: readonly Uint8Array[]): Uint8Array {
  return proof.reduce((h, p) => nodeHash(p, h), seed);
}

function checkSizes(values: readonly number[]): string | null {
  return values.every((v) => Number.isSafeInteger(v) && v >= 0) ? null : '树大小或序号不是非负整数';
}
function badHash(hashes: readonly Uint8Array[]): boolean {
  return hashes.some((h) => h.length !== HASH_SIZE);
}

/** Whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` leaves whose root is `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leaf: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofResult {
  const sizeError = checkSizes([index, size]);
  if (sizeError) return fail(sizeError);
  if (index >= size) return fail(`序号 ${index} 不在大小为 ${size} 的树内`);
  if (badHash([leaf, root, ...proof])) return fail('哈希长度不是 32 字节');
  const i = BigInt(index);
  const { inner, border } = decompose(i, BigInt(size));
  if (proof.length !== inner + border) return fail(`包含证明应有 ${inner + border} 个哈希，实际 ${proof.length} 个`);
  const computed = chainBorderRight(chainInner(leaf, proof.slice(0, inner), i), proof.slice(inner));
  return equalBytes(computed, root) ? { ok: true } : fail('包含证明算出的根哈希与检查点不符');
}

/** Whether `proof` shows the tree (size2, root2) is an append-only extension of (size1, root1). */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): ProofResult {
  const sizeError = checkSizes([size1, size2]);
  if (sizeError) return fail(sizeError);
  if (size2 < size1) return fail(`新检查点（${size2}）比旧检查点（${size1}）小`);
  if (badHash([root1, root2, ...proof])) return fail('哈希长度不是 32 字节');
  if (size1 === size2) {
    if (proof.length > 0) return fail('同一大小的两个检查点不应带一致性证明');
    return equalBytes(root1, root2) ? { ok: true } : fail('同一大小的两个检查点根哈希不同');
  }
  if (size1 === 0) return proof.length === 0 ? { ok: true } : fail('空树的一致性证明应为空');
  if (proof.length === 0) return fail('缺少一致性证明');
  const s1 = BigInt(size1);
  const decomposed = decompose(s1 - 1n, BigInt(size2));
  const shift = trailingZeros(s1);
  const inner = decomposed.inner - shift;
  // The proof starts with the root of the subtree of 2^shift leaves, unless the old tree is that subtree.
  const whole = s1 === 1n << BigInt(shift);
  const seed = whole ? root1 : proof[0]!;
  const rest = proof.slice(whole ? 0 : 1);
  if (rest.length !== inner + decomposed.border)
    return fail(`一致性证明应有 ${(whole ? 0 : 1) + inner + decomposed.border} 个哈希，实际 ${proof.length} 个`);
  const mask = (s1 - 1n) >> BigInt(shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!equalBytes(hash1, root1)) return fail('一致性证明与旧检查点的根哈希不符');
  const hash2 = chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
  return equalBytes(hash2, root2) ? { ok: true } : fail('一致性证明与新检查点的根哈希不符');
}
