/**
 * Verifies a platform receipt before the app calls its result safe: the platform's signature over
 * the receipt, the signed checkpoint, that the logged leaf is exactly this device's result (content
 * hash, attachment hashes, audit checkpoint as uploaded), and the inclusion proof of that leaf in the
 * checkpoint's tree. Everything is checked against the pinned platform log key.
 */
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../domain/canonical.js';
import { RECEIPT_SIGNING_CONTEXT } from '../protocol/results.js';
import type { Receipt } from '../protocol/results.js';
import { fromBase64 } from './bytes.js';
import { leafHash, verifyInclusion } from './merkle-verify.js';
import { openCheckpoint } from './signed-note.js';
import type { Checkpoint, Ed25519Verify, VerifierKey } from './signed-note.js';

export type ReceiptCheckKind = 'missing-proof' | 'bad-signature' | 'wrong-entry' | 'bad-proof';

export type ReceiptCheck =
  | { ok: true; checkpoint: Checkpoint & { note: string } }
  | { ok: false; error: { kind: ReceiptCheckKind; message: string } };

/** What the device itself sent: the leaf is recomputed from these, never taken from the receipt. */
export interface SentResult {
  readonly resultId: string;
  readonly contentHash: string;
  readonly auditCheckpoint: unknown;
}

/** The log entry of an accepted result, as both sides serialise it. */
export function logEntryBytes(entry: {
  resultId: string;
  contentHash: string;
  attachmentHashes: readonly { id: string; sha256: string }[];
  auditCheckpoint: unknown;
}): Uint8Array {
  return utf8ToBytes(
    canonicalJson({
      resultId: entry.resultId,
      contentHash: entry.contentHash,
      attachmentHashes: entry.attachmentHashes.map((a) => ({ id: a.id, sha256: a.sha256 })),
      auditCheckpoint: entry.auditCheckpoint,
    }),
  );
}

/** The bytes the platform signs for a receipt. */
export function receiptSigningBytes(receipt: Receipt): Uint8Array {
  const { signature: _omit, ...rest } = receipt;
  return utf8ToBytes(RECEIPT_SIGNING_CONTEXT + canonicalJson(rest));
}

const fail = (kind: ReceiptCheckKind, message: string): ReceiptCheck => ({ ok: false, error: { kind, message } });

export async function verifyReceipt(
  receipt: Receipt,
  sent: SentResult,
  key: VerifierKey,
  verify: Ed25519Verify,
): Promise<ReceiptCheck> {
  const { log, signature } = receipt;
  if (!log || !signature) return fail('missing-proof', '平台回执缺少签名或日志证明，无法确认平台已如实记录');
  const sig = fromBase64(signature);
  if (!sig || !(await verify(key.publicKey, receiptSigningBytes(receipt), sig)))
    return fail('bad-signature', '平台回执签名无法用本机固定的平台公钥验证，回执不可信');
  const cp = await openCheckpoint(log.checkpoint, key, verify);
  if (!cp.ok) return fail(cp.error.kind === 'malformed' ? 'bad-proof' : 'bad-signature', cp.error.message);
  if (cp.value.size !== log.treeSize) return fail('bad-proof', '回执的树大小与检查点不符');
  if (receipt.resultId !== sent.resultId || receipt.contentHash !== sent.contentHash)
    return fail('wrong-entry', '平台回执记录的结果编号或内容哈希与本机提交的不一致');
  const leaf = leafHash(logEntryBytes({ ...receipt, auditCheckpoint: sent.auditCheckpoint }));
  if (bytesToHex(leaf) !== log.leafHash) return fail('wrong-entry', '平台日志中记录的条目与本机提交的结果不一致');
  const proof = verifyInclusion(
    log.index,
    log.treeSize,
    leaf,
    log.inclusionProof.map((h) => hexToBytes(h)),
    cp.value.rootHash,
  );
  if (!proof.ok) return fail('bad-proof', `平台日志包含证明校验失败：${proof.error.message}`);
  return { ok: true, checkpoint: { ...cp.value, note: log.checkpoint } };
}
