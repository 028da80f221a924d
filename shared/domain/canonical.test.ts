import { describe, expect, it } from 'vitest';
import { canonicalJson, toHex } from './canonical.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: undefined, w: 'z' }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"w":"z","y":2}]},"b":1}',
    );
  });
  it('is equal for objects built in different key orders', () => {
    expect(canonicalJson({ x: 1, y: [2, 3] })).toBe(canonicalJson({ y: [2, 3], x: 1 }));
  });
  it('refuses non-finite numbers', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });
  it('hex-encodes digests', () => {
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });
});
