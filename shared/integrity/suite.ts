/**
 * One integrity interface: hash, sign and verify behind a suite id, so the device key, the signed
 * audit checkpoints and the platform's check do not name an algorithm anywhere else. The default
 * suite is SHA-256 + Ed25519 on WebCrypto (`crypto.subtle`, in Chromium and in Node 20). A 国密
 * deployment adds an `sm3+sm2` suite implementing the same interface (SM3 digests, SM2 signatures,
 * the private key held in a certified USB key or cryptographic module) and registers it here.
 *
 * Private keys never leave the suite as bytes except once, at generation, as PKCS8 for the caller
 * to seal at rest; `importSigningKey` brings them back as non-extractable handles.
 */
import { hexOf } from './encoding.js';

export const SUITE_IDS = ['sha256+ed25519'] as const;
export type SuiteId = (typeof SUITE_IDS)[number];
export const DEFAULT_SUITE: SuiteId = 'sha256+ed25519';

/** A private key usable for signing only; its bytes cannot be read back through the suite. */
export interface SigningKey {
  readonly suite: SuiteId;
  /** The public key (raw bytes) that verifies this key's signatures. */
  readonly publicKey: Uint8Array<ArrayBuffer>;
  /** The runtime's opaque key handle (a non-extractable WebCrypto CryptoKey). */
  readonly handle: object;
}

export interface GeneratedKey {
  /** The private key as PKCS8, to be sealed at rest by the caller and then zero-filled. */
  readonly pkcs8: Uint8Array<ArrayBuffer>;
  readonly publicKey: Uint8Array<ArrayBuffer>;
}

export interface IntegritySuite {
  readonly id: SuiteId;
  /** Lowercase hex digest. */
  hash(data: Uint8Array<ArrayBuffer>): Promise<string>;
  generate(): Promise<GeneratedKey>;
  /** Imports a sealed-at-rest private key as a non-extractable signing key. */
  importSigningKey(pkcs8: Uint8Array<ArrayBuffer>, publicKey: Uint8Array<ArrayBuffer>): Promise<SigningKey>;
  sign(key: SigningKey, message: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>>;
  /** False for a wrong signature, a malformed public key or signature: never throws on bad input. */
  verify(
    publicKey: Uint8Array<ArrayBuffer>,
    message: Uint8Array<ArrayBuffer>,
    signature: Uint8Array<ArrayBuffer>,
  ): Promise<boolean>;
}

/** The part of WebCrypto's SubtleCrypto this suite uses, typed here because shared/ has no DOM types. */
interface SubtleLike {
  digest(algorithm: string, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  generateKey(
    algorithm: { name: string },
    extractable: boolean,
    usages: string[],
  ): Promise<{ privateKey: object; publicKey: object } | object>;
  exportKey(format: string, key: object): Promise<ArrayBuffer | object>;
  importKey(
    format: string,
    keyData: Uint8Array<ArrayBuffer>,
    algorithm: { name: string },
    extractable: boolean,
    usages: string[],
  ): Promise<object>;
  sign(algorithm: { name: string }, key: object, data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  verify(
    algorithm: { name: string },
    key: object,
    signature: Uint8Array<ArrayBuffer>,
    data: Uint8Array<ArrayBuffer>,
  ): Promise<boolean>;
}

function webSubtle(): SubtleLike {
  const c = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto;
  if (!c?.subtle) throw new Error('WebCrypto (crypto.subtle) is not available in this runtime');
  return c.subtle;
}

const ED25519 = { name: 'Ed25519' } as const;
const ED25519_PUBLIC_BYTES = 32;
const ED25519_SIGNATURE_BYTES = 64;

function isKeyPair(k: object): k is { privateKey: object; publicKey: object } {
  return 'privateKey' in k && 'publicKey' in k;
}

/** SHA-256 + Ed25519 on WebCrypto. `subtle` is injectable for tests; default: the runtime's. */
export function sha256Ed25519(subtle: SubtleLike = webSubtle()): IntegritySuite {
  const suite: IntegritySuite = {
    id: 'sha256+ed25519',
    async hash(data) {
      return hexOf(new Uint8Array(await subtle.digest('SHA-256', data)));
    },
    async generate() {
      // Extractable only so the PKCS8 can be sealed at rest; the caller drops this pair at once.
      const pair = await subtle.generateKey(ED25519, true, ['sign', 'verify']);
      if (!isKeyPair(pair)) throw new Error('Ed25519 generateKey returned no key pair');
      const pkcs8 = await subtle.exportKey('pkcs8', pair.privateKey);
      const raw = await subtle.exportKey('raw', pair.publicKey);
      if (!(pkcs8 instanceof ArrayBuffer) || !(raw instanceof ArrayBuffer)) throw new Error('Ed25519 export failed');
      return { pkcs8: new Uint8Array(pkcs8), publicKey: new Uint8Array(raw) };
    },
    async importSigningKey(pkcs8, publicKey) {
      const handle = await subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign']);
      const key: SigningKey = { suite: 'sha256+ed25519', publicKey: new Uint8Array(publicKey), handle };
      // A sealed key that does not match its recorded public key is a broken store, not bad input.
      const probe = utf8Probe();
      if (!(await suite.verify(key.publicKey, probe, await suite.sign(key, probe))))
        throw new Error('device key: the private key does not match its public key');
      return key;
    },
    async sign(key, message) {
      if (key.suite !== 'sha256+ed25519') throw new Error(`key of suite ${key.suite} given to sha256+ed25519`);
      return new Uint8Array(await subtle.sign(ED25519, key.handle, message));
    },
    async verify(publicKey, message, signature) {
      if (publicKey.length !== ED25519_PUBLIC_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
      try {
        const key = await subtle.importKey('raw', publicKey, ED25519, false, ['verify']);
        return await subtle.verify(ED25519, key, signature, message);
      } catch {
        // A point that is not on the curve: not a key anything could have signed with.
        return false;
      }
    },
  };
  return suite;
}

function utf8Probe(): Uint8Array<ArrayBuffer> {
  return new Uint8Array([0x6b, 0x65, 0x79, 0x2d, 0x63, 0x68, 0x65, 0x63, 0x6b]);
}

let defaultSuites: Map<SuiteId, IntegritySuite> | null = null;

/** The suite for an id, on this runtime's WebCrypto; throws for an id this build does not know. */
export function suiteFor(id: SuiteId): IntegritySuite {
  defaultSuites ??= new Map([['sha256+ed25519', sha256Ed25519()]]);
  const suite = defaultSuites.get(id);
  if (!suite) throw new Error(`integrity suite ${id} is not available in this build`);
  return suite;
}

export function isSuiteId(value: string): value is SuiteId {
  return (SUITE_IDS as readonly string[]).includes(value);
}
