import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeValue, encodeValue } from './value.codec.js';
import { openJson, openJsonAsync, sealJson, sealJsonAsync } from './sealed-json.js';
import { utf8 } from './bytes.js';
import { VaultError } from './vault.errors.js';

const roundTrip = (v: unknown): unknown => decodeValue(encodeValue(v));

function refusal(v: unknown): VaultError {
  try {
    encodeValue(v);
  } catch (e) {
    if (e instanceof VaultError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('value codec', () => {
  it('round-trips bytes, buffers, dates, odd numbers and $-keys exactly', () => {
    const row = {
      id: 'T-1',
      photo: new Uint8Array([0, 1, 2, 255]),
      raw: new Uint8Array([9, 8, 7]).buffer,
      at: new Date(1_700_000_000_000),
      n: [NaN, Infinity, -Infinity, -0, 0.5, undefined],
      $u8: [0, 4],
      $$x: { $date: 1 },
      nested: { deep: [new Uint8Array(0), { $undef: 0 }] },
      ['__proto__']: 'data',
    };
    const back = roundTrip(row) as typeof row;
    expect(back).toEqual(row);
    expect(back.photo).toBeInstanceOf(Uint8Array);
    expect(back.raw).toBeInstanceOf(ArrayBuffer);
    expect(back.at).toBeInstanceOf(Date);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toContain('__proto__');
  });

  it('returns copies, not views into the opened buffer', () => {
    const back = roundTrip({ a: new Uint8Array([1, 2]) }) as { a: Uint8Array };
    expect(back.a.buffer.byteLength).toBe(2);
  });

  it('round-trips any JSON-like value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(roundTrip(v)).toEqual(v);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a Blob and says to seal its bytes first', () => {
    const e = refusal({ photo: new Blob(['x']) });
    expect(e.code).toBe('unsupported-value');
    expect(e.detail).toContain('value.photo');
    expect(e.detail).toContain('sealBytesAsync');
    expect(e.message).toContain('Blob');
  });

  it('refuses what it cannot restore exactly, naming the path', () => {
    expect(refusal({ m: new Map() }).detail).toBe('value.m: Map');
    expect(refusal([new Int16Array(2)]).detail).toBe('value[0]: Int16Array');
    expect(refusal({ b: 1n }).detail).toBe('value.b: bigint');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusal(cyclic).detail).toContain('circular');
    expect(refusal(new Date(NaN)).detail).toContain('invalid Date');
  });

  it('allows shared (non-cyclic) references', () => {
    const shared = { a: 1 };
    expect(roundTrip({ x: shared, y: shared })).toEqual({ x: { a: 1 }, y: { a: 1 } });
  });

  it('rejects bytes that are not its format', () => {
    const detailOf = (bytes: Uint8Array): string | undefined => {
      try {
        decodeValue(bytes);
      } catch (e) {
        if (e instanceof VaultError && e.code === 'bad-encoding') return e.detail;
        throw e;
      }
      throw new Error('expected bad-encoding');
    };
    expect(detailOf(new Uint8Array([2, 0, 0, 0, 0]))).toContain('codec format 2');
    expect(detailOf(utf8('\u0001\u0010\u0000\u0000\u0000{}'))).toContain('JSON length');
    const framed = (json: string): Uint8Array => {
      const text = utf8(json);
      const out = new Uint8Array(5 + text.length);
      out[0] = 1;
      new DataView(out.buffer).setUint32(1, text.length, true);
      out.set(text, 5);
      return out;
    };
    expect(detailOf(framed('{"$x":1}'))).toContain('unescaped key');
    expect(detailOf(framed('{"$u8":[0,5]}'))).toContain('bad $u8 range');
    expect(decodeValue(framed('{"$$x":1}'))).toEqual({ $x: 1 });
  });
});

describe('sealJson / openJson', () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const aad = utf8('field/results/"R-1"');
  it('seal sync, open async and the other way round', async () => {
    const v = { code: ['未发现问题'], sig: new Uint8Array([1, 2, 3]) };
    expect(await openJsonAsync(key, sealJson(key, v, aad), aad)).toEqual(v);
    expect(openJson(key, await sealJsonAsync(key, v, aad), aad)).toEqual(v);
  });
});
