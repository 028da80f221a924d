import { webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointMessage, signCheckpoint, verifyCheckpoint, type CheckpointFields } from './checkpoint.js';
import { fromBase64Url, toBase64Url } from './encoding.js';
import { sha256Ed25519, suiteFor } from './suite.js';

const fields: CheckpointFields = {
  resultId: 'r-1',
  contentHash: 'a'.repeat(64),
  deviceId: 'dev-1',
  deviceSeq: 3,
  count: 12,
  headHash: 'b'.repeat(64),
};

describe('integrity suite sha256+ed25519 (Node WebCrypto)', () => {
  it('hashes like SHA-256', async () => {
    const abc = new Uint8Array([0x61, 0x62, 0x63]);
    expect(await suiteFor('sha256+ed25519').hash(abc)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('signs with a non-extractable imported key; the signature verifies and any changed field fails', async () => {
    const suite = suiteFor('sha256+ed25519');
    const made = await suite.generate();
    const key = await suite.importSigningKey(made.pkcs8, made.publicKey);
    expect((key.handle as webcrypto.CryptoKey).extractable).toBe(false);
    await expect(webcrypto.subtle.exportKey('pkcs8', key.handle as webcrypto.CryptoKey)).rejects.toThrow();
    const pk = toBase64Url(made.publicKey);
    const sig = await signCheckpoint(suite, key, fields);
    expect(await verifyCheckpoint(suite, pk, fields, sig)).toBe(true);
    for (const change of [
      { contentHash: 'c'.repeat(64) },
      { deviceSeq: 4 },
      { count: 13 },
      { headHash: 'd'.repeat(64) },
      { deviceId: 'dev-2' },
      { resultId: 'r-2' },
    ])
      expect(await verifyCheckpoint(suite, pk, { ...fields, ...change }, sig)).toBe(false);
    const other = await suite.generate();
    expect(await verifyCheckpoint(suite, toBase64Url(other.publicKey), fields, sig)).toBe(false);
  });

  it('answers false (never throws) for malformed keys and signatures', async () => {
    const suite = sha256Ed25519();
    expect(await verifyCheckpoint(suite, 'not base64!', fields, 'AAAA')).toBe(false);
    expect(
      await verifyCheckpoint(suite, toBase64Url(new Uint8Array(32)), fields, toBase64Url(new Uint8Array(64))),
    ).toBe(false);
    expect(await suite.verify(new Uint8Array(31), checkpointMessage(fields), new Uint8Array(64))).toBe(false);
  });

  it('refuses to import a private key under another key’s public key', async () => {
    const suite = suiteFor('sha256+ed25519');
    const a = await suite.generate();
    const b = await suite.generate();
    await expect(suite.importSigningKey(a.pkcs8, b.publicKey)).rejects.toThrow(/does not match/);
  });

  it('base64url round-trips every length and rejects non-canonical text', () => {
    for (let n = 0; n < 10; n += 1) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 97 + 13) & 0xff);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect([...fromBase64Url(text)!]).toEqual([...bytes]);
    }
    expect(fromBase64Url('A')).toBeNull();
    expect(fromBase64Url('AB')).toBeNull(); // leftover bits set
    expect(fromBase64Url('a+b/')).toBeNull();
  });
});
