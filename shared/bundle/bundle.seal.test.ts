import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE } from './bundle.format.js';
import { openBundle, type OpenOptions } from './bundle.open.js';
import { sealBundle, sealBundleToBytes, type SealOptions } from './bundle.seal.js';
import { exportPublicKey, generateRecipientKeyPair, generateSigningKeyPair } from './webcrypto.js';

let seal: SealOptions;
let open: OpenOptions;

beforeAll(async () => {
  const device = await generateSigningKeyPair();
  const platform = await generateRecipientKeyPair();
  const devicePublic = await exportPublicKey(device.publicKey);
  const platformPublic = await exportPublicKey(platform.publicKey);
  seal = {
    kind: 'results',
    senderId: 'dev-1',
    signingKey: device.privateKey,
    senderPublicKey: devicePublic,
    recipientPublicKey: platformPublic,
    createdAt: new Date('2026-12-04T08:00:00Z'),
  };
  open = {
    recipient: { privateKey: platform.privateKey, publicKey: platformPublic },
    trustedSenders: [{ senderId: 'dev-1', publicKey: devicePublic }],
    seenBundleIds: new Set<string>(),
  };
});

/** Byte equality through Buffer: vitest's deep equality walks typed arrays element by element, far too slowly for megabytes. */
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

function patterned(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return b;
}

/** Feeds a buffer in irregular pieces, as a file stream would. */
async function* pieces(bytes: Uint8Array, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length]!);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

describe('sealBundle / openBundle round trip', () => {
  it('returns every entry byte for byte with the header it was sealed with', async () => {
    const entries = [
      { name: 'payloads/result-1.json', data: new TextEncoder().encode('{"结论":"未发现问题"}') },
      { name: 'evidence/空文件.bin', data: new Uint8Array(0) },
      { name: 'evidence/photo-1.jpg', data: patterned(2 * CHUNK_SIZE + 123, 1) },
      { name: 'audit/checkpoint.json', data: patterned(CHUNK_SIZE, 2) },
    ];
    const bytes = await sealBundleToBytes(entries, seal);
    const opened = await openBundle(bytes, open);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    expect(opened.header).toMatchObject({ kind: 'results', senderId: 'dev-1', createdAt: '2026-12-04T08:00:00.000Z' });
    expect(opened.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
    opened.entries.forEach((e, i) => expect(same(e.bytes, entries[i]!.data)).toBe(true));
  });

  it('opens from a stream of irregular pieces and seals from re-readable sources', async () => {
    const big = patterned(3 * CHUNK_SIZE + 5, 3);
    const source = { name: 'evidence/video.mp4', size: big.length, read: () => pieces(big, [1000, 70_000, 3]) };
    const bytes = await sealBundleToBytes([source], seal);
    const opened = await openBundle(pieces(bytes, [7, 65_536, 300_001, 1]), open);
    expect(opened.ok && same(opened.entries[0]!.bytes, big)).toBe(true);
  });

  it('gives every bundle its own id and its own ciphertext', async () => {
    const entries = [{ name: 'a', data: patterned(100, 4) }];
    const [a, b] = [await sealBundleToBytes(entries, seal), await sealBundleToBytes(entries, seal)];
    const [oa, ob] = [await openBundle(a, open), await openBundle(b, open)];
    expect(oa.ok && ob.ok && oa.header.bundleId !== ob.header.bundleId).toBe(true);
    expect(Buffer.from(a.subarray(-64)).equals(Buffer.from(b.subarray(-64)))).toBe(false);
  });

  it('does not put entry names or contents on the stick in clear', async () => {
    const secret = '某某食品有限公司-执法证号12345';
    const bytes = await sealBundleToBytes([{ name: secret, data: new TextEncoder().encode(secret) }], seal);
    const asText = Buffer.from(bytes).toString('latin1');
    expect(asText).not.toContain(Buffer.from(secret).toString('latin1'));
    expect(asText).not.toContain('12345');
  });

  it('refuses to seal two entries of one name, or a source that changes between its two reads', async () => {
    const one = { name: 'x', data: new Uint8Array([1]) };
    await expect(sealBundleToBytes([one, one], seal)).rejects.toThrow(/given twice/);
    let reads = 0;
    const fickle = {
      name: 'fickle',
      size: 3,
      read: async function* () {
        yield new Uint8Array([1, 2, reads++]);
      },
    };
    await expect(sealBundleToBytes([fickle], seal)).rejects.toThrow(/changed while it was being sealed/);
    const lying = { name: 'lying', size: 4, read: () => pieces(new Uint8Array(3), [3]) };
    await expect(sealBundleToBytes([lying], seal)).rejects.toThrow(/declared 4 bytes but read 3/);
    const huge = { name: 'huge', size: 2 ** 31 + 1, read: () => pieces(new Uint8Array(1), [1]) };
    await expect(sealBundleToBytes([huge], seal)).rejects.toThrow(/larger than 2147483648 bytes/);
  });

  it('yields the output frame by frame rather than as one buffer', async () => {
    const parts: number[] = [];
    for await (const p of sealBundle([{ name: 'big', data: patterned(4 * CHUNK_SIZE, 5) }], seal)) parts.push(p.length);
    expect(parts.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...parts)).toBeLessThanOrEqual(CHUNK_SIZE + 16 + 5);
  });
});

describe('property: any entry set round-trips; any cut or flipped bit is refused', () => {
  const entrySet = fc.uniqueArray(
    fc.record({
      name: fc.string({ minLength: 1, maxLength: 40 }),
      size: fc.oneof(fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: CHUNK_SIZE + 4096 })),
      seed: fc.integer({ min: 0, max: 255 }),
    }),
    { selector: (e) => e.name, maxLength: 5 },
  );
  const build = (set: { name: string; size: number; seed: number }[]) =>
    set.map((e) => ({ name: e.name, data: patterned(e.size, e.seed) }));

  it('round-trips', async () => {
    await fc.assert(
      fc.asyncProperty(entrySet, async (set) => {
        const entries = build(set);
        const opened = await openBundle(await sealBundleToBytes(entries, seal), open);
        expect(opened.ok).toBe(true);
        if (!opened.ok) return;
        expect(opened.entries.map((e) => e.name)).toEqual(entries.map((e) => e.name));
        opened.entries.forEach((e, i) => expect(same(e.bytes, entries[i]!.data)).toBe(true));
      }),
      { numRuns: 25 },
    );
  });

  it('calls every strict prefix truncated and refuses every single-bit flip without returning entries', async () => {
    await fc.assert(
      fc.asyncProperty(entrySet, fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(7), async (set, where, bit) => {
        const bytes = await sealBundleToBytes(build(set), seal);
        const at = Math.min(bytes.length - 1, Math.floor(where * bytes.length));
        const cut = await openBundle(bytes.subarray(0, at), open);
        expect(cut).toEqual({ ok: false, error: { kind: 'truncated', message: '文件不完整（已截断）' } });
        expect(await openBundle(pieces(bytes.subarray(0, at), [4096, 1, 300_000]), open)).toEqual(cut);
        const flipped = bytes.slice();
        flipped[at]! ^= 1 << bit;
        const opened = await openBundle(flipped, open);
        expect(opened.ok).toBe(false);
        expect('entries' in opened).toBe(false);
      }),
      { numRuns: 40 },
    );
  });
});
