import { describe, expect, it } from 'vitest';
import { newDataKey, newKeyId, rewrapDataKey, unwrapDataKey, wrapDataKey, type WrappedKey } from './keys.js';
import { wrappedKeySchema } from './wrapped-key.schema.js';
import { fromBase64Url, toBase64Url } from './bytes.js';

// Small parameters keep the suite quick; the defaults are measured by test/bench/vault-kdf.bench.ts.
const params = { N: 2 ** 10, r: 8, p: 1 };
const inspectorId = '3710021001121';

async function wrapped(password = 'demo1234'): Promise<{ dataKey: Uint8Array; w: WrappedKey }> {
  const dataKey = newDataKey();
  return { dataKey, w: await wrapDataKey(dataKey, password, { inspectorId, keyId: newKeyId(), params }) };
}

/** What a file on disk gives back: plain JSON. */
const fromDisk = (w: unknown): unknown => JSON.parse(JSON.stringify(w));

function kindOf(r: Awaited<ReturnType<typeof unwrapDataKey>>): string {
  return r.ok ? 'ok' : r.error.kind;
}

describe('wrap / unwrap', () => {
  it('round-trips through JSON and opens with the password only', async () => {
    const { dataKey, w } = await wrapped();
    expect(wrappedKeySchema.parse(w)).toEqual(w);
    const r = await unwrapDataKey(fromDisk(w), 'demo1234', inspectorId);
    expect(r.ok && r.dataKey).toEqual(dataKey);
    const wrong = await unwrapDataKey(fromDisk(w), 'demo12345', inspectorId);
    expect(wrong).toEqual({ ok: false, error: { kind: 'wrong-password', message: '密码不正确。' } });
  });

  it('normalises the password, so composed and decomposed input are the same password', async () => {
    const { w } = await wrapped('caf\u00e9密码');
    expect(kindOf(await unwrapDataKey(w, 'cafe\u0301密码', inspectorId))).toBe('ok');
  });

  it("refuses another inspector's key before deriving anything", async () => {
    const { w } = await wrapped();
    const r = await unwrapDataKey(w, 'demo1234', '3710021000724');
    expect(kindOf(r)).toBe('other-inspector');
    expect(!r.ok && r.error.message).toContain('另一位执法人员');
  });

  it('binds inspector, key id and KDF parameters: edits fail the tag', async () => {
    const { w } = await wrapped();
    const edits: WrappedKey[] = [
      { ...w, keyId: 'another-key' },
      { ...w, kdf: { ...w.kdf, N: 2 ** 11 } },
      { ...w, kdf: { ...w.kdf, salt: toBase64Url(new Uint8Array(16)) } },
    ];
    for (const edited of edits)
      expect(kindOf(await unwrapDataKey(edited, 'demo1234', inspectorId))).toBe('wrong-password');
    // Renamed to the person trying to open it: the AAD still names the original inspector.
    const other = await wrapDataKey(newDataKey(), 'demo1234', { inspectorId: '3710021000724', keyId: 'k', params });
    expect(kindOf(await unwrapDataKey({ ...other, inspectorId }, 'demo1234', inspectorId))).toBe('wrong-password');
  });

  it('a flipped ciphertext byte fails like a wrong password (GCM cannot tell them apart)', async () => {
    const { w } = await wrapped();
    const ct = fromBase64Url(w.ct)!;
    ct[5]! ^= 1;
    expect(kindOf(await unwrapDataKey({ ...w, ct: toBase64Url(ct) }, 'demo1234', inspectorId))).toBe('wrong-password');
  });

  it('structural damage is corrupt, with the field named, and derives nothing', async () => {
    const { w } = await wrapped();
    const damaged: unknown[] = [
      null,
      'not json',
      { ...w, ct: w.ct.slice(0, -4) },
      { ...w, iv: `${w.iv.slice(0, -1)}=` },
      { ...w, extra: 1 },
      { ...w, v: 2 },
      { ...w, kdf: { ...w.kdf, N: 2 ** 30 } },
      { ...w, kdf: { ...w.kdf, N: 3000 } },
      { ...w, kdf: { ...w.kdf, alg: 'pbkdf2' } },
      (({ kdf: _kdf, ...rest }) => rest)(w),
    ];
    for (const d of damaged) {
      const r = await unwrapDataKey(d, 'demo1234', inspectorId);
      expect(kindOf(r)).toBe('corrupt');
    }
    const r = await unwrapDataKey({ ...w, kdf: { ...w.kdf, N: 2 ** 30 } }, 'demo1234', inspectorId);
    expect(!r.ok && r.error.message).toContain('kdf');
  });

  it('refuses an empty password and a key of the wrong size', async () => {
    await expect(wrapDataKey(newDataKey(), '', { inspectorId, keyId: 'k', params })).rejects.toThrow(RangeError);
    await expect(wrapDataKey(new Uint8Array(16), 'x', { inspectorId, keyId: 'k', params })).rejects.toThrow(RangeError);
    await expect(wrapDataKey(newDataKey(), 'x', { inspectorId: '', keyId: 'k', params })).rejects.toThrow(
      /inspectorId/,
    );
  });

  it('reports progress and can be aborted mid-derivation', async () => {
    const seen: number[] = [];
    await wrapDataKey(newDataKey(), 'x', { inspectorId, keyId: 'k', params, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(1);
    const controller = new AbortController();
    const aborted = wrapDataKey(newDataKey(), 'x', {
      inspectorId,
      keyId: 'k',
      params: { N: 2 ** 14, r: 8, p: 1 },
      signal: controller.signal,
      onProgress: (f) => {
        if (f > 0.2) controller.abort();
      },
    });
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('rewrap', () => {
  it('password change keeps the data key; the old password stops working', async () => {
    const { dataKey, w } = await wrapped();
    const r = await rewrapDataKey({ wrapped: fromDisk(w), password: 'demo1234', inspectorId }, 'new-密码-2026', {
      params,
    });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.wrapped.keyId).toBe(w.keyId);
    expect(r.wrapped.kdf.salt).not.toBe(w.kdf.salt);
    expect(kindOf(await unwrapDataKey(r.wrapped, 'demo1234', inspectorId))).toBe('wrong-password');
    const opened = await unwrapDataKey(r.wrapped, 'new-密码-2026', inspectorId);
    expect(opened.ok && opened.dataKey).toEqual(dataKey);
  });

  it('a wrong current password changes nothing', async () => {
    const { w } = await wrapped();
    const r = await rewrapDataKey({ wrapped: w, password: 'guess', inspectorId }, 'new', { params });
    expect(r.ok ? 'ok' : r.error.kind).toBe('wrong-password');
  });

  it('from a data key in hand (released from escrow after a forgotten password)', async () => {
    const dataKey = newDataKey();
    const r = await rewrapDataKey({ dataKey, inspectorId, keyId: 'escrowed-1' }, 'fresh', { params });
    if (!r.ok) throw new Error(r.error.message);
    const opened = await unwrapDataKey(r.wrapped, 'fresh', inspectorId);
    expect(opened.ok && opened.dataKey).toEqual(dataKey);
    expect(r.wrapped.keyId).toBe('escrowed-1');
  });
});
