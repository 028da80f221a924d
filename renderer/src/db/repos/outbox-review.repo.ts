/**
 * Review decisions on set-aside results (field v3 `reviews`): keep with a note, or resend as a
 * correction — a NEW result (new resultId, `replaces` the conflicting one) with copies of the
 * evidence, its own outbox op and an audit entry, all in one strict transaction. The original
 * result, op and evidence are never deleted or edited.
 */
import type { ResultPayload } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { ReviewRow } from '../migrations/field-v3.js';
import type { AuditRow, ResultRow } from '../rows.js';
import { auditRepo } from './audit.repo.js';
import { writeCheckpointInTx, type SignedCheckpointInput } from './devkey.repo.js';
import { nextDeviceSeq } from './meta.repo.js';

export interface CorrectionWrite {
  readonly opId: string;
  readonly note: string;
  readonly at: string;
  readonly payload: ResultPayload;
  readonly contentHash: string;
  readonly newOpId: string;
  readonly audit: AuditRow;
  /** The device key's signature over the correction's checkpoint. */
  readonly checkpoint: SignedCheckpointInput;
  /** Original attachment id → the copy's id; the payload already names the copies. */
  readonly attachmentIds: Readonly<Record<string, string>>;
}

export interface ReviewsRepo {
  all(): Promise<ReviewRow[]>;
  keep(opId: string, note: string, at: string): Promise<void>;
  /** Writes the correction; returns the new result. */
  correct(write: CorrectionWrite): Promise<ResultRow>;
}

/**
 * Review ids are set here rather than left to auto-increment: a sealed row's key is part of its
 * seal, so it must be known before the row is written. Call inside a rw transaction over reviews.
 */
export async function nextReviewId(db: FieldDb): Promise<number> {
  const last = await db.reviews.orderBy(':id').lastKey();
  return (typeof last === 'number' ? last : 0) + 1;
}

export function reviewsRepo(db: FieldDb): ReviewsRepo {
  const audit = auditRepo(db);
  return {
    all: () => db.reviews.toArray(),
    async keep(opId, note, at) {
      await db.transaction('rw', db.outbox, db.reviews, async () => {
        const op = await db.outbox.get(opId);
        if (!op) throw new Error(`找不到待上传记录 ${opId}`);
        if (op.state !== 'needs_review') throw new Error('只有“需处理”的结果可以保留并备注');
        await db.reviews.add({
          id: await nextReviewId(db),
          opId,
          resultId: op.resultId,
          decision: 'keep',
          note,
          correctionResultId: null,
          at,
        });
      });
    },
    async correct(w) {
      const tables = [db.outbox, db.results, db.attachments, db.audit, db.meta, db.reviews, db.checkpoints];
      return db.transaction('rw', tables, async () => {
        const op = await db.outbox.get(w.opId);
        const original = op ? await db.results.get(op.resultId) : undefined;
        if (!op || !original) throw new Error(`找不到待上传记录 ${w.opId}`);
        if (op.state !== 'needs_review') throw new Error('只有“需处理”的结果可以作为更正重新提交');
        await audit.writeInTx(w.audit);
        const deviceSeq = await nextDeviceSeq(db);
        const row: ResultRow = {
          resultId: w.payload.resultId,
          taskId: original.taskId,
          taskVersion: original.taskVersion,
          payload: w.payload,
          contentHash: w.contentHash,
          finalizedAt: w.at,
          deviceSeq,
          auditCheckpoint: { count: w.audit.seq, headHash: w.audit.hash },
          receipt: null,
        };
        await writeCheckpointInTx(db, w.checkpoint, {
          resultId: row.resultId,
          contentHash: row.contentHash,
          deviceSeq,
          count: w.audit.seq,
          headHash: w.audit.hash,
        });
        await db.results.add(row);
        for (const att of await db.attachments.where('resultId').equals(original.resultId).toArray()) {
          const id = w.attachmentIds[att.id];
          // The payload was hashed with these ids: a copy under any other id would not match its evidence.
          if (!id) throw new Error(`更正缺少附件 ${att.id} 的新编号`);
          await db.attachments.add({ ...att, id, resultId: row.resultId });
        }
        await db.outbox.add({
          opId: w.newOpId,
          order: deviceSeq,
          kind: 'put-result',
          resultId: row.resultId,
          taskId: row.taskId,
          enterpriseName: op.enterpriseName,
          publicationDeadline: op.publicationDeadline,
          state: 'waiting',
          attempts: 0,
          createdAt: w.at,
          lastAttemptAt: null,
          nextAttemptAt: null,
          lastError: null,
          advice: null,
          receipt: null,
        });
        await db.reviews.add({
          id: await nextReviewId(db),
          opId: w.opId,
          resultId: op.resultId,
          decision: 'correction',
          note: w.note,
          correctionResultId: row.resultId,
          at: w.at,
        });
        return row;
      });
    },
  };
}
