import { describe, expect, it } from 'vitest';
import { gzip } from '../../testing/gzip.js';
import { gunzip } from './gzip.js';

/** Bytes that compress well but not trivially (NDJSON-like, varied). */
function sample(size: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = 12345;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = i % 97 === 96 ? 10 : 0x61 + ((x >>> 16) % 20);
  }
  return out;
}

/** A copy of a gzip member with its trailer's size field (ISIZE) replaced. */
function withIsize(member: Uint8Array, isize: number): Uint8Array {
  const out = new Uint8Array(member);
  new DataView(out.buffer).setUint32(out.byteLength - 4, isize >>> 0, true);
  return out;
}

describe('gunzip', () => {
  it('gives back exactly the bytes of a member', async () => {
    const plain = sample(300_000);
    const out = await gunzip(await gzip(plain));
    expect(out.byteLength).toBe(plain.byteLength);
    expect(out.every((b, i) => b === plain[i])).toBe(true);
  });

  it('grows its buffer when the output outruns the reservation (a member compressed over 64 times)', async () => {
    const plain = new Uint8Array(3_000_000);
    for (let i = 0; i < plain.byteLength; i += 4096) plain[i] = 0x30 + ((i >> 12) % 10);
    const member = await gzip(plain);
    expect(member.byteLength * 64).toBeLessThan(plain.byteLength); // the reservation is capped below the output
    const out = await gunzip(member);
    expect(out.byteLength).toBe(plain.byteLength);
    expect(out.every((b, i) => b === plain[i])).toBe(true);
  });

  it('rejects a member whose trailer states another size (the size only reserves; zlib checks it)', async () => {
    const plain = sample(200_000);
    const member = await gzip(plain);
    for (const isize of [0, plain.byteLength - 1, plain.byteLength + 1, 0xffffffff])
      await expect(gunzip(withIsize(member, isize))).rejects.toThrow();
  });

  it('rejects a corrupt member instead of returning partial bytes', async () => {
    const member = await gzip(sample(100_000));
    member[Math.floor(member.byteLength / 2)]! ^= 0xff;
    await expect(gunzip(member)).rejects.toThrow();
  });

  it('gives back an empty member as no bytes', async () => {
    expect((await gunzip(await gzip(new Uint8Array(0)))).byteLength).toBe(0);
  });
});
