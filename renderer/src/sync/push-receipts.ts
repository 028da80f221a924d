/**
 * Receipts: a receipt counts (is stored) only once the log verifier accepts it; a receipt older
 * than the log is kept under the older rule; 审核退回 sets the op aside; and the poll asks the
 * platform for the receipt of every accepted op, a few requests ahead, handling the answers in
 * queue order (a lost result or lost evidence is sent again with the same key).
 */
import { API, ReceiptSchema, type Receipt, type ResultUpload } from '../../../shared/protocol/index.js';
import { REVIEW_RETURNED, isLegacyReceipt, type OutboxRow, type ResultRow } from '../db/index.js';
import type { HttpResult } from '../platform/http.js';
import type { PushContext } from './push-context.js';
import { backoffDelay, type PushDecision } from './push-answers.js';
import type { LogVerdict } from './receipt-verify.js';
import { buildUpload } from './result-upload.js';

/** Receipt polls in flight at once (a browser opens up to six connections to one host). */
export const RECEIPT_PREFETCH = 4;

export interface PushReceipts {
  /** Stores the receipt if the log verifies it (null); otherwise what to do with the op instead. */
  acknowledgeVerified(
    op: OutboxRow,
    result: ResultRow,
    receipt: Receipt,
    sent?: ResultUpload['auditCheckpoint'],
  ): Promise<PushDecision | null>;
  /** GET the receipt of every accepted op; marks published ones. */
  pollReceipts(): Promise<number>;
}

export function pushReceipts(ctx: PushContext): PushReceipts {
  const { deps, random, now, changed } = ctx;

  /** What to do with an op whose receipt did not verify: retry later, or stop this inspector's uploads. */
  function logDecision(v: Extract<LogVerdict, { ok: false }>): PushDecision {
    if (v.kind === 'unreachable')
      return { action: 'retry', reason: v.reason, delayMs: backoffDelay(1, random), stopDrain: true };
    ctx.logPause = { lastError: v.reason, advice: v.advice };
    return { action: 'pause', reason: v.reason, advice: v.advice };
  }

  /**
   * A result whose stored receipt predates the platform's log, answered again without a log proof:
   * it stays accepted under the older rule (the receipt names this result with its content hash),
   * shown as 未入公开日志, and is asked again at every poll until a logged receipt verifies. Only a
   * receipt already stored gets this: a new upload must come back with a verified log proof.
   */
  async function legacyReceipt(op: OutboxRow, result: ResultRow, receipt: Receipt): Promise<'kept' | 'published'> {
    if (receipt.resultId !== result.resultId || receipt.contentHash !== result.contentHash) {
      await deps.outbox.update(op.opId, {
        state: 'paused',
        lastError: '平台回执与本机结果不一致（旧版回执，内容哈希不同）',
        advice: '本地记录已完整保留。请联系管理员核对平台保存的该检查结果。',
      });
      changed();
      return 'kept';
    }
    if (op.state === 'paused') {
      // Paused by an earlier version for the missing proof: accepted again, without a second upload entry.
      await deps.outbox.update(op.opId, { state: 'accepted', lastError: null, advice: null, nextAttemptAt: null });
      changed();
    }
    if (op.state === 'paused' || op.receipt?.publication.state !== receipt.publication.state) {
      await deps.outbox.acknowledge(op.opId, receipt);
      changed();
    }
    if (receipt.publication.state === 'returned') await setAsideReturned(op, receipt);
    return receipt.publication.state === 'published' && op.state !== 'published' ? 'published' : 'kept';
  }

  /** The audit checkpoint exactly as it was uploaded (the log entry holds it with its device signature). */
  async function sentCheckpoint(result: ResultRow): Promise<ResultUpload['auditCheckpoint'] | null> {
    const signature = await deps.signing.signature(result.resultId);
    const key = await deps.signing.registered(false);
    if (signature === null || !key.ok) return null;
    return buildUpload(result, await deps.deviceId(), { keyId: key.keyId, signature }).auditCheckpoint;
  }

  async function acknowledgeVerified(
    op: OutboxRow,
    result: ResultRow,
    receipt: Receipt,
    sent?: ResultUpload['auditCheckpoint'],
  ): Promise<PushDecision | null> {
    if (deps.logVerifier) {
      const auditCheckpoint = sent ?? (await sentCheckpoint(result));
      if (!auditCheckpoint)
        return {
          action: 'retry',
          reason: '设备签名暂不可用，稍后再核对平台回执',
          delayMs: backoffDelay(1, random),
          stopDrain: true,
        };
      const verdict = await deps.logVerifier.check(receipt, {
        resultId: result.resultId,
        contentHash: result.contentHash,
        auditCheckpoint,
      });
      if (!verdict.ok) return logDecision(verdict);
    }
    await deps.outbox.acknowledge(op.opId, receipt);
    return null;
  }

  /** 审核退回: never published; the inspector corrects it in the form (the note says what to change). */
  async function setAsideReturned(op: OutboxRow, receipt: Receipt): Promise<void> {
    await deps.outbox.setAside(op.opId, {
      reason: `审核退回：${receipt.review?.note ?? '（审核人未填写意见）'}`,
      advice: '请打开该任务的检查记录，点“更正”按审核意见修改后重新定稿；更正结果上传后再次审核。',
      code: REVIEW_RETURNED,
      conflictWith: null,
      at: new Date(now()).toISOString(),
    });
    changed();
  }

  async function pollReceipts(): Promise<number> {
    let published = 0;
    // Without a log to check (tests of the bare engine), a published receipt is final.
    const polled = (await deps.outbox.awaitingPublication()).filter(
      (op) => deps.logVerifier || op.state === 'accepted',
    );
    // A backlog's receipts would cost one round trip each: up to RECEIPT_PREFETCH requests go out
    // ahead, while the answers are still handled one at a time in queue order.
    const asked: Promise<HttpResult<Receipt>>[] = [];
    const ask = (upTo: number): void => {
      while (asked.length < Math.min(upTo, polled.length)) {
        const answer = deps.http.request({
          method: 'GET',
          path: API.receipt(polled[asked.length]!.resultId),
          schema: ReceiptSchema,
        });
        answer.catch(() => undefined); // a throw is reported where it is awaited, not as unhandled
        asked.push(answer);
      }
    };
    for (const [index, op] of polled.entries()) {
      ask(index + RECEIPT_PREFETCH);
      const res = await asked[index]!;
      if (!res.ok && res.error.kind === 'http' && res.error.code === 'ATTACHMENTS_MISSING' && deps.uploader) {
        // The platform lost evidence after accepting: publication is blocked until it is re-sent.
        await deps.uploader.forget(res.error.missing);
        await deps.outbox.update(op.opId, {
          state: 'waiting',
          nextAttemptAt: null,
          lastError: '平台缺少附件，将重新上传',
        });
        changed();
        continue;
      }
      if (!res.ok && res.error.kind === 'http' && res.error.status === 404) {
        // The platform no longer has a result it accepted (e.g. restored from a backup): send it
        // again under the same Idempotency-Key, so it is accepted exactly once whatever it kept.
        await deps.outbox.update(op.opId, {
          state: 'waiting',
          nextAttemptAt: null,
          lastError: '平台找不到该结果，将用同一幂等键重新提交',
        });
        changed();
        continue;
      }
      if (!res.ok || res.notModified) continue;
      const result = await deps.results.get(op.resultId);
      if (!result) continue;
      if (deps.logVerifier && isLegacyReceipt(op.receipt) && !res.value.log) {
        if ((await legacyReceipt(op, result, res.value)) === 'published') published += 1;
        continue;
      }
      const refused = await acknowledgeVerified(op, result, res.value);
      if (refused?.action === 'pause') {
        // A receipt that no longer verifies: the result is not called safe any more; it stays stored
        // here and is sent again (same key) once uploads resume.
        await deps.outbox.update(op.opId, { state: 'paused', lastError: refused.reason, advice: refused.advice });
        changed();
        continue;
      }
      if (refused) continue;
      if (res.value.publication.state === 'returned') await setAsideReturned(op, res.value);
      if (res.value.publication.state === 'published') published += 1;
    }
    // The latest checkpoint too, so a rewrite after the last receipt is still caught.
    if (deps.logVerifier && (await deps.outbox.list()).some((o) => o.receipt?.log)) {
      const verdict = await deps.logVerifier.monitor();
      if (!verdict.ok && verdict.kind !== 'unreachable') changed();
    }
    if (published > 0) changed();
    return published;
  }

  return { acknowledgeVerified, pollReceipts };
}
