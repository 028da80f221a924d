/**
 * The platform's transparency-log key (Ed25519) and the C2SP signed-note encoding it signs with.
 *
 * DEMO ONLY: the default key is derived from the seed committed below, so the demo app can pin its
 * public key in app-config.json. A real platform keeps its log key secret and the app pins that
 * platform's public key; nothing signed with this seed proves anything outside tests and demos.
 */
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** TEST-ONLY seed of the demo platform's log key (published on purpose; never use it for real data). */
export const DEMO_LOG_SEED_HEX = '5e1f5a1d0dde3c0de7e57011da7a0000c0ffee5eed0fdeb00000000000000001';
/** The log's origin line and the key's name. */
export const DEMO_LOG_ORIGIN = 'demo.smart-inspect.invalid/log';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface LogSigner {
  readonly origin: string;
  /** `<name>+<key hash>+<base64(0x01 ‖ public key)>`, what the app pins. */
  readonly verifierKey: string;
  sign(message: Buffer): Buffer;
  /** The raw Ed25519 public key (what the verifier key carries after its 0x01 byte). */
  readonly publicKey: Buffer;
  /** The private key as PKCS#8, for WebCrypto signers (the station bundle is sealed with WebCrypto). */
  readonly pkcs8: Buffer;
  /** The note text followed by a blank line and this key's signature line. */
  signNote(text: string): string;
}

function keyHash(name: string, pub: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([1]), pub]))
    .digest()
    .subarray(0, 4);
}

export function logSigner(seedHex: string = DEMO_LOG_SEED_HEX, origin: string = DEMO_LOG_ORIGIN): LogSigner {
  const seed = Buffer.from(seedHex, 'hex');
  if (seed.length !== 32) throw new Error('log key seed must be 32 bytes of hex');
  const priv: KeyObject = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const spki = createPublicKey(priv).export({ format: 'der', type: 'spki' });
  const pub = spki.subarray(spki.length - 32);
  const hash = keyHash(origin, pub);
  const signMessage = (message: Buffer): Buffer => sign(null, message, priv);
  return {
    origin,
    verifierKey: `${origin}+${hash.toString('hex')}+${Buffer.concat([Buffer.from([1]), pub]).toString('base64')}`,
    sign: signMessage,
    publicKey: Buffer.from(pub),
    pkcs8: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    signNote(text) {
      if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
      const sig = signMessage(Buffer.from(text, 'utf8'));
      return `${text}\n\u2014 ${origin} ${Buffer.concat([hash, sig]).toString('base64')}\n`;
    },
  };
}
