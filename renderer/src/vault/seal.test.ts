import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { utf8 } from './bytes.js';
import { forgetCryptoKey, openBytes, openBytesAsync, SEAL_OVERHEAD, sealBytes, sealBytesAsync } from './seal.js';
import { VaultError } from './vault.errors.js';

const key = crypto.getRandomValues(new Uint8Array(32));
const otherKey = crypto.getRandomValues(new Uint8Array(32));
const aad = utf8('field/drafts/"T-1"');

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof VaultError) return e.code;
    throw e;
  }
  throw new Error('expected a VaultError');
}

async function asyncCodeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VaultError) return e.code;
    throw e;
  }
  throw new Error('expected a VaultError');
}

describe('sealed-bytes format', () => {
  it('is version | 12-byte IV | ciphertext + 16-byte tag, with a fresh IV each time', () => {
    const plain = utf8('检查记录');
    const a = sealBytes(key, plain, aad);
    const b = sealBytes(key, plain, aad);
    expect(a[0]).toBe(1);
    expect(a.length).toBe(1 + 12 + plain.length + 16);
    expect(a.subarray(1, 13)).not.toEqual(b.subarray(1, 13));
    expect(openBytes(key, a, aad)).toEqual(plain);
  });

  it('noble (sync) and WebCrypto (async) read each other, for any bytes and AAD', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 64 }), async (plain, ad) => {
        expect(await openBytesAsync(key, sealBytes(key, plain, ad), ad)).toEqual(plain);
        expect(openBytes(key, await sealBytesAsync(key, plain, ad), ad)).toEqual(plain);
      }),
      { numRuns: 60 },
    );
  });

  it('a wrong key, other AAD or any flipped bit fails with cannot-open, never garbage', async () => {
    const sealed = sealBytes(key, utf8('营业执照'), aad);
    expect(codeOf(() => openBytes(otherKey, sealed, aad))).toBe('cannot-open');
    expect(codeOf(() => openBytes(key, sealed, utf8('field/drafts/"T-2"')))).toBe('cannot-open');
    expect(await asyncCodeOf(openBytesAsync(otherKey, sealed, aad))).toBe('cannot-open');
    for (let i = 1; i < sealed.length; i += 1) {
      const tampered = sealed.slice();
      tampered[i]! ^= 0x01;
      expect(codeOf(() => openBytes(key, tampered, aad))).toBe('cannot-open');
    }
  });

  it('short input and unknown versions get their own codes and a zh-CN message', async () => {
    const sealed = sealBytes(key, new Uint8Array(0), aad);
    expect(sealed.length).toBe(SEAL_OVERHEAD);
    expect(openBytes(key, sealed, aad)).toEqual(new Uint8Array(0));
    expect(codeOf(() => openBytes(key, sealed.subarray(0, SEAL_OVERHEAD - 1), aad))).toBe('too-short');
    expect(await asyncCodeOf(openBytesAsync(key, new Uint8Array(3), aad))).toBe('too-short');
    const v2 = sealed.slice();
    v2[0] = 2;
    expect(codeOf(() => openBytes(key, v2, aad))).toBe('unknown-version');
    try {
      openBytes(key, v2, aad);
    } catch (e) {
      expect((e as Error).message).toMatch(/版本/);
    }
  });

  it('refuses keys that are not 32 bytes (AES-128 must never be chosen by accident)', () => {
    expect(() => sealBytes(new Uint8Array(16), utf8('x'), aad)).toThrow(RangeError);
  });

  it('caches one CryptoKey per key and can forget it', async () => {
    const k = crypto.getRandomValues(new Uint8Array(32));
    const sealed = await sealBytesAsync(k, utf8('a'), aad);
    forgetCryptoKey(k);
    expect(await openBytesAsync(k, sealed, aad)).toEqual(utf8('a'));
  });
});
