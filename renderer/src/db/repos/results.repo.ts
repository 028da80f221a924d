/**
 * Finalized results. Finalize writes the frozen result, its outbox operation, the audit entry and
 * the device key's signed checkpoint (and freezes the draft) in ONE strict transaction: all of them
 * exist after a crash, or none do.
 */
import type { Receipt, Task } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { AuditRow, OutboxRow, ResultRow } from '../rows.js';
import { auditRepo } from './audit.repo.js';
import { nextReviewId } from './outbox-review.repo.js';
import { writeCheckpointInTx, type SignedCheckpointInput } from './devkey.repo.js';
import { nextDeviceSeq } from './meta.repo.js';

export class AlreadyFinalizedError extends Error {
  constructor(taskId: string) {
    super(`该任务的检查记录已定稿（任务 ${taskId}）`);
    this.name = 'AlreadyFinalizedError';
  }
}

export interface FinalizeWrite {
  readonly result: Omit<ResultRow, 'deviceSeq' | 'auditCheckpoint' | 'receipt'>;
  readonly op: Pick<OutboxRow, 'opId' | 'enterpriseName' | 'publicationDeadline'>;
  readonly audit: AuditRow;
  /**
   * The 复查 task this result calls for, written in the same transaction so it exists offline at once;
   * left alone when a synced copy (same derived id) is already here.
   */
  readonly followUpTask?: Task;
  /** The device key's signature over the checkpoint this finalize makes (stored with the result). */
  readonly checkpoint: SignedCheckpointInput;
  /** Fault injection for tests (a crash before the commit must leave nothing half-written): runs inside the transaction before commit. */
  readonly beforeCommit?: () => void;
}

export interface ResultsRepo {
  get(resultId: string): Promise<ResultRow | null>;
  forTask(taskId: string): Promise<ResultRow | null>;
  /** Every finalized record of a task, newest first (a correction and the one it replaces). */
  allForTask(taskId: string): Promise<ResultRow[]>;
  finalizedTaskIds(): Promise<ReadonlySet<string>>;
  /** Every finalized record on the device (the outbox view names which one each corrects). */
  all(): Promise<ResultRow[]>;
  finalize(write: FinalizeWrite): Promise<ResultRow>;
  setReceipt(resultId: string, receipt: Receipt): Promise<void>;
}

/** The platform's code on an op whose result a reviewer returned (审核退回). */
export const REVIEW_RETURNED = 'REVIEW_RETURNED';

/**
 * A correction finalized for a result the reviewer returned answers that return: the returned op's
 * review is recorded as corrected by it, in the finalize transaction, so the outbox stops asking.
 */
async function closeReturnedReview(db: FieldDb, row: ResultRow): Promise<void> {
  const replaced = row.payload.replaces;
  if (!replaced) return;
  for (const op of await db.outbox.where('resultId').equals(replaced).toArray()) {
    if (op.state !== 'needs_review' || (await db.setAside.get(op.opId))?.code !== REVIEW_RETURNED) continue;
    if ((await db.reviews.where('opId').equals(op.opId).count()) > 0) continue;
    await db.reviews.add({
      id: await nextReviewId(db),
      opId: op.opId,
      resultId: replaced,
      decision: 'correction',
      note: '已按审核意见更正',
      correctionResultId: row.resultId,
      at: row.finalizedAt,
    });
  }
}

export function resultsRepo(db: FieldDb): ResultsRepo {
  const audit = auditRepo(db);
  return {
    async get(resultId) {
      return (await db.results.get(resultId)) ?? null;
    },
    async forTask(taskId) {
      const rows = await db.results.where('taskId').equals(taskId).sortBy('deviceSeq');
      return rows.at(-1) ?? null;
    },
    async allForTask(taskId) {
      return (await db.results.where('taskId').equals(taskId).sortBy('deviceSeq')).reverse();
    },
    async finalizedTaskIds() {
      return new Set((await db.results.toArray()).map((r) => r.taskId));
    },
    all: () => db.results.toArray(),
    async finalize(write) {
      const tables = [
        db.results,
        db.outbox,
        db.audit,
        db.meta,
        db.drafts,
        db.tasks,
        db.setAside,
        db.reviews,
        db.checkpoints,
      ];
      return db.transaction('rw', tables, async () => {
        const draft = await db.drafts.get(write.result.taskId);
        if (draft?.frozen) throw new AlreadyFinalizedError(write.result.taskId);
        await audit.writeInTx(write.audit);
        const deviceSeq = await nextDeviceSeq(db);
        const row: ResultRow = {
          ...write.result,
          deviceSeq,
          receipt: null,
          auditCheckpoint: { count: write.audit.seq, headHash: write.audit.hash },
        };
        await writeCheckpointInTx(db, write.checkpoint, {
          resultId: row.resultId,
          contentHash: row.contentHash,
          deviceSeq,
          count: write.audit.seq,
          headHash: write.audit.hash,
        });
        await db.results.add(row);
        await db.outbox.add({
          ...write.op,
          order: deviceSeq,
          kind: 'put-result',
          resultId: row.resultId,
          taskId: row.taskId,
          state: 'waiting',
          attempts: 0,
          createdAt: row.finalizedAt,
          lastAttemptAt: null,
          nextAttemptAt: null,
          lastError: null,
          advice: null,
          receipt: null,
        });
        if (draft) await db.drafts.put({ ...draft, frozen: true, updatedAt: row.finalizedAt });
        await closeReturnedReview(db, row);
        const fu = write.followUpTask;
        if (fu && !(await db.tasks.get(fu.id)))
          await db.tasks.put({
            id: fu.id,
            version: fu.version,
            status: fu.status,
            dueDate: fu.dueDate,
            enterpriseUscc: fu.enterprise.uscc,
            task: fu,
            mark: null,
            // Not from the feed: the platform's copy (same id and version) then changes nothing.
            seq: 0,
          });
        write.beforeCommit?.();
        return row;
      });
    },
    async setReceipt(resultId, receipt) {
      await db.results.update(resultId, { receipt });
    },
  };
}
