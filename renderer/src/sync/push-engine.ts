/**
 * The push engine: drains the outbox in order with each op's stored Idempotency-Key. Single-flight
 * (Web Locks when present plus an in-process guard). Attachments go first (tus, resumable); the
 * result is PUT only when all of them are stored. Accepted receipts are stored; conflicts and
 * rejections are set aside for review and never block the ops behind them; ATTACHMENTS_MISSING
 * re-uploads and resends with the same key; transient failures back off with full jitter; a
 * refused session pauses the queue. A receipt the platform answers 404 for sends its result again
 * with the same key. With a log verifier, a receipt counts only once its signature and log proofs
 * verify against the pinned platform key; a failure pauses this inspector's uploads (nothing is lost),
 * and a log whose history was rewritten stops them until an administrator has looked.
 *
 * This module holds the drain (its gates and the queue order); its parts live beside it: one
 * result's turn (push-send.ts), the attachments queued ahead (push-look-ahead.ts), receipts and
 * their poll (push-receipts.ts), the upload body (result-upload.ts), the shared state (push-context.ts).
 */
import { pushContext, type PushDeps } from './push-context.js';
import { LOOK_AHEAD, lookAhead } from './push-look-ahead.js';
import { pushReceipts } from './push-receipts.js';
import { pushSender } from './push-send.js';
import { signaturePauseReason } from './push-signing.js';

export type { LockLike, PushDeps } from './push-context.js';
export { LOOK_AHEAD } from './push-look-ahead.js';
export { RECEIPT_PREFETCH } from './push-receipts.js';
export { buildUpload } from './result-upload.js';

/** zh-CN reason on a result held back because the audit log it is anchored in was altered. */
export function auditPauseReason(brokenAt: number): { lastError: string; advice: string } {
  return {
    lastError: `本机审计日志校验失败（第 ${brokenAt} 条记录被修改或删除），该结果已暂停上传`,
    advice: '审计日志被改动后，平台无法确认该结果未被篡改。请勿自行修改数据，联系管理员核查后再上传。',
  };
}

export interface DrainReport {
  readonly sent: number;
  readonly accepted: number;
  readonly review: number;
  readonly retry: number;
  readonly paused: boolean;
}

export interface PushEngine {
  drain(): Promise<DrainReport>;
  /** GET the receipt of every accepted op; marks published ones. */
  pollReceipts(): Promise<number>;
}

export const OUTBOX_LOCK = 'smart-inspect-outbox';

export function createPushEngine(deps: PushDeps): PushEngine {
  const ctx = pushContext(deps);
  const { now, changed } = ctx;
  const receipts = pushReceipts(ctx);
  const sender = pushSender(ctx, receipts);
  let inflight: Promise<DrainReport> | null = null;

  async function drainOnce(): Promise<DrainReport> {
    const deviceId = await deps.deviceId();
    ctx.logPause = null;
    const report = { sent: 0, accepted: 0, review: 0, retry: 0, paused: false };
    const due = await deps.outbox.due(now());
    const alarm = deps.logVerifier && due.length > 0 ? await deps.logVerifier.alarm() : null;
    if (alarm) {
      // The platform rewrote its log: nothing more goes to it from this inspector until someone has looked.
      for (const op of due)
        await deps.outbox.update(op.opId, {
          state: 'paused',
          lastError: alarm.message,
          advice: '本地记录已完整保留。平台日志被改写后，本检查员的上传已全部停止，请立即联系管理员。',
        });
      changed();
      return { ...report, paused: true };
    }
    const brokenAt = deps.auditGate && due.length > 0 ? await deps.auditGate() : null;
    const refused =
      due.length > 0 ? await deps.signing.refused(due.map((op) => op.resultId)) : new Map<string, string>();
    const ahead = lookAhead({ uploader: deps.uploader, due, refused, brokenAt, depth: deps.lookAhead ?? LOOK_AHEAD });
    try {
      await sendInOrder();
    } finally {
      // The drain (and the lock it holds) ends only when nothing it started is still running.
      await ahead.stop();
    }
    return report;

    async function sendInOrder(): Promise<void> {
      for (const [index, op] of due.entries()) {
        if (
          brokenAt !== null &&
          ((await deps.results.get(op.resultId))?.auditCheckpoint.count ?? brokenAt) >= brokenAt
        ) {
          await deps.outbox.update(op.opId, { state: 'paused', ...auditPauseReason(brokenAt) });
          report.paused = true;
          changed();
          continue;
        }
        const problem = refused.get(op.resultId);
        if (problem !== undefined) {
          await deps.outbox.update(op.opId, { state: 'paused', ...signaturePauseReason(problem) });
          report.paused = true;
          changed();
          continue;
        }
        if (await sender.waitsForOriginal(op)) {
          report.retry += 1;
          continue;
        }
        report.sent += 1;
        const outcome = await sender.sendOne(op, deviceId, () => ahead.queue(index + 1));
        changed();
        if (outcome === 'accepted') report.accepted += 1;
        else if (outcome === 'review') report.review += 1;
        else if (outcome === 'retry') report.retry += 1;
        else if (outcome === 'stop') {
          report.retry += 1;
          break;
        } else {
          report.paused = true;
          for (const rest of due.slice(index + 1))
            await deps.outbox.update(rest.opId, {
              state: 'paused',
              ...(ctx.logPause ?? { lastError: '上传已暂停', advice: '请重新登录后继续。' }),
            });
          changed();
          break;
        }
      }
    }
  }

  return {
    drain() {
      inflight ??= (deps.locks ? deps.locks.request(OUTBOX_LOCK, drainOnce) : drainOnce()).finally(() => {
        inflight = null;
      });
      return inflight;
    },
    pollReceipts: receipts.pollReceipts,
  };
}
