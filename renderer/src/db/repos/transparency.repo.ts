/**
 * The platform log checkpoints this inspector's app verified, the alarm when history was rewritten,
 * and the acknowledged alarms (field v14): an alarm leaves `logAlarm` only by `acknowledge`, which
 * archives it whole with the inspector's reason and its audit entry in one transaction.
 */
import type { FieldDb } from '../databases.js';
import type { AuditRow } from '../rows.js';
import type { LogCheckpointRow } from '../migrations/field-v7.js';
import type { LogAlarmRecord, LogAlarmReviewRow } from '../migrations/field-v14.js';
import { auditRepo } from './audit.repo.js';

export type { LogAlarmRow, LogCheckpointRow } from '../migrations/field-v7.js';
export type { LogAlarmEvidence, LogAlarmRecord, LogAlarmReviewRow } from '../migrations/field-v14.js';

export interface AcknowledgeAlarmInput {
  /** The alarm the inspector reviewed: the acknowledgement applies only while it is still the one raised. */
  readonly expected: { readonly newSize: number; readonly newRoot: string };
  readonly review: Omit<LogAlarmReviewRow, 'alarm' | 'archived'>;
  /** The prepared `log.alarm.acknowledged` entry (AuditHeadMovedError if the head moved). */
  readonly audit: AuditRow;
  /** The checkpoint that raised the alarm, from now on the one the next must extend. */
  readonly next: LogCheckpointRow;
}

export interface TransparencyRepo {
  /** The largest verified checkpoint, if any. */
  latest(): Promise<LogCheckpointRow | null>;
  get(size: number): Promise<LogCheckpointRow | null>;
  put(row: LogCheckpointRow): Promise<void>;
  alarm(): Promise<LogAlarmRecord | null>;
  /** Keeps the first alarm: the earliest evidence of a rewrite is what matters. */
  raise(alarm: Omit<LogAlarmRecord, 'id'>): Promise<void>;
  /**
   * Archives the current alarm with the verified checkpoints, writes the audit entry, makes the
   * alarm's new checkpoint the baseline and lets the ops it paused wait again, all in one
   * transaction. 'changed' (nothing written) when the current alarm is not the expected one.
   */
  acknowledge(input: AcknowledgeAlarmInput): Promise<'done' | 'changed'>;
  reviews(): Promise<LogAlarmReviewRow[]>;
}

export function transparencyRepo(db: FieldDb): TransparencyRepo {
  return {
    async latest() {
      return (await db.logCheckpoints.orderBy('size').last()) ?? null;
    },
    async get(size) {
      return (await db.logCheckpoints.get(size)) ?? null;
    },
    async put(row) {
      await db.logCheckpoints.put(row);
    },
    async alarm() {
      return (await db.logAlarm.get('current')) ?? null;
    },
    async raise(alarm) {
      await db.transaction('rw', db.logAlarm, async () => {
        if (!(await db.logAlarm.get('current'))) await db.logAlarm.put({ id: 'current', ...alarm });
      });
    },
    async acknowledge(input) {
      return db.transaction(
        'rw',
        [db.logAlarm, db.logAlarmReviews, db.logCheckpoints, db.audit, db.outbox],
        async (): Promise<'done' | 'changed'> => {
          const alarm = await db.logAlarm.get('current');
          if (!alarm || alarm.newSize !== input.expected.newSize || alarm.newRoot !== input.expected.newRoot)
            return 'changed';
          await auditRepo(db).writeInTx(input.audit);
          const archived = await db.logCheckpoints.orderBy('size').toArray();
          await db.logAlarmReviews.add({ ...input.review, alarm, archived });
          await db.logCheckpoints.clear();
          await db.logCheckpoints.put(input.next);
          await db.logAlarm.delete('current');
          await db.outbox
            .where('state')
            .equals('paused')
            .modify((op) => {
              if (op.lastError !== alarm.message) return;
              Object.assign(op, { state: 'waiting', nextAttemptAt: null, lastError: null, advice: null });
            });
          return 'done';
        },
      );
    },
    async reviews() {
      return db.logAlarmReviews.toArray();
    },
  };
}
