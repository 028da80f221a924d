/**
 * The platform's USB bundle keys: an X25519 key that results bundles are encrypted to, and the log
 * key (Ed25519) reused to sign the receipts bundles it writes back. The app already pins the log key,
 * and the bundle signature has its own context string, so one pinned key covers both without one
 * signature ever being taken for the other.
 *
 * DEMO ONLY: the default X25519 key is derived from the seed committed below so the demo app can pin
 * its public key (`platformBundleKey` in app-config.json). A real platform keeps its key secret.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { importRecipientPrivateKey, importSigningPrivateKey, type BundleKey } from '../../shared/bundle/index.js';
import { DEMO_LOG_SEED_HEX } from './log-key.js';

/** TEST-ONLY seed of the demo platform's bundle key (published on purpose; never use it for real data). */
export const DEMO_BUNDLE_SEED_HEX = 'b0d1e5eed0000000c0ffee00dea1b00c5eed0f0e5b0b1e00000000000000000b';

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface PlatformBundleKeys {
  /** Who signs receipts bundles: the log's origin line. */
  readonly senderId: string;
  readonly recipient: { readonly privateKey: BundleKey; readonly publicKey: Uint8Array };
  readonly signing: { readonly privateKey: BundleKey; readonly publicKey: Uint8Array };
}

function seed(hex: string): Buffer {
  const s = Buffer.from(hex, 'hex');
  if (s.length !== 32) throw new Error('bundle key seed must be 32 bytes of hex');
  return s;
}

function rawPublic(pkcs8: Buffer): Uint8Array {
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({
    format: 'der',
    type: 'spki',
  });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** The raw X25519 public key (hex) the app pins as `platformBundleKey`. */
export function bundlePublicKeyHex(bundleSeedHex: string = DEMO_BUNDLE_SEED_HEX): string {
  return Buffer.from(rawPublic(Buffer.concat([PKCS8_X25519_PREFIX, seed(bundleSeedHex)]))).toString('hex');
}

export async function platformBundleKeys(
  origin: string,
  bundleSeedHex: string = DEMO_BUNDLE_SEED_HEX,
  logSeedHex: string = DEMO_LOG_SEED_HEX,
): Promise<PlatformBundleKeys> {
  const x = Buffer.concat([PKCS8_X25519_PREFIX, seed(bundleSeedHex)]);
  const ed = Buffer.concat([PKCS8_ED25519_PREFIX, seed(logSeedHex)]);
  return {
    senderId: origin,
    recipient: { privateKey: await importRecipientPrivateKey(new Uint8Array(x)), publicKey: rawPublic(x) },
    signing: { privateKey: await importSigningPrivateKey(new Uint8Array(ed)), publicKey: rawPublic(ed) },
  };
}
