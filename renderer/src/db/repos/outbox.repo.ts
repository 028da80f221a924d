/**
 * The outbox: one operation per finalized result, keyed by its Idempotency-Key (opId), drained in
 * order. Receipts are stored on the op, on the result and in `receipts` (v3) in one transaction,
 * with the audit entries they make true: `result.uploaded` when the platform first accepts the
 * result, `result.published` when its receipt first says published.
 * Set-aside ops record why (v3 `setAside`); review decisions live in outbox-review.repo.ts.
 */
import type { Receipt } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { SetAsideRow } from '../migrations/field-v3.js';
import type { OutboxRow, OutboxStateRow } from '../rows.js';
import { AuditHeadMovedError, auditRepo, type AuditInput } from './audit.repo.js';

export type OutboxPatch = Partial<
  Pick<OutboxRow, 'state' | 'attempts' | 'lastAttemptAt' | 'nextAttemptAt' | 'lastError' | 'advice'>
>;

export interface OutboxRepo {
  list(): Promise<readonly OutboxRow[]>;
  get(opId: string): Promise<OutboxRow | null>;
  /** Ops to send now, in queue order: waiting (due) ones. */
  due(nowMs: number): Promise<readonly OutboxRow[]>;
  /**
   * Accepted ops whose receipt does not say published yet, and ops whose stored receipt predates the
   * platform's transparency log (no log proof): those are asked again until a logged receipt verifies.
   */
  awaitingPublication(): Promise<readonly OutboxRow[]>;
  update(opId: string, patch: OutboxPatch): Promise<void>;
  /** Stores the receipt on the op and the result together; state from the publication state. */
  acknowledge(opId: string, receipt: Receipt): Promise<void>;
  /** Every paused op back to waiting, due now (after a new sign-in); returns how many. */
  resumePaused(): Promise<number>;
  /** Make every waiting op due now (on reconnect). */
  makeAllDue(): Promise<void>;
  countByState(state: OutboxStateRow): Promise<number>;
  /** Marks the op needs_review with the reason, the advice and the machine-readable cause. */
  setAside(
    opId: string,
    why: { reason: string; advice: string; code: string; conflictWith: string | null; at: string },
  ): Promise<void>;
  setAsideInfo(opId: string): Promise<SetAsideRow | null>;
}

/**
 * A receipt stored before the platform kept its transparency log: it carries no log proof. Such a
 * result was accepted under the older rule (the receipt names it with the same content hash).
 */
export function isLegacyReceipt(receipt: Receipt | null): receipt is Receipt {
  return receipt !== null && !receipt.log;
}

/** What an op paused by an earlier version for a receipt without a log proof says (it is polled again). */
export const MISSING_LOG_PROOF = '平台回执缺少签名或日志证明';

export function receiptEntries(op: OutboxRow, receipt: Receipt, at: string): AuditInput[] {
  const was = op.state;
  const detail = { taskId: op.taskId, resultId: op.resultId, opId: op.opId };
  const out: AuditInput[] = [];
  if (was !== 'accepted' && was !== 'published')
    out.push({
      at,
      kind: 'result.uploaded',
      subjectId: op.resultId,
      detail: {
        ...detail,
        contentHash: receipt.contentHash,
        receivedAt: receipt.receivedAt,
        attachments: receipt.attachmentHashes.length,
      },
    });
  if (receipt.publication.state === 'published' && was !== 'published')
    out.push({
      at,
      kind: 'result.published',
      subjectId: op.resultId,
      detail: { ...detail, publishedAt: receipt.publication.publishedAt },
    });
  return out;
}

export function outboxRepo(db: FieldDb): OutboxRepo {
  const audit = auditRepo(db);
  return {
    list() {
      return db.outbox.orderBy('order').toArray();
    },
    async get(opId) {
      return (await db.outbox.get(opId)) ?? null;
    },
    async due(nowMs) {
      const rows = await db.outbox.orderBy('order').toArray();
      return rows.filter((r) => (r.state === 'waiting' || r.state === 'uploading') && (r.nextAttemptAt ?? 0) <= nowMs);
    },
    async awaitingPublication() {
      return (await db.outbox.orderBy('order').toArray()).filter(
        (r) =>
          r.state === 'accepted' ||
          (isLegacyReceipt(r.receipt) &&
            (r.state === 'published' || (r.state === 'paused' && (r.lastError ?? '').includes(MISSING_LOG_PROOF)))),
      );
    },
    async update(opId, patch) {
      await db.outbox.update(opId, patch);
    },
    async acknowledge(opId, receipt) {
      const at = new Date().toISOString();
      let seen: OutboxStateRow | null = null;
      const entries = async () => {
        const before = await db.outbox.get(opId);
        if (!before) throw new Error(`outbox op ${opId} not found`);
        seen = before.state;
        return receiptEntries(before, receipt, at);
      };
      await audit.recording(entries, (prepared) =>
        db.transaction('rw', [db.outbox, db.results, db.receipts, db.setAside, db.audit], async () => {
          const op = await db.outbox.get(opId);
          if (!op) throw new Error(`outbox op ${opId} not found`);
          // The entries were prepared for the state read before; if it changed, prepare them again.
          if (op.state !== seen) throw new AuditHeadMovedError();
          const state: OutboxStateRow = receipt.publication.state === 'published' ? 'published' : 'accepted';
          await db.outbox.put({ ...op, state, receipt, lastError: null, advice: null, nextAttemptAt: null });
          await db.results.update(op.resultId, { receipt });
          await db.receipts.put({ resultId: op.resultId, receipt, storedAt: at });
          await db.setAside.delete(opId);
          for (const e of prepared) await audit.writeInTx(e);
        }),
      );
    },
    async resumePaused() {
      return db.outbox.where('state').equals('paused').modify({ state: 'waiting', nextAttemptAt: null });
    },
    async makeAllDue() {
      await db.outbox.where('state').equals('waiting').modify({ nextAttemptAt: null });
    },
    countByState(state) {
      return db.outbox.where('state').equals(state).count();
    },
    async setAside(opId, why) {
      await db.transaction('rw', db.outbox, db.setAside, async () => {
        await db.outbox.update(opId, {
          state: 'needs_review',
          lastError: why.reason,
          advice: why.advice,
          nextAttemptAt: null,
        });
        await db.setAside.put({ opId, code: why.code, conflictWith: why.conflictWith, at: why.at });
      });
    },
    async setAsideInfo(opId) {
      return (await db.setAside.get(opId)) ?? null;
    },
  };
}
