/**
 * The slice of WebCrypto the bundle format needs, typed structurally because shared/ sees neither the
 * DOM nor Node types. Node 20 and Chromium both provide Ed25519 and X25519 in `crypto.subtle`, so the
 * same code seals and opens on the app and on the platform simulator.
 */

/** An opaque WebCrypto key (a `CryptoKey` in either runtime). */
export interface BundleKey {
  readonly type: string;
  readonly algorithm: unknown;
}

export interface BundleKeyPair {
  readonly publicKey: BundleKey;
  readonly privateKey: BundleKey;
}

type Algo = string | { readonly name: string; readonly [k: string]: unknown };

interface Subtle {
  generateKey(algorithm: Algo, extractable: boolean, usages: string[]): Promise<unknown>;
  importKey(
    format: string,
    data: Uint8Array,
    algorithm: Algo,
    extractable: boolean,
    usages: string[],
  ): Promise<unknown>;
  exportKey(format: 'raw' | 'pkcs8', key: BundleKey): Promise<ArrayBuffer>;
  sign(algorithm: Algo, key: BundleKey, data: Uint8Array): Promise<ArrayBuffer>;
  verify(algorithm: Algo, key: BundleKey, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
  deriveBits(algorithm: Algo, key: BundleKey, length: number): Promise<ArrayBuffer>;
  deriveKey(algorithm: Algo, key: BundleKey, derived: Algo, extractable: boolean, usages: string[]): Promise<unknown>;
  encrypt(algorithm: Algo, key: BundleKey, data: Uint8Array): Promise<ArrayBuffer>;
  decrypt(algorithm: Algo, key: BundleKey, data: Uint8Array): Promise<ArrayBuffer>;
  digest(algorithm: Algo, data: Uint8Array): Promise<ArrayBuffer>;
}

interface CryptoLike {
  readonly subtle: Subtle;
  getRandomValues<T extends Uint8Array>(array: T): T;
}

function webCrypto(): CryptoLike {
  const c = (globalThis as { crypto?: CryptoLike }).crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return c;
}

export const subtle = (): Subtle => webCrypto().subtle;

export function randomBytes(length: number): Uint8Array {
  return webCrypto().getRandomValues(new Uint8Array(length));
}

/** A device's signing key pair (Ed25519). The private key may be non-extractable. */
export async function generateSigningKeyPair(extractable = false): Promise<BundleKeyPair> {
  return (await subtle().generateKey({ name: 'Ed25519' }, extractable, ['sign', 'verify'])) as BundleKeyPair;
}

/** A recipient's encryption key pair (X25519): the platform's, or a device's for station bundles. */
export async function generateRecipientKeyPair(extractable = false): Promise<BundleKeyPair> {
  return (await subtle().generateKey({ name: 'X25519' }, extractable, ['deriveBits'])) as BundleKeyPair;
}

/** The 32 raw bytes of an Ed25519 or X25519 public key, the form trust lists and headers carry. */
export async function exportPublicKey(key: BundleKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('raw', key));
}

export async function importSigningPublicKey(raw: Uint8Array): Promise<BundleKey> {
  return (await subtle().importKey('raw', raw, { name: 'Ed25519' }, true, ['verify'])) as BundleKey;
}

export async function importRecipientPublicKey(raw: Uint8Array): Promise<BundleKey> {
  return (await subtle().importKey('raw', raw, { name: 'X25519' }, true, [])) as BundleKey;
}

/** PKCS#8 export/import so a private key can rest sealed at rest by its owner. */
export async function exportPrivateKey(key: BundleKey): Promise<Uint8Array> {
  return new Uint8Array(await subtle().exportKey('pkcs8', key));
}

export async function importSigningPrivateKey(pkcs8: Uint8Array, extractable = false): Promise<BundleKey> {
  return (await subtle().importKey('pkcs8', pkcs8, { name: 'Ed25519' }, extractable, ['sign'])) as BundleKey;
}

export async function importRecipientPrivateKey(pkcs8: Uint8Array, extractable = false): Promise<BundleKey> {
  return (await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, extractable, ['deriveBits'])) as BundleKey;
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) throw new Error('not lower-case hex');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A key id: the first 16 bytes of SHA-256 over the raw public key, in hex. */
export async function keyIdOf(rawPublicKey: Uint8Array): Promise<string> {
  const d = new Uint8Array(await subtle().digest('SHA-256', rawPublicKey));
  return toHex(d.subarray(0, 16));
}

/**
 * The bundle's content key: X25519 between one side's private key and the other's public key, then
 * HKDF-SHA256 salted with both public keys (so the key is bound to this sender-ephemeral/recipient pair).
 */
export async function deriveContentKey(
  privateKey: BundleKey,
  peerPublicKey: BundleKey,
  salt: Uint8Array,
  info: Uint8Array,
): Promise<BundleKey> {
  const shared = new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: peerPublicKey }, privateKey, 256));
  const ikm = (await subtle().importKey('raw', shared, 'HKDF', false, ['deriveKey'])) as BundleKey;
  shared.fill(0);
  return (await subtle().deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info },
    ikm,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )) as BundleKey;
}

interface TextCodecs {
  TextEncoder: new () => { encode(s: string): Uint8Array };
  TextDecoder: new (label: string, options: { fatal: boolean }) => { decode(b: Uint8Array): string };
}
const codecs = globalThis as unknown as TextCodecs;

export function utf8Encode(s: string): Uint8Array {
  return new codecs.TextEncoder().encode(s);
}

/** Strict UTF-8 decoding: invalid bytes throw instead of turning into U+FFFD. */
export function utf8Decode(bytes: Uint8Array): string {
  return new codecs.TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
