/**
 * Finalized results. Finalize writes the frozen result, its outbox operation, the audit entry and
 * the device key's signed checkpoint (and freezes the draft) in ONE strict transaction: all of them
 * exist after a crash, or none do.
 */
import type { Receipt } from '../../../../shared/protocol/index.js';
import type { FieldDb } from '../databases.js';
import type { AuditRow, OutboxRow, ResultRow } from '../rows.js';
import { auditRepo } from './audit.repo.js';
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
      const tables = [db.results, db.outbox, db.audit, db.meta, db.drafts, db.checkpoints];
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
        write.beforeCommit?.();
        return row;
      });
    },
    async setReceipt(resultId, receipt) {
      await db.results.update(resultId, { receipt });
    },
  };
}
