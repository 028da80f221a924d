/**
 * When a receipt is proof enough to delete an original: it names the attachment with the same id and
 * SHA-256, AND its platform signature, signed checkpoint and Merkle inclusion proof verify against the
 * pinned platform log key, for the entry this device itself sent (its content hash and the audit
 * checkpoint with the device signature). The same check the uploader makes before it calls a result
 * safe, repeated here because a deletion cannot be undone.
 *
 * The receipt is verified once per result and receipt, not once per attachment: the verdict is kept
 * under the result id and a hash of everything the check reads (the receipt, the result's content
 * hash and checkpoint, the device signature and key id), so a changed input is verified afresh.
 */
import { verifyReceipt } from '../../../../shared/transparency/receipt-verify.js';
import { parseVerifierKey } from '../../../../shared/transparency/signed-note.js';
import { sha256Hex } from '../../db/index.js';
import { webCryptoEd25519 } from '../../sync/receipt-verify.js';
import type { Runtime } from '../runtime.js';
import type { ReceiptVerifier } from './space.service.js';

export const receiptCoversAttachment: ReceiptVerifier = (receipt, a) =>
  Promise.resolve(receipt !== null && receipt.attachmentHashes.some((h) => h.id === a.id && h.sha256 === a.sha256));

export interface ProvenReceiptOptions {
  /** The receipt check (tests count its calls). */
  readonly verify?: typeof verifyReceipt;
}

export function provenReceipt(rt: Runtime, o: ProvenReceiptOptions = {}): ReceiptVerifier {
  const check = o.verify ?? verifyReceipt;
  const verdicts = new Map<string, Promise<boolean>>();
  return async (receipt, a, result) => {
    if (!receipt || !(await receiptCoversAttachment(receipt, a, result))) return false;
    const signature = (await rt.repos.checkpoints.get(result.resultId))?.signature;
    const keyId = (await rt.repos.deviceKeys.current())?.keyId;
    if (!signature || !keyId) return false;
    const pinned = (await rt.deps.adapter.config()).platformLogKey;
    const inputs = JSON.stringify([receipt, result.contentHash, result.auditCheckpoint, keyId, signature, pinned]);
    const key = `${result.resultId}:${await sha256Hex(inputs)}`;
    let verdict = verdicts.get(key);
    if (!verdict) {
      verdict = (async () => {
        const parsed = pinned ? parseVerifierKey(pinned) : null;
        if (!parsed?.ok) return false;
        const checked = await check(
          receipt,
          {
            resultId: result.resultId,
            contentHash: result.contentHash,
            auditCheckpoint: { ...result.auditCheckpoint, keyId, signature },
          },
          parsed.value,
          webCryptoEd25519,
        );
        return checked.ok;
      })();
      verdicts.set(key, verdict);
      // A check that threw is not a verdict: the next call tries again.
      verdict.catch(() => verdicts.delete(key));
    }
    return verdict;
  };
}
