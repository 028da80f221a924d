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
 */
import { API, ReceiptSchema, type Receipt, type ResultUpload } from '../../../shared/protocol/index.js';
import {
  REVIEW_RETURNED,
  isLegacyReceipt,
  type OutboxRepo,
  type OutboxRow,
  type ResultRow,
  type ResultsRepo,
} from '../db/index.js';
import type { HttpClient, HttpResult } from '../platform/http.js';
import { backoffDelay, decide, type PushDecision } from './push-answers.js';
import { signaturePauseReason, type PushSigning } from './push-signing.js';
import type { LogVerdict, ReceiptVerifier } from './receipt-verify.js';
import type { AttachmentRef, AttachmentUploader } from './tus-upload.js';

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface PushDeps {
  readonly http: HttpClient;
  readonly outbox: OutboxRepo;
  readonly results: ResultsRepo;
  readonly deviceId: () => Promise<string>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly locks?: LockLike | null;
  readonly onChange?: () => void;
  /** Sends the result's attachments first; without it the result goes with no attachments. */
  readonly uploader?: AttachmentUploader | null;
  /**
   * Verifies the local audit hash chain before each drain; returns the seq of the first
   * broken entry, or null when intact. Results whose checkpoint covers a broken entry are paused.
   */
  readonly auditGate?: (() => Promise<number | null>) | null;
  /** Verifies receipts and the log's history before a result counts as safe; without it receipts are taken as they come. */
  readonly logVerifier?: ReceiptVerifier | null;
  /** The device key: every result goes with its signed checkpoint and the key's registered id. */
  readonly signing: PushSigning;
  /** How many results after the one being sent have their attachments queued (default LOOK_AHEAD). */
  readonly lookAhead?: number;
}

/**
 * Results whose attachments are queued behind the one being sent. One was not enough: the next
 * result's uploads then start only when the current one's PUT has been answered, so every result
 * paid an idle round trip on the link. Two keep a queued attachment ready for every freed slot.
 */
export const LOOK_AHEAD = 2;

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

/** Receipt polls in flight at once (a browser opens up to six connections to one host). */
export const RECEIPT_PREFETCH = 4;

export function buildUpload(
  result: ResultRow,
  deviceId: string,
  signed: { readonly keyId: string; readonly signature: string },
  attachments: readonly AttachmentRef[] = [],
): ResultUpload {
  return {
    taskId: result.taskId,
    taskVersion: result.taskVersion,
    deviceId,
    deviceSeq: result.deviceSeq,
    recordedAt: result.finalizedAt,
    contentHash: result.contentHash,
    payload: result.payload,
    attachments: [...attachments],
    auditCheckpoint: { ...result.auditCheckpoint, keyId: signed.keyId, signature: signed.signature },
  };
}

export function createPushEngine(deps: PushDeps): PushEngine {
  const now = deps.now ?? (() => Date.now());
  const random = deps.random ?? Math.random;
  let inflight: Promise<DrainReport> | null = null;
  const changed = () => deps.onChange?.();

  type Outcome = 'accepted' | 'review' | 'retry' | 'stop' | 'pause';
  /** Set when the platform's log failed verification: the ops behind the paused one say why, too. */
  let logPause: { lastError: string; advice: string } | null = null;

  /** What to do with an op whose receipt did not verify: retry later, or stop this inspector's uploads. */
  function logDecision(v: Extract<LogVerdict, { ok: false }>): PushDecision {
    if (v.kind === 'unreachable')
      return { action: 'retry', reason: v.reason, delayMs: backoffDelay(1, random), stopDrain: true };
    logPause = { lastError: v.reason, advice: v.advice };
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

  /** Stores the receipt if the log verifies it; otherwise what to do instead. */
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

  async function apply(op: OutboxRow, d: PushDecision): Promise<Outcome> {
    switch (d.action) {
      case 'stop':
        await deps.outbox.update(op.opId, { state: 'waiting' });
        return 'stop';
      case 'review':
        await deps.outbox.setAside(op.opId, {
          reason: d.reason,
          advice: d.advice,
          code: d.code ?? 'REJECTED',
          conflictWith: d.conflictWith ?? null,
          at: new Date(now()).toISOString(),
        });
        return 'review';
      case 'pause':
        await deps.outbox.update(op.opId, { state: 'paused', lastError: d.reason, advice: d.advice });
        return 'pause';
      case 'retry':
        await deps.outbox.update(op.opId, {
          state: 'waiting',
          lastError: d.reason,
          advice: null,
          nextAttemptAt: now() + d.delayMs,
        });
        return d.stopDrain ? 'stop' : 'retry';
    }
  }

  /** Attachments, then the PUT; an ATTACHMENTS_MISSING answer re-uploads and resends once with the same key. */
  async function sendOne(op: OutboxRow, deviceId: string, lookAhead: () => void): Promise<Outcome> {
    const result = await deps.results.get(op.resultId);
    if (!result) {
      await deps.outbox.setAside(op.opId, {
        reason: '本地找不到该结果',
        advice: '请联系管理员。',
        code: 'LOCAL_MISSING',
        conflictWith: null,
        at: new Date(now()).toISOString(),
      });
      return 'review';
    }
    const signature = await deps.signing.signature(op.resultId);
    if (!signature) {
      // The drain's gate pauses these first; a signature gone between the two is set aside, never sent unsigned.
      const { lastError, advice } = signaturePauseReason('没有设备签名');
      return apply(op, { action: 'review', code: 'UNSIGNED', reason: lastError, advice });
    }
    const at = new Date(now()).toISOString();
    await deps.outbox.update(op.opId, { state: 'uploading', attempts: op.attempts + 1, lastAttemptAt: at });
    changed();
    // Offline at the first sign-in: the key is registered before its first upload.
    let key = await deps.signing.registered(false);
    let reregistered = false;
    let reuploaded = false;
    for (;;) {
      if (!key.ok) return apply(op, decide(key.error, op.attempts, random));
      // Its own prepare is asked for first, so its uploads queue before those looked ahead to.
      const preparing = deps.uploader ? deps.uploader.prepare(op.resultId) : null;
      lookAhead();
      const prepared = preparing ? await preparing : { ok: true as const, refs: [] };
      if (!prepared.ok) return apply(op, decide(prepared.error, op.attempts, random));
      const body = buildUpload(result, deviceId, { keyId: key.keyId, signature }, prepared.refs);
      const res = await deps.http.request({
        method: 'PUT',
        path: API.result(op.resultId),
        body,
        schema: ReceiptSchema,
        idempotencyKey: op.opId,
      });
      if (res.ok) {
        if (res.notModified) return 'retry';
        const refused = await acknowledgeVerified(op, result, res.value, body.auditCheckpoint);
        return refused ? apply(op, refused) : 'accepted';
      }
      const e = res.error;
      const missing = e.kind === 'http' && e.status === 409 && e.code === 'ATTACHMENTS_MISSING' ? e.missing : [];
      if (missing.length > 0 && deps.uploader && !reuploaded) {
        reuploaded = true;
        await deps.uploader.forget(missing);
        continue;
      }
      if (e.kind === 'http' && e.code === 'DEVICE_KEY_UNREGISTERED' && !reregistered) {
        // The platform lost (or never had) the registration: register again and send once more.
        reregistered = true;
        key = await deps.signing.registered(true);
        continue;
      }
      // A second refusal of the key, or a signature refused, is set aside by decide().
      return apply(op, decide(e, op.attempts, random));
    }
  }

  /**
   * A 复查 goes on the follow-up task the platform makes when it accepts the original result, so it
   * waits (unsent) while the original, finalized on this device, has no receipt yet.
   */
  async function waitsForOriginal(op: OutboxRow): Promise<boolean> {
    const of = (await deps.results.get(op.resultId))?.payload.followUpOf?.resultId;
    if (!of) return false;
    const original = await deps.results.get(of);
    return original !== null && original.receipt === null;
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

  async function drainOnce(): Promise<DrainReport> {
    const deviceId = await deps.deviceId();
    logPause = null;
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
    /**
     * The attachments of the next sendable results go up while this one's last finish and its PUT is
     * answered, so a slow link never idles between results. Only attachments move ahead: each PUT still
     * goes in queue order, after all of its own attachments, with its own key. Nothing looks ahead while
     * the audit log is broken, nor for a result whose signature is refused (both are held back); once
     * the drain stops early, queued look-ahead uploads that have not started are dropped.
     */
    let ahead: Promise<unknown> = Promise.resolve();
    const queued = new Set<string>();
    const stopped = new AbortController();
    const depth = deps.lookAhead ?? LOOK_AHEAD;
    const lookAhead = (from: number): void => {
      const uploader = deps.uploader;
      if (!uploader || brokenAt !== null) return;
      const next = due
        .slice(from)
        .filter((o) => !refused.has(o.resultId))
        .slice(0, depth);
      for (const o of next) {
        if (queued.has(o.resultId)) continue;
        queued.add(o.resultId);
        // Its outcome is ignored here: the result's own turn prepares it again and reports the failure.
        const prepared = uploader.prepare(o.resultId, { ahead: true, signal: stopped.signal }).catch(() => undefined);
        ahead = Promise.all([ahead, prepared]);
      }
    };
    try {
      await sendInOrder();
    } finally {
      stopped.abort();
      // The drain (and the lock it holds) ends only when nothing it started is still running.
      await ahead;
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
        if (await waitsForOriginal(op)) {
          report.retry += 1;
          continue;
        }
        report.sent += 1;
        const outcome = await sendOne(op, deviceId, () => lookAhead(index + 1));
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
              ...(logPause ?? { lastError: '上传已暂停', advice: '请重新登录后继续。' }),
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
    async pollReceipts() {
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
    },
  };
}
