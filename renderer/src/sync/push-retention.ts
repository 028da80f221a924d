/**
 * When local evidence may be deleted (if ever): only when a platform receipt covers that exact
 * attachment (same id and SHA-256), the result is not held back, and the retention period has
 * passed since the platform received it. A pure rule; services/space applies it before reclaiming originals.
 */
import type { Receipt } from '../../../shared/protocol/index.js';

export const EVIDENCE_RETENTION_DAYS = 90;
const DAY_MS = 24 * 3600 * 1000;

export interface RetentionInput {
  readonly attachment: { readonly id: string; readonly sha256: string };
  readonly receipt: Receipt | null;
  readonly now: Date;
  readonly retentionDays?: number;
}

export type RetentionVerdict = { readonly deletable: true } | { readonly deletable: false; readonly reason: string };

export function evidenceDeletable(input: RetentionInput): RetentionVerdict {
  const { receipt, attachment, now } = input;
  const days = input.retentionDays ?? EVIDENCE_RETENTION_DAYS;
  if (!receipt) return { deletable: false, reason: '平台尚未出具回执' };
  if (!receipt.attachmentHashes.some((a) => a.id === attachment.id && a.sha256 === attachment.sha256)) {
    return { deletable: false, reason: '回执未包含该附件或校验值不符' };
  }
  if (receipt.publication.state === 'held') return { deletable: false, reason: '结果被平台暂缓公示，需复核' };
  if (receipt.publication.state === 'returned') return { deletable: false, reason: '结果被审核退回，待更正' };
  const received = Date.parse(receipt.receivedAt);
  if (Number.isNaN(received) || now.getTime() - received < days * DAY_MS)
    return { deletable: false, reason: `保留期（${days} 天）未满` };
  return { deletable: true };
}
