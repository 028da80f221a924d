/**
 * The order of the index's documents by USCC, for prefix lookups by binary search. A comparison
 * sort of 200,000 strings with a JS comparator takes ≈300–400 ms here; USCCs are 18 characters
 * from a 31-symbol alphabet (GB 32100), so an LSD radix sort on three characters at a time (six
 * counting passes) does it in a few milliseconds. Anything not shaped like a USCC falls back to
 * the comparison sort, so the order is always the plain string order.
 */
import { USCC_PATTERN } from '../../../../shared/domain/uscc.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const RANK = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) RANK[ALPHABET.charCodeAt(i)] = i;
const BASE = ALPHABET.length;
const BUCKETS = BASE * BASE * BASE;

function digit(u: string, at: number): number {
  return (RANK[u.charCodeAt(at)]! * BASE + RANK[u.charCodeAt(at + 1)]!) * BASE + RANK[u.charCodeAt(at + 2)]!;
}

/** Radix digits per USCC (six, most significant first), or null when one is not shaped like a USCC. */
export function usccDigits(usccs: readonly string[]): Uint16Array | null {
  const out = new Uint16Array(usccs.length * PASSES);
  for (let i = 0; i < usccs.length; i++) {
    const u = usccs[i]!;
    if (!USCC_PATTERN.test(u)) return null;
    for (let p = 0; p < PASSES; p++) out[i * PASSES + p] = digit(u, p * 3);
  }
  return out;
}

const PASSES = 6;

/**
 * Document numbers 0…n-1 ordered by their USCC (ascending, ties by document number). `digits`
 * (from usccDigits, possibly computed earlier chunk by chunk and joined) saves reading the strings.
 */
export function usccOrder(usccs: readonly string[], digits: Uint16Array | null = usccDigits(usccs)): Uint32Array {
  const n = usccs.length;
  if (digits === null || digits.length !== n * PASSES) {
    const byCompare = Uint32Array.from(usccs.keys());
    return byCompare.sort((a, b) => (usccs[a]! < usccs[b]! ? -1 : usccs[a]! > usccs[b]! ? 1 : a - b));
  }
  let order = Uint32Array.from(usccs.keys());
  let next = new Uint32Array(n);
  const count = new Uint32Array(BUCKETS + 1);
  for (let p = PASSES - 1; p >= 0; p--) {
    count.fill(0);
    for (let i = 0; i < n; i++) {
      const k = digits[i * PASSES + p]!;
      count[k + 1] = count[k + 1]! + 1;
    }
    for (let k = 0; k < BUCKETS; k++) count[k + 1] = count[k + 1]! + count[k]!;
    for (let i = 0; i < n; i++) {
      const d = order[i]!;
      const k = digits[d * PASSES + p]!;
      next[count[k]!] = d;
      count[k] = count[k]! + 1;
    }
    [order, next] = [next, order];
  }
  return order;
}
