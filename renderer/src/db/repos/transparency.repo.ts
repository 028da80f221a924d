/** The platform log checkpoints this inspector's app verified, and the alarm when history was rewritten. */
import type { FieldDb } from '../databases.js';
import type { LogAlarmRow, LogCheckpointRow } from '../migrations/field-v7.js';

export type { LogAlarmRow, LogCheckpointRow } from '../migrations/field-v7.js';

export interface TransparencyRepo {
  /** The largest verified checkpoint, if any. */
  latest(): Promise<LogCheckpointRow | null>;
  get(size: number): Promise<LogCheckpointRow | null>;
  put(row: LogCheckpointRow): Promise<void>;
  alarm(): Promise<LogAlarmRow | null>;
  /** Keeps the first alarm: the earliest evidence of a rewrite is what matters. */
  raise(alarm: Omit<LogAlarmRow, 'id'>): Promise<void>;
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
  };
}
