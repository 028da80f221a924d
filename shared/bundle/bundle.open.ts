/**
 * Opening: every check runs before anything is returned, so a caller never sees part of a bundle.
 * Order: container and version, header digest, recipient, sender trust (all before decrypting),
 * then frames (any tag failure is an alteration, a missing final frame a truncation), the signature over
 * header + manifest, the replay check on the now-authenticated bundle id, and each entry's size and hash.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  CHUNK_SIZE,
  DIGEST_BYTES,
  FORMAT_VERSION,
  MAGIC,
  MAX_HEADER_BYTES,
  MAX_MANIFEST_BYTES,
  SIGNATURE_BYTES,
  TAG_BYTES,
  bundleHeaderSchema,
  chunkNonce,
  concat,
  equalBytes,
  hkdfInfo,
  manifestSchema,
  readU32,
  signedBytes,
  type BundleHeader,
  type BundleKind,
  type Manifest,
} from './bundle.format.js';
import { ByteReader } from './byte-reader.js';
import {
  deriveContentKey,
  fromHex,
  importRecipientPublicKey,
  importSigningPublicKey,
  keyIdOf,
  subtle,
  toHex,
  utf8Decode,
  type BundleKey,
} from './webcrypto.js';

export type BundleRefusalKind =
  | 'truncated'
  | 'tampered'
  | 'untrusted-sender'
  | 'wrong-recipient'
  | 'replayed'
  | 'unsupported-version'
  | 'not-a-bundle'
  | 'wrong-kind';

export interface BundleRefusal {
  readonly kind: BundleRefusalKind;
  readonly message: string;
}

export interface OpenedEntry {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type OpenBundleResult =
  { ok: true; header: BundleHeader; entries: OpenedEntry[] } | { ok: false; error: BundleRefusal };

export interface TrustedSender {
  readonly senderId: string;
  /** Raw Ed25519 public key registered for that sender. */
  readonly publicKey: Uint8Array;
}

export interface OpenOptions {
  /** This side's X25519 key pair: the private key decrypts, the raw public key names this recipient. */
  readonly recipient: { readonly privateKey: BundleKey; readonly publicKey: Uint8Array };
  readonly trustedSenders: readonly TrustedSender[];
  /** Bundle ids already imported; a `Set<string>` will do. */
  readonly seenBundleIds: { has(bundleId: string): boolean | Promise<boolean> };
  /** When given, a bundle of another kind is refused. */
  readonly expectKind?: BundleKind;
}

const MESSAGES: Record<Exclude<BundleRefusalKind, 'wrong-recipient'>, string> = {
  truncated: '文件不完整（已截断）',
  tampered: '文件已被改动',
  'untrusted-sender': '签名设备未登记/不受信任',
  replayed: '该文件已导入过（重复）',
  'unsupported-version': '格式版本不支持',
  'not-a-bundle': '不是数据包文件',
  'wrong-kind': '数据包类型不符',
};

class Refused extends Error {
  constructor(readonly refusal: BundleRefusal) {
    super(refusal.message);
  }
}

function refuse(kind: Exclude<BundleRefusalKind, 'wrong-recipient'>): never {
  throw new Refused({ kind, message: MESSAGES[kind] });
}

async function readExactly(reader: ByteReader, n: number): Promise<Uint8Array> {
  const bytes = await reader.read(n);
  if (bytes.length < n) refuse('truncated');
  return bytes;
}

async function readHeader(reader: ByteReader): Promise<{ header: BundleHeader; digest: Uint8Array; json: Uint8Array }> {
  const magic = await reader.read(MAGIC.length);
  if (!equalBytes(magic, MAGIC.subarray(0, magic.length))) refuse('not-a-bundle');
  if (magic.length < MAGIC.length) refuse('truncated');
  const [version] = await readExactly(reader, 1);
  if (version !== FORMAT_VERSION) refuse('unsupported-version');
  const length = readU32(await readExactly(reader, 4));
  if (length > MAX_HEADER_BYTES) refuse('tampered');
  const json = (await readExactly(reader, length)).slice();
  const stored = await readExactly(reader, DIGEST_BYTES);
  const digest = sha256(json);
  if (!equalBytes(digest, stored)) refuse('tampered');
  let parsed: unknown;
  try {
    parsed = JSON.parse(utf8Decode(json));
  } catch {
    refuse('tampered');
  }
  const header = bundleHeaderSchema.safeParse(parsed);
  if (!header.success) refuse('tampered');
  return { header: header.data, digest, json };
}

/** Collects the decrypted stream: manifest, signature, then each entry checked against its hash. */
class PlainSink {
  private prefix: Uint8Array[] = [];
  private prefixBytes = 0;
  private manifestLength = -1;
  manifest: Manifest | null = null;
  manifestJson: Uint8Array | null = null;
  signature: Uint8Array | null = null;
  readonly entries: OpenedEntry[] = [];
  private current: { bytes: Uint8Array; filled: number } | null = null;

  /** Feeds bytes until the manifest and signature are known; returns what was not consumed. */
  takePrefix(chunk: Uint8Array): Uint8Array {
    this.prefix.push(chunk);
    this.prefixBytes += chunk.length;
    const all = concat(this.prefix);
    if (this.manifestLength < 0) {
      if (all.length < 4) return new Uint8Array(0);
      this.manifestLength = readU32(all);
      if (this.manifestLength > MAX_MANIFEST_BYTES) refuse('tampered');
    }
    const need = 4 + this.manifestLength + SIGNATURE_BYTES;
    if (all.length < need) {
      this.prefix = [all];
      return new Uint8Array(0);
    }
    this.manifestJson = all.slice(4, 4 + this.manifestLength);
    this.signature = all.slice(4 + this.manifestLength, need);
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8Decode(this.manifestJson));
    } catch {
      refuse('tampered');
    }
    const manifest = manifestSchema.safeParse(parsed);
    if (!manifest.success) refuse('tampered');
    this.manifest = manifest.data;
    this.prefix = [];
    return all.subarray(need);
  }

  /** Entries are assembled whole anyway (nothing is returned before the end), so each is hashed once, natively. */
  async takeEntries(chunk: Uint8Array): Promise<void> {
    const manifest = this.manifest!;
    let at = 0;
    while (at < chunk.length || (this.current === null && this.nextIsEmpty())) {
      if (!this.current) {
        const spec = manifest.entries[this.entries.length];
        if (!spec) refuse('tampered'); // more plaintext than the manifest accounts for
        this.current = { bytes: new Uint8Array(spec.size), filled: 0 };
      }
      const cur = this.current;
      const n = Math.min(cur.bytes.length - cur.filled, chunk.length - at);
      cur.bytes.set(chunk.subarray(at, at + n), cur.filled);
      cur.filled += n;
      at += n;
      if (cur.filled === cur.bytes.length) {
        const spec = manifest.entries[this.entries.length]!;
        if (toHex(new Uint8Array(await subtle().digest('SHA-256', cur.bytes))) !== spec.sha256) refuse('tampered');
        this.entries.push({ name: spec.name, bytes: cur.bytes });
        this.current = null;
      }
    }
  }

  private nextIsEmpty(): boolean {
    return this.manifest!.entries[this.entries.length]?.size === 0;
  }

  /** After the final frame every entry must be complete. */
  async finish(): Promise<void> {
    if (!this.manifest) refuse('tampered');
    await this.takeEntries(new Uint8Array(0));
    if (this.current || this.entries.length !== this.manifest.entries.length) refuse('tampered');
  }
}

async function open(input: Uint8Array | AsyncIterable<Uint8Array>, options: OpenOptions): Promise<OpenBundleResult> {
  const reader = new ByteReader(input);
  const { header, digest, json: headerJson } = await readHeader(reader);

  if (header.recipientKeyId !== (await keyIdOf(options.recipient.publicKey))) {
    return {
      ok: false,
      error: { kind: 'wrong-recipient', message: header.kind === 'results' ? '不是发给本平台的' : '不是发给本设备的' },
    };
  }
  let senderKey: BundleKey | null = null;
  for (const s of options.trustedSenders) {
    if (s.senderId === header.senderId && (await keyIdOf(s.publicKey)) === header.senderKeyId) {
      senderKey = await importSigningPublicKey(s.publicKey);
      break;
    }
  }
  if (!senderKey) refuse('untrusted-sender');
  if (options.expectKind && options.expectKind !== header.kind) refuse('wrong-kind');

  const ephemeralRaw = fromHex(header.ephemeralPublicKey);
  let key: BundleKey;
  try {
    key = await deriveContentKey(
      options.recipient.privateKey,
      await importRecipientPublicKey(ephemeralRaw),
      concat([ephemeralRaw, options.recipient.publicKey]),
      hkdfInfo(),
    );
  } catch {
    refuse('tampered'); // an ephemeral key that is not a usable X25519 point
  }

  const sink = new PlainSink();
  let verified = false;
  for (let index = 0; ; index++) {
    if (await reader.atEnd()) refuse('truncated'); // ended on a frame boundary before the final frame
    const [flag] = await readExactly(reader, 1);
    if (flag !== 0 && flag !== 1) refuse('tampered');
    const length = readU32(await readExactly(reader, 4));
    const final = flag === 1;
    const valid = final ? length >= TAG_BYTES && length <= CHUNK_SIZE + TAG_BYTES : length === CHUNK_SIZE + TAG_BYTES;
    if (!valid) refuse('tampered');
    const ct = await readExactly(reader, length);
    let plain: Uint8Array;
    try {
      plain = new Uint8Array(
        await subtle().decrypt({ name: 'AES-GCM', iv: chunkNonce(index, final), additionalData: digest }, key, ct),
      );
    } catch {
      refuse('tampered');
    }
    let rest = plain;
    if (!sink.manifest) rest = sink.takePrefix(plain);
    if (sink.manifest && !verified) {
      const ok = await subtle().verify(
        { name: 'Ed25519' },
        senderKey,
        sink.signature!,
        signedBytes(headerJson, sink.manifestJson!),
      );
      if (!ok) refuse('tampered');
      verified = true;
      if (await options.seenBundleIds.has(header.bundleId)) refuse('replayed');
    }
    if (sink.manifest) await sink.takeEntries(rest);
    if (final) break;
  }
  if (!(await reader.atEnd())) refuse('tampered'); // bytes after the final frame
  if (!verified) refuse('tampered');
  await sink.finish();
  return { ok: true, header, entries: sink.entries };
}

/**
 * Verifies and decrypts a whole bundle. Refusals are results with a zh-CN message; only a programming
 * error (no WebCrypto, a key of the wrong type) throws.
 */
export async function openBundle(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  options: OpenOptions,
): Promise<OpenBundleResult> {
  try {
    return await open(input, options);
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.refusal };
    throw e;
  }
}
