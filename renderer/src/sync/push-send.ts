/**
 * One result's turn in the drain: its attachments first (tus, resumable), then the PUT with the
 * op's stored Idempotency-Key once all of them are stored; an ATTACHMENTS_MISSING answer re-uploads
 * and resends once, a lost key registration registers again and resends once; every other answer
 * becomes a decision (push-answers.ts) applied to the op.
 */
import { API, ReceiptSchema } from '../../../shared/protocol/index.js';
import type { OutboxRow } from '../db/index.js';
import { decide, type PushDecision } from './push-answers.js';
import type { PushContext } from './push-context.js';
import type { PushReceipts } from './push-receipts.js';
import { signaturePauseReason } from './push-signing.js';
import { buildUpload } from './result-upload.js';

/** How one op's turn ended; 'stop' ends the drain, 'pause' pauses the ops behind it too. */
export type Outcome = 'accepted' | 'review' | 'retry' | 'stop' | 'pause';

export interface PushSender {
  /** Attachments, then the PUT; `lookAhead` is called once its own uploads are queued. */
  sendOne(op: OutboxRow, deviceId: string, lookAhead: () => void): Promise<Outcome>;
  /** Whether the op is a 复查 whose original, finalized here, has no receipt yet (it waits, unsent). */
  waitsForOriginal(op: OutboxRow): Promise<boolean>;
}

export function pushSender(ctx: PushContext, receipts: PushReceipts): PushSender {
  const { deps, now, random, changed } = ctx;

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
        const refused = await receipts.acknowledgeVerified(op, result, res.value, body.auditCheckpoint);
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

  return { sendOne, waitsForOriginal };
}
