/**
 * Storage space and reclaiming evidence originals. Evidence is the inspector's proof, so an original
 * leaves this device only when the platform has proven it holds the same bytes: the result's receipt
 * names the attachment with the same id and SHA-256 (recomputed from the bytes just before the
 * delete, not taken from the row), the result is not held back, and the retention period has passed
 * since the platform received it (the rule in sync/push-retention.ts). Results, signatures, documents
 * and every hash stay; each reclaim is an `evidence.reclaimed` entry on the audit chain.
 */
import type { Receipt } from '../../../../shared/protocol/index.js';
import {
  evidenceIndexRepo,
  hashBlob,
  mediaChunksRepo,
  summaryBytes,
  type AttachmentRow,
  type EvidenceSummary,
  type ResultRow,
} from '../../db/index.js';
import { EVIDENCE_RETENTION_DAYS, evidenceDeletable, type RetentionVerdict } from '../../sync/push-retention.js';
import type { Runtime } from '../runtime.js';
import { hashMediaChunks } from '../inspection/media-import.js';
import { provenReceipt } from './receipt-proof.js';
import type { EvidenceSpace, ReclaimOutcome, ResultSpace, SpaceService, TaskSpace } from './space.api.js';

/**
 * Whether a receipt is proof that the platform holds this exact attachment of this result. Every
 * reclaim asks this one question (receipt-proof.ts answers it by verifying the platform's signature
 * and log inclusion), so nothing is reclaimed on an unverified receipt.
 */
export type ReceiptVerifier = (
  receipt: Receipt | null,
  attachment: { readonly id: string; readonly sha256: string },
  result: ResultRow,
) => Promise<boolean>;

export interface SpaceOptions {
  readonly retentionDays?: number;
  readonly receiptVerified?: ReceiptVerifier;
  readonly estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

const UNVERIFIED = '平台回执未通过验证';
const HASH_CHANGED = '原件内容与保存时的校验值不符，未清理';
const NOT_FINAL = '检查记录尚未定稿';
const CHUNKS_BROKEN = '录像/录音数据不完整或无法读取，未清理';

function browserEstimate(): Promise<{ usage?: number; quota?: number }> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return Promise.resolve({});
  return navigator.storage.estimate();
}

// Signatures are part of the record, never reclaimed; photos, scans and recordings are originals.
type OriginalKind = EvidenceSpace['kind'];
type Evidence = AttachmentRow & { readonly kind: OriginalKind };
const isEvidence = (a: AttachmentRow): a is Evidence => a.kind !== 'signature';
type Summary = EvidenceSummary & { readonly kind: OriginalKind };
const isEvidenceSummary = (a: EvidenceSummary): a is Summary => a.kind !== 'signature';

export function createSpaceService(rt: Runtime, options: SpaceOptions = {}): SpaceService {
  const { attachments, results, tasks } = rt.repos;
  // The overview reads summaries only: the rows holding the bytes are opened by a reclaim alone.
  const index = evidenceIndexRepo(rt.dbs.field);
  const retentionDays = options.retentionDays ?? EVIDENCE_RETENTION_DAYS;
  const verified = options.receiptVerified ?? provenReceipt(rt);
  const estimate = options.estimate ?? browserEstimate;
  const chunks = mediaChunksRepo(rt.dbs.field);

  /** The bytes on disk as they are now: a photo's Blob, or a recording's chunks; null when unreadable. */
  async function hashNow(row: Evidence): Promise<string | null> {
    if (!row.media) return hashBlob(row.blob);
    try {
      return await hashMediaChunks(row, chunks);
    } catch {
      return null;
    }
  }

  /** The rule, then the one receipt predicate: both must allow it. */
  async function verdict(result: ResultRow, a: { id: string; sha256: string }): Promise<RetentionVerdict> {
    const receipt = result.receipt;
    const rule = evidenceDeletable({ attachment: a, receipt, now: rt.now(), retentionDays });
    if (!rule.deletable) return rule;
    return (await verified(receipt, a, result)) ? rule : { deletable: false, reason: UNVERIFIED };
  }

  async function evidenceOf(row: Summary, result: ResultRow | null): Promise<EvidenceSpace> {
    const base = {
      id: row.id,
      kind: row.kind,
      fileName: row.fileName,
      size: row.size,
      sha256: row.sha256,
      capturedAt: row.capturedAt,
      thumbnail: row.thumbnail,
    };
    if (row.reclaimedAt) return { ...base, state: 'reclaimed', reason: null, reclaimedAt: row.reclaimedAt };
    const v = result ? await verdict(result, row) : { deletable: false as const, reason: NOT_FINAL };
    return v.deletable
      ? { ...base, state: 'reclaimable', reason: null, reclaimedAt: null }
      : { ...base, state: 'kept', reason: v.reason, reclaimedAt: null };
  }

  async function taskSpace(taskId: string, enterpriseName: string, rows: readonly Summary[]): Promise<TaskSpace> {
    const byResult = new Map<string, Summary[]>();
    for (const r of rows) byResult.set(r.resultId, [...(byResult.get(r.resultId) ?? []), r]);
    const out: ResultSpace[] = [];
    let draftBytes = 0;
    for (const [resultId, files] of byResult) {
      const result = await results.get(resultId);
      if (!result) {
        draftBytes += files.reduce((n, f) => n + summaryBytes(f), 0);
        continue;
      }
      const evidence = await Promise.all(files.map((f) => evidenceOf(f, result)));
      out.push({
        resultId,
        finalizedAt: result.finalizedAt,
        originalsBytes: files.reduce((n, f) => n + summaryBytes(f), 0),
        reclaimableBytes: evidence.filter((e) => e.state === 'reclaimable').reduce((n, e) => n + e.size, 0),
        evidence,
        reasons: [...new Set(evidence.flatMap((e) => (e.reason ? [e.reason] : [])))],
      });
    }
    out.sort((a, b) => b.finalizedAt.localeCompare(a.finalizedAt));
    return {
      taskId,
      enterpriseName,
      originalsBytes: draftBytes + out.reduce((n, r) => n + r.originalsBytes, 0),
      draftBytes,
      results: out,
    };
  }

  return {
    async overview() {
      const [est, list, finalized] = await Promise.all([estimate(), tasks.list(), results.all()]);
      const names = new Map(list.map((t) => [t.task.id, t.task.enterprise.name]));
      for (const r of finalized) if (!names.has(r.taskId)) names.set(r.taskId, r.payload.enterpriseUscc);
      const out: TaskSpace[] = [];
      for (const [taskId, name] of names) {
        const rows = (await index.forTask(taskId)).filter(isEvidenceSummary);
        if (rows.length > 0) out.push(await taskSpace(taskId, name, rows));
      }
      out.sort((a, b) => b.originalsBytes - a.originalsBytes || a.taskId.localeCompare(b.taskId));
      return { usage: est.usage ?? null, quota: est.quota ?? null, retentionDays, tasks: out };
    },

    async reclaim(resultId): Promise<ReclaimOutcome> {
      const result = await results.get(resultId);
      if (!result) return { ok: false, error: { kind: 'not-found', message: '找不到该检查记录，或尚未定稿' } };
      const receipt = result.receipt;
      const kept: { id: string; reason: string }[] = [];
      let freed = 0;
      let reclaimed = 0;
      for (const row of (await attachments.forResult(resultId)).filter(isEvidence)) {
        if (row.reclaimed) continue;
        const before = await verdict(result, row);
        if (!before.deletable) {
          kept.push({ id: row.id, reason: before.reason });
          continue;
        }
        // The receipt covers the hash recorded at capture; the bytes must still be those bytes.
        const sha256 = await hashNow(row);
        if (sha256 === null) {
          kept.push({ id: row.id, reason: CHUNKS_BROKEN });
          continue;
        }
        const now = await verdict(result, { id: row.id, sha256 });
        if (sha256 !== row.sha256 || !now.deletable || !receipt) {
          kept.push({
            id: row.id,
            reason: sha256 !== row.sha256 ? HASH_CHANGED : now.deletable ? UNVERIFIED : now.reason,
          });
          continue;
        }
        const bytes = await attachments.reclaim(row.id, {
          sha256,
          at: rt.now().toISOString(),
          receiptReceivedAt: receipt.receivedAt,
        });
        freed += bytes;
        if (bytes > 0) reclaimed += 1;
      }
      if (reclaimed === 0 && kept.length > 0) {
        const reasons = [...new Set(kept.map((k) => k.reason))].join('；');
        return { ok: false, error: { kind: 'not-allowed', message: `原件不能清理：${reasons}` } };
      }
      return { ok: true, freed, reclaimed, kept };
    },
  };
}
