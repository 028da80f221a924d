/**
 * Signed notes against the reference vector of golang.org/x/mod/sumdb/note (the PeterNeumann key
 * and note), with Ed25519 checked by node's WebCrypto.
 */
import { describe, expect, it } from 'vitest';
import { fromBase64, toBase64 } from './bytes.js';
import { openCheckpoint, openNote, parseCheckpoint, parseVerifierKey } from './signed-note.js';
import type { Ed25519Verify, VerifierKey } from './signed-note.js';

const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const SIG_LINE =
  '\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';
const NOTE = `${TEXT}\n${SIG_LINE}`;

const webcryptoVerify: Ed25519Verify = async (publicKey, message, signature) => {
  const key = await crypto.subtle.importKey('raw', Uint8Array.from(publicKey), 'Ed25519', false, ['verify']);
  return crypto.subtle.verify('Ed25519', key, Uint8Array.from(signature), Uint8Array.from(message));
};

function key(): VerifierKey {
  const k = parseVerifierKey(VKEY);
  if (!k.ok) throw new Error(k.error.message);
  return k.value;
}

describe('signed notes (Go reference vector)', () => {
  it('parses the verifier key and opens the reference note', async () => {
    expect(key().name).toBe('PeterNeumann');
    expect(await openNote(NOTE, key(), webcryptoVerify)).toEqual({ ok: true, value: TEXT });
  });

  it('refuses a changed text, a changed signature and a note signed by nobody it knows', async () => {
    const changed = await openNote(NOTE.replace('cryptography', 'cryptographY'), key(), webcryptoVerify);
    expect(changed).toEqual({
      ok: false,
      error: { kind: 'bad-signature', message: '平台签名校验失败：记录内容与签名不符' },
    });
    const blob = fromBase64(SIG_LINE.slice(15, -1))!;
    blob[10] = blob[10]! ^ 1;
    const badSig = `${TEXT}\n\u2014 PeterNeumann ${toBase64(blob)}\n`;
    expect((await openNote(badSig, key(), webcryptoVerify)).ok).toBe(false);
    const other = `${TEXT}\n\u2014 SomeoneElse ${SIG_LINE.slice(15)}`;
    expect(await openNote(other, key(), webcryptoVerify)).toMatchObject({ ok: false, error: { kind: 'unsigned' } });
  });

  it('refuses mangled verifier keys', () => {
    expect(parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4')).ok).toBe(false);
    expect(parseVerifierKey(VKEY.slice(0, -2)).ok).toBe(false);
    expect(parseVerifierKey(`Peter Neumann${VKEY.slice(12)}`).ok).toBe(false);
    expect(parseVerifierKey(VKEY.replace('+ARpc', '+AhRpc')).ok).toBe(false);
  });

  it('refuses malformed notes', async () => {
    expect((await openNote(TEXT, key(), webcryptoVerify)).ok).toBe(false);
    expect((await openNote(`${TEXT}\nPeterNeumann x\n`, key(), webcryptoVerify)).ok).toBe(false);
  });
});

describe('checkpoints', () => {
  it('parses origin, size and root, with extension lines allowed', () => {
    const root = toBase64(new Uint8Array(32).fill(7));
    const cp = parseCheckpoint(`example.com/log\n12\n${root}\nextra line\n`);
    expect(cp).toEqual({
      ok: true,
      value: { origin: 'example.com/log', size: 12, rootHash: new Uint8Array(32).fill(7) },
    });
  });

  it('refuses a leading zero, a short root and a missing line', () => {
    const root = toBase64(new Uint8Array(32));
    expect(parseCheckpoint(`o\n012\n${root}\n`).ok).toBe(false);
    expect(parseCheckpoint(`o\n12\n${toBase64(new Uint8Array(31))}\n`).ok).toBe(false);
    expect(parseCheckpoint(`o\n12\n`).ok).toBe(false);
  });

  it('a checkpoint must come from the key it is checked with', async () => {
    // The reference note is validly signed but is no checkpoint of this origin.
    const r = await openCheckpoint(NOTE, key(), webcryptoVerify);
    expect(r.ok).toBe(false);
  });
});

describe('base64', () => {
  it('round-trips and refuses non-canonical spellings', () => {
    for (let n = 0; n < 8; n += 1) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => i * 37 + 1);
      expect(fromBase64(toBase64(bytes))).toEqual(bytes);
    }
    expect(toBase64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=');
    expect(fromBase64('+/9=')).toBeNull();
    expect(fromBase64('+/8')).toBeNull();
    expect(fromBase64('+/8*')).toBeNull();
  });
});
