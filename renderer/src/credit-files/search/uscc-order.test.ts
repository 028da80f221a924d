/** The radix order of USCCs equals the plain string order, and odd input falls back to it. */
import { describe, expect, it } from 'vitest';
import { usccOrder } from './uscc-order.js';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function rng(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % n;
  };
}

function byCompare(usccs: readonly string[]): number[] {
  return [...usccs.keys()].sort((a, b) => (usccs[a]! < usccs[b]! ? -1 : usccs[a]! > usccs[b]! ? 1 : a - b));
}

describe('usccOrder', () => {
  it('orders well-formed USCCs exactly as string comparison does (ties by position)', () => {
    const r = rng(3);
    const pick = (s: string) => s[r(s.length)]!;
    // Few regions and kinds, as in one station: long shared prefixes and some duplicates.
    const usccs = Array.from({ length: 20_000 }, () => {
      let u = pick('9159') + pick('13') + ['371002', '371003', '371082', '371083'][r(4)]!;
      for (let i = 0; i < 10; i++) u += pick(ALPHABET);
      return u;
    });
    usccs.push(...usccs.slice(0, 50));
    expect([...usccOrder(usccs)]).toEqual(byCompare(usccs));
  });

  it('falls back to string comparison when an entry is not shaped like a USCC', () => {
    const usccs = ['91371002MA401G3294', 'abc', '91371002MA401G329', '11371002MA401G3294'];
    expect([...usccOrder(usccs)]).toEqual(byCompare(usccs));
    expect([...usccOrder([])]).toEqual([]);
  });
});
