/**
 * The sealed bundle's wire format, shared by the sealer and the opener.
 *
 *   "SIBUNDLE" (8) | format version u8 | header length u32 BE | header JSON | SHA-256(header JSON) (32)
 *   then frames until one with the final flag:  flag u8 (0 more, 1 final) | length u32 BE | AES-GCM ciphertext
 *
 * The header is clear so a receiver can route and refuse a bundle (wrong recipient, unknown sender, old
 * version) before any decryption; its digest only tells an accidental flip apart from a foreign bundle,
 * the real binding is that every frame authenticates the header digest as AAD. The frames carry ONE
 * plaintext stream: manifest length u32 BE | manifest JSON | Ed25519 signature (64) | entry bytes in
 * manifest order. Names and hashes travel encrypted, so a lost stick shows only who sent it to whom.
 * Plaintext is cut into fixed-size chunks so neither side ever holds more than one chunk of ciphertext;
 * each nonce carries the chunk index and the final flag, so dropping, reordering or cutting chunks fails
 * a tag, and a stream that ends without a final frame is a truncated file.
 */
import { z } from 'zod';
import { utf8Encode } from './webcrypto.js';

export const MAGIC = new Uint8Array([0x53, 0x49, 0x42, 0x55, 0x4e, 0x44, 0x4c, 0x45]); // "SIBUNDLE"
export const FORMAT_VERSION = 1;
export const CHUNK_SIZE = 256 * 1024;
export const TAG_BYTES = 16;
export const SIGNATURE_BYTES = 64;
export const DIGEST_BYTES = 32;
/** Bounds that keep a hostile length field from making the opener allocate gigabytes up front. */
export const MAX_HEADER_BYTES = 16 * 1024;
export const MAX_MANIFEST_BYTES = 8 * 1024 * 1024;
export const MAX_ENTRIES = 100_000;
/** One entry is assembled in one buffer on opening; 2 GiB is far above any photo or video evidence. */
export const MAX_ENTRY_BYTES = 2 ** 31;

const HKDF_INFO = 'smart-inspect bundle v1 key';
const SIGNATURE_CONTEXT = 'smart-inspect bundle v1 signature\n';

export const BUNDLE_KINDS = ['results', 'receipts', 'station'] as const;
export type BundleKind = (typeof BUNDLE_KINDS)[number];

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));

export const bundleHeaderSchema = z
  .object({
    v: z.literal(FORMAT_VERSION),
    kind: z.enum(BUNDLE_KINDS),
    bundleId: hex(16),
    senderId: z.string().min(1).max(200),
    senderKeyId: hex(16),
    recipientKeyId: hex(16),
    createdAt: z.iso.datetime({ offset: true }),
    ephemeralPublicKey: hex(32),
    chunkSize: z.literal(CHUNK_SIZE),
  })
  .strict();
export type BundleHeader = z.infer<typeof bundleHeaderSchema>;

export const manifestEntrySchema = z
  .object({
    name: z.string().min(1).max(1000),
    size: z.number().int().nonnegative().max(MAX_ENTRY_BYTES),
    sha256: hex(32),
  })
  .strict();
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const manifestSchema = z
  .object({ entries: z.array(manifestEntrySchema).max(MAX_ENTRIES) })
  .strict()
  .refine((m) => new Set(m.entries.map((e) => e.name)).size === m.entries.length, {
    message: 'duplicate entry name',
  });
export type Manifest = z.infer<typeof manifestSchema>;

export function u32(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, false);
  return b;
}

export function readU32(bytes: Uint8Array, at = 0): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, false);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** 96-bit nonce: 3 zero bytes | chunk index u64 BE | final flag. Unique because each bundle has its own key. */
export function chunkNonce(index: number, final: boolean): Uint8Array {
  const n = new Uint8Array(12);
  new DataView(n.buffer).setBigUint64(3, BigInt(index), false);
  n[11] = final ? 1 : 0;
  return n;
}

/** What the device key signs: the exact header bytes and the exact manifest bytes, each length-prefixed. */
export function signedBytes(headerJson: Uint8Array, manifestJson: Uint8Array): Uint8Array {
  return concat([
    utf8Encode(SIGNATURE_CONTEXT),
    u32(headerJson.length),
    headerJson,
    u32(manifestJson.length),
    manifestJson,
  ]);
}

export const hkdfInfo = (): Uint8Array => utf8Encode(HKDF_INFO);
