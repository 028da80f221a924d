/**
 * For tests that fake the platform: a fresh Ed25519 log key (WebCrypto) and receipts it signs,
 * each logged alone in a one-entry log, so the app's receipt verification passes for real.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Receipt, ResultUpload } from '../../../shared/protocol/index.js';
import { toBase64 } from '../../../shared/transparency/bytes.js';
import { leafHash } from '../../../shared/transparency/merkle-verify.js';
import { logEntryBytes, receiptSigningBytes } from '../../../shared/transparency/receipt-verify.js';
import { formatVerifierKey, keyHashOf } from '../../../shared/transparency/signed-note.js';

export interface TestLogKey {
  /** What the app pins (`platformLogKey`). */
  readonly verifierKey: string;
  /** The platform's signed receipt for this upload. */
  receiptFor(up: ResultUpload, base: Omit<Receipt, 'log' | 'signature'>): Promise<Receipt>;
}

const NAME = 'test.invalid/log';

export async function createTestLogKey(): Promise<TestLogKey> {
  const pair = (await crypto.subtle.generateKey('Ed25519', true, ['sign', 'verify'])) as CryptoKeyPair;
  const pub = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  const sign = async (bytes: Uint8Array): Promise<Uint8Array> =>
    new Uint8Array(await crypto.subtle.sign('Ed25519', pair.privateKey, Uint8Array.from(bytes)));
  const keyHash = keyHashOf(NAME, pub);
  return {
    verifierKey: formatVerifierKey(NAME, pub),
    async receiptFor(up, base) {
      const leaf = leafHash(
        logEntryBytes({
          resultId: up.payload.resultId,
          contentHash: up.contentHash,
          attachmentHashes: up.attachments,
          auditCheckpoint: up.auditCheckpoint,
        }),
      );
      const text = `${NAME}\n1\n${toBase64(leaf)}\n`;
      const sig = await sign(new TextEncoder().encode(text));
      const both = new Uint8Array(keyHash.length + sig.length);
      both.set(keyHash);
      both.set(sig, keyHash.length);
      const unsigned: Receipt = {
        ...base,
        log: {
          index: 0,
          treeSize: 1,
          leafHash: bytesToHex(leaf),
          inclusionProof: [],
          checkpoint: `${text}\n\u2014 ${NAME} ${toBase64(both)}\n`,
        },
      };
      return { ...unsigned, signature: toBase64(await sign(receiptSigningBytes(unsigned))) };
    },
  };
}
