/**
 * The signed audit checkpoint: what the device key signs when a result is finalized, and what the
 * platform and the device's own start-up check verify. The message is canonical JSON of exactly
 * these fields, so a result's content, its place in the device's sequence and the audit chain head
 * at that moment are bound together: changing any of them afterwards needs the device key.
 */
import { canonicalJson } from '../domain/canonical.js';
import { fromBase64Url, toBase64Url, utf8Bytes } from './encoding.js';
import type { IntegritySuite, SigningKey } from './suite.js';

export interface CheckpointFields {
  readonly resultId: string;
  readonly contentHash: string;
  readonly deviceId: string;
  readonly deviceSeq: number;
  readonly count: number;
  readonly headHash: string;
}

export function checkpointMessage(f: CheckpointFields): Uint8Array<ArrayBuffer> {
  return utf8Bytes(
    canonicalJson({
      resultId: f.resultId,
      contentHash: f.contentHash,
      deviceId: f.deviceId,
      deviceSeq: f.deviceSeq,
      count: f.count,
      headHash: f.headHash,
    }),
  );
}

/** base64url of the signature over checkpointMessage(fields). */
export async function signCheckpoint(suite: IntegritySuite, key: SigningKey, f: CheckpointFields): Promise<string> {
  return toBase64Url(await suite.sign(key, checkpointMessage(f)));
}

/** False for any signature that does not verify, including one that is not base64url at all. */
export async function verifyCheckpoint(
  suite: IntegritySuite,
  publicKey: string,
  f: CheckpointFields,
  signature: string,
): Promise<boolean> {
  const pk = fromBase64Url(publicKey);
  const sig = fromBase64Url(signature);
  if (!pk || !sig) return false;
  return suite.verify(pk, checkpointMessage(f), sig);
}
