/**
 * When a receipt is proof enough to delete an original: it names the attachment with the same id and
 * SHA-256, AND its platform signature, signed checkpoint and Merkle inclusion proof verify against the
 * pinned platform log key, for the entry this device itself sent (its content hash and the audit
 * checkpoint with the device signature). The same check the uploader makes before it calls a result
 * safe, repeated here because a deletion cannot be undone.
 */
import { verifyReceipt } from '../../../../shared/transparency/receipt-verify.js';
import { parseVerifierKey } from '../../../../shared/transparency/signed-note.js';
import { webCryptoEd25519 } from '../../sync/receipt-verify.js';
import type { Runtime } from '../runtime.js';
import type { ReceiptVerifier } from './space.service.js';

export const receiptCoversAttachment: ReceiptVerifier = (receipt, a) =>
  Promise.resolve(receipt !== null && receipt.attachmentHashes.some((h) => h.id === a.id && h.sha256 === a.sha256));

export function provenReceipt(rt: Runtime): ReceiptVerifier {
  return async (receipt, a, result) => {
    if (!receipt || !(await receiptCoversAttachment(receipt, a, result))) return false;
    const pinned = (await rt.deps.adapter.config()).platformLogKey;
    const key = pinned ? parseVerifierKey(pinned) : null;
    if (!key?.ok) return false;
    const signature = (await rt.repos.checkpoints.get(result.resultId))?.signature;
    const keyId = (await rt.repos.deviceKeys.current())?.keyId;
    if (!signature || !keyId) return false;
    const check = await verifyReceipt(
      receipt,
      {
        resultId: result.resultId,
        contentHash: result.contentHash,
        auditCheckpoint: { ...result.auditCheckpoint, keyId, signature },
      },
      key.value,
      webCryptoEd25519,
    );
    return check.ok;
  };
}
