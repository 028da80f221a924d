/**
 * Sealing: the sender hashes every entry, signs header + manifest with its device key, and encrypts the
 * manifest, the signature and the entries as one chunked AES-GCM stream under a key agreed between a
 * fresh ephemeral X25519 key and the recipient's public key. Output is produced frame by frame, so a
 * large evidence set is never held as one buffer beyond what its sources already hold.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import {
  CHUNK_SIZE,
  FORMAT_VERSION,
  MAGIC,
  MAX_ENTRY_BYTES,
  chunkNonce,
  concat,
  hkdfInfo,
  signedBytes,
  u32,
  type BundleHeader,
  type BundleKind,
  type Manifest,
} from './bundle.format.js';
import {
  deriveContentKey,
  exportPublicKey,
  generateRecipientKeyPair,
  importRecipientPublicKey,
  keyIdOf,
  randomBytes,
  subtle,
  toHex,
  utf8Encode,
  type BundleKey,
} from './webcrypto.js';

/** An entry given whole, or as a source that can be read twice (once to hash, once to encrypt). */
export type BundleEntryInput =
  | { readonly name: string; readonly data: Uint8Array }
  | { readonly name: string; readonly size: number; read(): AsyncIterable<Uint8Array> };

export interface SealOptions {
  readonly kind: BundleKind;
  /** Who sends: the device id for results, the platform's id for receipts and station bundles. */
  readonly senderId: string;
  readonly signingKey: BundleKey;
  /** Raw Ed25519 public key of `signingKey`; its key id goes into the header. */
  readonly senderPublicKey: Uint8Array;
  /** Raw X25519 public key of the recipient (the platform, or the device for station bundles). */
  readonly recipientPublicKey: Uint8Array;
  readonly createdAt?: Date;
}

async function hashEntry(entry: BundleEntryInput): Promise<{ size: number; sha256: string }> {
  // A whole buffer goes to the native digest (several times faster than hashing in JS); only a
  // streamed source needs the incremental hash.
  if ('data' in entry) {
    const digest = new Uint8Array(await subtle().digest('SHA-256', entry.data));
    return { size: entry.data.length, sha256: toHex(digest) };
  }
  const h = sha256.create();
  let size = 0;
  for await (const part of entry.read()) {
    h.update(part);
    size += part.length;
  }
  if ('size' in entry && entry.size !== size) {
    throw new Error(`bundle entry "${entry.name}" declared ${entry.size} bytes but read ${size}`);
  }
  return { size, sha256: toHex(h.digest()) };
}

/** Seals `entries` into a bundle, yielding its bytes in order (header first, then one frame at a time). */
export async function* sealBundle(
  entries: readonly BundleEntryInput[],
  options: SealOptions,
): AsyncGenerator<Uint8Array> {
  const names = new Set<string>();
  for (const e of entries) {
    if (e.name.length === 0) throw new Error('bundle entry without a name');
    if (names.has(e.name)) throw new Error(`bundle entry "${e.name}" given twice`);
    const size = 'data' in e ? e.data.length : e.size;
    if (size > MAX_ENTRY_BYTES) throw new Error(`bundle entry "${e.name}" is larger than ${MAX_ENTRY_BYTES} bytes`);
    names.add(e.name);
  }
  const manifest: Manifest = { entries: [] };
  for (const e of entries) manifest.entries.push({ name: e.name, ...(await hashEntry(e)) });
  const manifestJson = utf8Encode(JSON.stringify(manifest));

  const ephemeral = await generateRecipientKeyPair();
  const ephemeralRaw = await exportPublicKey(ephemeral.publicKey);
  const header: BundleHeader = {
    v: FORMAT_VERSION,
    kind: options.kind,
    bundleId: toHex(randomBytes(16)),
    senderId: options.senderId,
    senderKeyId: await keyIdOf(options.senderPublicKey),
    recipientKeyId: await keyIdOf(options.recipientPublicKey),
    createdAt: (options.createdAt ?? new Date()).toISOString(),
    ephemeralPublicKey: toHex(ephemeralRaw),
    chunkSize: CHUNK_SIZE,
  };
  const headerJson = utf8Encode(JSON.stringify(header));
  const headerDigest = sha256(headerJson);
  yield concat([MAGIC, new Uint8Array([FORMAT_VERSION]), u32(headerJson.length), headerJson, headerDigest]);

  const signature = new Uint8Array(
    await subtle().sign({ name: 'Ed25519' }, options.signingKey, signedBytes(headerJson, manifestJson)),
  );
  const recipient = await importRecipientPublicKey(options.recipientPublicKey);
  const key = await deriveContentKey(
    ephemeral.privateKey,
    recipient,
    concat([ephemeralRaw, options.recipientPublicKey]),
    hkdfInfo(),
  );

  async function* plaintext(): AsyncIterable<Uint8Array> {
    yield u32(manifestJson.length);
    yield manifestJson;
    yield signature;
    for (const [i, e] of entries.entries()) {
      if ('data' in e) {
        yield e.data;
        continue;
      }
      // Re-hash on the second read: a source that changed between the passes would otherwise be
      // sealed under a manifest hash that no longer matches, and the recipient would refuse the bundle.
      const h = sha256.create();
      for await (const part of e.read()) {
        h.update(part);
        yield part;
      }
      if (toHex(h.digest()) !== manifest.entries[i]!.sha256) {
        throw new Error(`bundle entry "${e.name}" changed while it was being sealed`);
      }
    }
  }

  let index = 0;
  const frame = async (plain: Uint8Array, final: boolean): Promise<Uint8Array> => {
    const ct = new Uint8Array(
      await subtle().encrypt(
        { name: 'AES-GCM', iv: chunkNonce(index, final), additionalData: headerDigest },
        key,
        plain,
      ),
    );
    index++;
    return concat([new Uint8Array([final ? 1 : 0]), u32(ct.length), ct]);
  };

  // A full chunk is held back until more plaintext shows up, because only then is it known not to be the last.
  const buf = new Uint8Array(CHUNK_SIZE);
  let filled = 0;
  let held: Uint8Array | null = null;
  for await (const part of plaintext()) {
    let at = 0;
    while (at < part.length) {
      if (held) {
        yield await frame(held, false);
        held = null;
      }
      const n = Math.min(CHUNK_SIZE - filled, part.length - at);
      buf.set(part.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === CHUNK_SIZE) {
        held = buf.slice();
        filled = 0;
      }
    }
  }
  if (held && filled === 0) yield await frame(held, true);
  else {
    if (held) yield await frame(held, false);
    yield await frame(buf.subarray(0, filled), true);
  }
}

/** The whole bundle as one buffer, for small bundles and tests. */
export async function sealBundleToBytes(
  entries: readonly BundleEntryInput[],
  options: SealOptions,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of sealBundle(entries, options)) parts.push(p);
  return concat(parts);
}
