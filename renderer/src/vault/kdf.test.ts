import { describe, expect, it } from 'vitest';
import { DEFAULT_KDF_PARAMS, deriveKek, kdfParamsProblem } from './kdf.js';
import { utf8 } from './bytes.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('deriveKek', () => {
  it('is scrypt: RFC 7914 test vector ("password", "NaCl", N=1024, r=8, p=16), first 32 bytes', async () => {
    const kek = await deriveKek('password', utf8('NaCl'), { N: 1024, r: 8, p: 16 });
    expect(hex(kek)).toBe('fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162');
  });

  it('the measured defaults are within the bounds accepted from disk, and derive', async () => {
    expect(kdfParamsProblem(DEFAULT_KDF_PARAMS)).toBeNull();
    expect((await deriveKek('demo1234', new Uint8Array(16), DEFAULT_KDF_PARAMS)).length).toBe(32);
  });

  it('refuses parameters out of bounds before allocating anything', async () => {
    await expect(deriveKek('x', new Uint8Array(16), { N: 2 ** 24, r: 8, p: 1 })).rejects.toThrow(/power of two/);
    expect(kdfParamsProblem({ N: 2 ** 20, r: 32, p: 1 })).toMatch(/bytes/);
    expect(kdfParamsProblem({ N: 2 ** 14, r: 0, p: 1 })).toMatch(/^r/);
  });

  it('an already aborted signal derives nothing', async () => {
    const c = new AbortController();
    c.abort();
    await expect(
      deriveKek('x', new Uint8Array(16), { N: 1024, r: 8, p: 1 }, { signal: c.signal }),
    ).rejects.toMatchObject({ name: 'AbortError' });
  });
});
