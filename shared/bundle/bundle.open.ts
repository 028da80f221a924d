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
  TAG_BYTES,
  bundleHeaderSchema,
  chunkNonce,
  concat,
  equalBytes,
  hkdfInfo,
  readU32,
  signedBytes,
  type BundleHeader,
  type BundleKind,
  type Manifest,
  type ManifestEntry,
} from './bundle.format.js';
import { Refused, refuse, type BundleRefusal } from './bundle.refusal.js';
import {
  MemoryStore,
  PlainSink,
  StagedStore,
  type EntryStage,
  type EntryStore,
  type OpenedEntry,
} from './bundle.sink.js';
import { ByteReader } from './byte-reader.js';
import {
  deriveContentKey,
  fromHex,
  importRecipientPublicKey,
  importSigningPublicKey,
  keyIdOf,
  subtle,
  utf8Decode,
  type BundleKey,
} from './webcrypto.js';

export type { BundleRefusal, BundleRefusalKind } from './bundle.refusal.js';
export type { EntryStage, EntryWriter, OpenedEntry } from './bundle.sink.js';

export type OpenBundleResult =
  { ok: true; header: BundleHeader; entries: OpenedEntry[] } | { ok: false; error: BundleRefusal };

export type OpenStagedResult =
  { ok: true; header: BundleHeader; entries: ManifestEntry[] } | { ok: false; error: BundleRefusal };

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
