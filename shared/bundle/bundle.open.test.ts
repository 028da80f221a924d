import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHUNK_SIZE, TAG_BYTES, concat, u32 } from './bundle.format.js';
import {
  openBundle,
  openBundleStaged,
  type BundleRefusalKind,
  type OpenBundleResult,
  type OpenOptions,
} from './bundle.open.js';
import { sealBundle, sealBundleToBytes, type SealOptions } from './bundle.seal.js';
import { exportPublicKey, generateRecipientKeyPair, generateSigningKeyPair, type BundleKeyPair } from './webcrypto.js';

let deviceA: BundleKeyPair;
let deviceB: BundleKeyPair;
let platform: BundleKeyPair;
let otherPlatform: BundleKeyPair;
let raw: { a: Uint8Array; b: Uint8Array; platform: Uint8Array; other: Uint8Array };
let bundle: Uint8Array;

const ENTRIES = [
  { name: 'payloads/r1.json', data: new TextEncoder().encode('{"result":"ok"}') },
  { name: 'evidence/p1.jpg', data: new Uint8Array(3 * CHUNK_SIZE + 1000).map((_, i) => i * 13) },
];

const sealAs = (over: Partial<SealOptions> = {}): SealOptions => ({
  kind: 'results',
  senderId: 'dev-A',
  signingKey: deviceA.privateKey,
  senderPublicKey: raw.a,
  recipientPublicKey: raw.platform,
  ...over,
});

const openAs = (over: Partial<OpenOptions> = {}): OpenOptions => ({
  recipient: { privateKey: platform.privateKey, publicKey: raw.platform },
  trustedSenders: [{ senderId: 'dev-A', publicKey: raw.a }],
  seenBundleIds: new Set<string>(),
  ...over,
});

beforeAll(async () => {
  [deviceA, deviceB, platform, otherPlatform] = await Promise.all([
    generateSigningKeyPair(),
    generateSigningKeyPair(),
    generateRecipientKeyPair(),
    generateRecipientKeyPair(),
  ]);
  raw = {
    a: await exportPublicKey(deviceA.publicKey),
    b: await exportPublicKey(deviceB.publicKey),
    platform: await exportPublicKey(platform.publicKey),
    other: await exportPublicKey(otherPlatform.publicKey),
  };
  bundle = await sealBundleToBytes(ENTRIES, sealAs());
});

/** Where things sit in `bundle`: the header, then frames of flag(1) + length(4) + ciphertext. */
function layout(bytes: Uint8Array) {
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(9, false);
  const headerStart = 13;
  const digestStart = headerStart + headerLength;
  const framesStart = digestStart + 32;
  const frameBytes = 5 + CHUNK_SIZE + TAG_BYTES;
  const frame = (i: number) => framesStart + i * frameBytes;
  return { headerStart, headerLength, digestStart, framesStart, frame, frameBytes };
}

function flip(bytes: Uint8Array, at: number, bit = 0): Uint8Array {
  const out = bytes.slice();
  out[at]! ^= 1 << bit;
  return out;
}

function refusal(kind: BundleRefusalKind, message: string): OpenBundleResult {
  return { ok: false, error: { kind, message } };
}

const TRUNCATED = refusal('truncated', '文件不完整（已截断）');
const TAMPERED = refusal('tampered', '文件已被改动');

/** The header rewritten by someone who also recomputes its clear digest. */
function rewriteHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const l = layout(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(l.headerStart, l.digestStart))) as Record<
    string,
    unknown
  >;
  edit(header);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const digest = createHash('sha256').update(json).digest();
  return concat([bytes.subarray(0, 9), u32(json.length), json, digest, bytes.subarray(l.framesStart)]);
}

describe('openBundle refuses a truncated bundle', () => {
  it.each([
    ['an empty file', () => 0],
    ['inside the magic', () => 5],
    ['inside the header length', () => 11],
    ['inside the header', () => layout(bundle).headerStart + 20],
    ['inside the header digest', () => layout(bundle).digestStart + 31],
    ['right after the header, before any frame', () => layout(bundle).framesStart],
    ['inside a frame prefix', () => layout(bundle).frame(0) + 3],
    ['in the middle of a chunk', () => layout(bundle).frame(1) + 5 + 1000],
    ['exactly on a chunk boundary', () => layout(bundle).frame(2)],
    ['on the last chunk boundary before the final frame', () => layout(bundle).frame(3)],
    ['one byte before the end', () => bundle.length - 1],
  ])('cut %s', async (_, at) => {
    expect(await openBundle(bundle.subarray(0, at()), openAs())).toEqual(TRUNCATED);
  });
});

describe('openBundle refuses an altered bundle', () => {
  it.each([
    ['in the header JSON', () => layout(bundle).headerStart + 30],
    ['in the header digest', () => layout(bundle).digestStart + 3],
    ['in the encrypted manifest', () => layout(bundle).frame(0) + 5 + 4 + 10],
    ['in the encrypted signature', () => layout(bundle).frame(0) + 5 + 4 + manifestLength() + 7],
    ['in an entry chunk', () => layout(bundle).frame(2) + 5 + 4000],
    ['in the final tag', () => bundle.length - 1],
    ['in a frame flag', () => layout(bundle).frame(1)],
    ['in a frame length', () => layout(bundle).frame(1) + 3],
  ])('one bit flipped %s', async (_, at) => {
    expect(await openBundle(flip(bundle, at()), openAs())).toEqual(TAMPERED);
  });

  it('refuses frames swapped, a frame dropped, or bytes after the final frame', async () => {
    const l = layout(bundle);
    const f = (i: number) => bundle.subarray(l.frame(i), l.frame(i + 1));
    const swapped = concat([bundle.subarray(0, l.frame(1)), f(2), f(1), bundle.subarray(l.frame(3))]);
    const dropped = concat([bundle.subarray(0, l.frame(1)), bundle.subarray(l.frame(2))]);
    expect(await openBundle(swapped, openAs())).toEqual(TAMPERED);
    expect(await openBundle(dropped, openAs())).toEqual(TAMPERED);
    expect(await openBundle(concat([bundle, new Uint8Array([0])]), openAs())).toEqual(TAMPERED);
  });

  it('refuses a header changed with its clear digest recomputed (the signature covers the header bytes)', async () => {
    const later = rewriteHeader(bundle, (h) => (h.createdAt = '2030-01-01T00:00:00.000Z'));
    expect(await openBundle(later, openAs())).toEqual(TAMPERED);
    const otherEphemeral = rewriteHeader(
      bundle,
      (h) => (h.ephemeralPublicKey = Buffer.from(raw.other).toString('hex')),
    );
    expect(await openBundle(otherEphemeral, openAs())).toEqual(TAMPERED);
  });

  it('refuses a signature by another key under a trusted key id, even for an already seen id', async () => {
    const forged = await sealBundleToBytes(ENTRIES, sealAs({ signingKey: deviceB.privateKey }));
    const seen = { has: () => true };
    expect(await openBundle(forged, openAs({ seenBundleIds: seen }))).toEqual(TAMPERED);
  });
});

function manifestLength(): number {
  const manifest = {
    entries: ENTRIES.map((e) => ({
      name: e.name,
      size: e.data.length,
      sha256: createHash('sha256').update(e.data).digest('hex'),
    })),
  };
  return new TextEncoder().encode(JSON.stringify(manifest)).length;
}

describe('openBundle refuses a foreign or repeated bundle', () => {
  it('refuses a bundle signed by an unregistered device, or by a registered key under another name', async () => {
    const UNTRUSTED = refusal('untrusted-sender', '签名设备未登记/不受信任');
    const byB = await sealBundleToBytes(
      ENTRIES,
      sealAs({ senderId: 'dev-B', signingKey: deviceB.privateKey, senderPublicKey: raw.b }),
    );
    expect(await openBundle(byB, openAs())).toEqual(UNTRUSTED);
    const bAsA = await sealBundleToBytes(ENTRIES, sealAs({ signingKey: deviceB.privateKey, senderPublicKey: raw.b }));
    expect(await openBundle(bAsA, openAs())).toEqual(UNTRUSTED);
    const renamed = await sealBundleToBytes(ENTRIES, sealAs({ senderId: 'dev-Z' }));
    expect(await openBundle(renamed, openAs())).toEqual(UNTRUSTED);
  });

  it('refuses a bundle encrypted for another recipient, naming the platform or the device', async () => {
    const forOther = await sealBundleToBytes(ENTRIES, sealAs({ recipientPublicKey: raw.other }));
    expect(await openBundle(forOther, openAs())).toEqual(refusal('wrong-recipient', '不是发给本平台的'));
    const station = await sealBundleToBytes(ENTRIES, sealAs({ kind: 'station', recipientPublicKey: raw.other }));
    expect(await openBundle(station, openAs())).toEqual(refusal('wrong-recipient', '不是发给本设备的'));
  });

  it('refuses a replayed bundle once its id is recorded, and opens it while it is not', async () => {
    const seen = new Set<string>();
    const first = await openBundle(bundle, openAs({ seenBundleIds: seen }));
    expect(first.ok).toBe(true);
    if (first.ok) seen.add(first.header.bundleId);
    expect(await openBundle(bundle, openAs({ seenBundleIds: seen }))).toEqual(
      refusal('replayed', '该文件已导入过（重复）'),
    );
    const asyncSeen = { has: (id: string) => Promise.resolve(seen.has(id)) };
    expect((await openBundle(bundle, openAs({ seenBundleIds: asyncSeen }))).ok).toBe(false);
  });

  it('refuses another format version, a file that is no bundle, and a bundle of an unexpected kind', async () => {
    const v2 = bundle.slice();
    v2[8] = 2;
    expect(await openBundle(v2, openAs())).toEqual(refusal('unsupported-version', '格式版本不支持'));
    expect(await openBundle(new TextEncoder().encode('PK\u0003\u0004 a zip file'), openAs())).toEqual(
      refusal('not-a-bundle', '不是数据包文件'),
    );
    expect(await openBundle(bundle, openAs({ expectKind: 'station' }))).toEqual(
      refusal('wrong-kind', '数据包类型不符'),
    );
  });
});

describe('openBundleStaged streams entries out and answers only after every check', () => {
  function memoryStage() {
    const staged = new Map<string, Uint8Array[]>();
    return {
      staged,
      stage: {
        begin(name: string) {
          const parts: Uint8Array[] = [];
          staged.set(name, parts);
          return { write: (bytes: Uint8Array) => void parts.push(bytes) };
        },
      },
    };
  }

  it('stages every entry byte for byte and lists the manifest', async () => {
    const { staged, stage } = memoryStage();
    const opened = await openBundleStaged(bundle, openAs(), stage);
    expect(opened.ok && opened.entries.map((e) => [e.name, e.size])).toEqual(
      ENTRIES.map((e) => [e.name, e.data.length]),
    );
    for (const e of ENTRIES) expect(Buffer.from(concat(staged.get(e.name)!)).equals(e.data)).toBe(true);
  });

  it('refuses a flip in the last entry after staging the earlier ones, and a cut stream', async () => {
    const { staged, stage } = memoryStage();
    expect(await openBundleStaged(flip(bundle, bundle.length - 40), openAs(), stage)).toEqual(TAMPERED);
    expect(staged.size).toBe(2); // bytes were staged, which is why the caller must discard on a refusal
    expect(
      await openBundleStaged(bundle.subarray(0, layout(bundle).frame(2) + 9), openAs(), memoryStage().stage),
    ).toEqual(TRUNCATED);
  });
});

describe('openBundle checks each entry against its signed hash', () => {
  it('refuses a validly signed and encrypted bundle whose entry bytes differ from the manifest', async () => {
    // The sender's buffer changes after the manifest was hashed and signed (the header is the first
    // output, the entries are read later): signature and AEAD are fine, only the entry hash can tell.
    const data = new Uint8Array(5000).fill(1);
    const parts: Uint8Array[] = [];
    for await (const p of sealBundle([{ name: 'changing.bin', data }], sealAs())) {
      parts.push(p);
      data[4999] = 2;
    }
    const bytes = concat(parts);
    expect(await openBundle(bytes, openAs())).toEqual(TAMPERED);
    expect(await openBundleStaged(bytes, openAs(), { begin: () => ({ write: () => undefined }) })).toEqual(TAMPERED);
  });
});
