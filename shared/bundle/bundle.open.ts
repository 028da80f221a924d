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
  type ManifestEntry,
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

export type OpenStagedResult =
  { ok: true; header: BundleHeader; entries: ManifestEntry[] } | { ok: false; error: BundleRefusal };

/** Receives one entry's bytes in order; a chunk handed to `write` is not reused and may be kept. */
export interface EntryWriter {
  write(bytes: Uint8Array): void | Promise<void>;
}

export interface EntryStage {
  begin(name: string, size: number): EntryWriter | Promise<EntryWriter>;
}

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

/**
 * Where entry bytes go while the bundle is still unverified: memory (each entry assembled whole, then
 * hashed once natively) or a caller's staging area (hashed incrementally as the bytes pass through).
 */
interface EntryStore {
  begin(spec: ManifestEntry): Promise<void>;
  write(bytes: Uint8Array): Promise<void>;
  /** The entry is complete: does it hash to the manifest's value? */
  end(spec: ManifestEntry): Promise<boolean>;
}

class MemoryStore implements EntryStore {
  readonly entries: OpenedEntry[] = [];
  private bytes = new Uint8Array(0);
  private filled = 0;
  async begin(spec: ManifestEntry): Promise<void> {
    this.bytes = new Uint8Array(spec.size);
    this.filled = 0;
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.bytes.set(bytes, this.filled);
    this.filled += bytes.length;
  }
  async end(spec: ManifestEntry): Promise<boolean> {
    const digest = toHex(new Uint8Array(await subtle().digest('SHA-256', this.bytes)));
    this.entries.push({ name: spec.name, bytes: this.bytes });
    return digest === spec.sha256;
  }
}

class StagedStore implements EntryStore {
  private writer: EntryWriter | null = null;
  private hash = sha256.create();
  constructor(private readonly stage: EntryStage) {}
  async begin(spec: ManifestEntry): Promise<void> {
    this.writer = await this.stage.begin(spec.name, spec.size);
    this.hash = sha256.create();
  }
  async write(bytes: Uint8Array): Promise<void> {
    this.hash.update(bytes);
    await this.writer!.write(bytes);
  }
  async end(spec: ManifestEntry): Promise<boolean> {
    return toHex(this.hash.digest()) === spec.sha256;
  }
}

/** Collects the decrypted stream: manifest, signature, then each entry checked against its hash. */
class PlainSink {
  private prefix: Uint8Array = new Uint8Array(0);
  manifest: Manifest | null = null;
  manifestJson: Uint8Array | null = null;
  signature: Uint8Array | null = null;
  private done = 0;
  /** Bytes still owed to the entry in progress, or -1 between entries. */
  private owed = -1;

  constructor(private readonly store: EntryStore) {}

  /** Feeds bytes until the manifest and signature are known; returns what was not consumed. */
  takePrefix(chunk: Uint8Array): Uint8Array {
    const all = concat([this.prefix, chunk]);
    if (all.length < 4) {
      this.prefix = all;
      return new Uint8Array(0);
    }
    const manifestLength = readU32(all);
    if (manifestLength > MAX_MANIFEST_BYTES) refuse('tampered');
    const need = 4 + manifestLength + SIGNATURE_BYTES;
    if (all.length < need) {
      this.prefix = all;
      return new Uint8Array(0);
    }
    this.manifestJson = all.slice(4, 4 + manifestLength);
    this.signature = all.slice(4 + manifestLength, need);
    let parsed: unknown;
    try {
      parsed = JSON.parse(utf8Decode(this.manifestJson));
    } catch {
      refuse('tampered');
    }
    const manifest = manifestSchema.safeParse(parsed);
    if (!manifest.success) refuse('tampered');
    this.manifest = manifest.data;
    this.prefix = new Uint8Array(0);
    return all.subarray(need);
  }

  async takeEntries(chunk: Uint8Array): Promise<void> {
    const entries = this.manifest!.entries;
    let at = 0;
    while (at < chunk.length || (this.owed < 0 && entries[this.done]?.size === 0)) {
      const spec = entries[this.done];
      if (!spec) refuse('tampered'); // more plaintext than the manifest accounts for
      if (this.owed < 0) {
        await this.store.begin(spec);
        this.owed = spec.size;
      }
      const n = Math.min(this.owed, chunk.length - at);
      if (n > 0) await this.store.write(chunk.subarray(at, at + n));
      this.owed -= n;
      at += n;
      if (this.owed === 0) {
        if (!(await this.store.end(spec))) refuse('tampered');
        this.done++;
        this.owed = -1;
      }
    }
  }

  /** After the final frame every entry must be complete. */
  async finish(): Promise<void> {
    if (!this.manifest) refuse('tampered');
    await this.takeEntries(new Uint8Array(0));
    if (this.owed >= 0 || this.done !== this.manifest.entries.length) refuse('tampered');
  }
}

async function open(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  options: OpenOptions,
  store: EntryStore,
): Promise<{ ok: true; header: BundleHeader; manifest: Manifest } | { ok: false; error: BundleRefusal }> {
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

  const sink = new PlainSink(store);
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
  return { ok: true, header, manifest: sink.manifest! };
}

/**
 * Verifies and decrypts a whole bundle into memory. Refusals are results with a zh-CN message; only a
 * programming error (no WebCrypto, a key of the wrong type) throws.
 */
export async function openBundle(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  options: OpenOptions,
): Promise<OpenBundleResult> {
  const store = new MemoryStore();
  try {
    const opened = await open(input, options, store);
    return opened.ok ? { ok: true, header: opened.header, entries: store.entries } : opened;
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.refusal };
    throw e;
  }
}

/**
 * For bundles too large for memory: entry bytes stream into `stage` (e.g. temporary files) as they are
 * decrypted, in manifest order. Nothing staged counts until this answers ok; on a refusal (or a throw
 * from the stage) the caller must discard everything it staged.
 */
export async function openBundleStaged(
  input: Uint8Array | AsyncIterable<Uint8Array>,
  options: OpenOptions,
  stage: EntryStage,
): Promise<OpenStagedResult> {
  try {
    const opened = await open(input, options, new StagedStore(stage));
    return opened.ok ? { ok: true, header: opened.header, entries: opened.manifest.entries } : opened;
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.refusal };
    throw e;
  }
}
