import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packDocs, packedLists, unpackList } from './packed-docs.js';

/** Lists as the posting arrays hold them: one flat ascending run per key, with its bounds. */
function flat(lists: readonly number[][]): { start: Uint32Array; docs: Uint32Array } {
  const start = new Uint32Array(lists.length + 1);
  lists.forEach((l, k) => (start[k + 1] = start[k]! + l.length));
  return { start, docs: Uint32Array.from(lists.flat()) };
}

const listArb = fc
  .uniqueArray(fc.oneof(fc.nat(300), fc.nat(70_000), fc.nat(0xffffffff)), { maxLength: 40 })
  .map((l) => l.sort((a, b) => a - b));

describe('packed posting ids', () => {
  it('gives back every list exactly, whatever the gaps (one to five bytes each) and empty lists', () => {
    fc.assert(
      fc.property(fc.array(listArb, { maxLength: 12 }), (lists) => {
        const { start, docs } = flat(lists);
        const packed = packDocs(start, docs);
        const read = packedLists(packed, start);
        lists.forEach((l, k) => {
          expect([...unpackList(packed, k, l.length)]).toEqual(l);
          expect([...read(k)]).toEqual(l);
        });
      }),
    );
  });

  it('takes one byte per gap below 128 and keeps long decoded lists for the next read', () => {
    const long = Array.from({ length: 5000 }, (_, i) => i * 3);
    const { start, docs } = flat([[7], long]);
    const packed = packDocs(start, docs);
    expect(packed.bytes.length).toBe(1 + 5000);
    const read = packedLists(packed, start);
    expect(read(1)).toBe(read(1));
    expect(read(0)).not.toBe(read(0));
  });

  it('refuses a list whose bytes do not hold its length, and lists out of order', () => {
    const { start, docs } = flat([[1, 2, 3]]);
    const packed = packDocs(start, docs);
    expect(() => unpackList(packed, 0, 4)).toThrow(/cut short/);
    expect(() => unpackList(packed, 0, 2)).toThrow(/holds more than 2/);
    expect(() => packDocs(start, Uint32Array.from([3, 2, 1]))).toThrow(/not ascending/);
  });
});
