/** Finalized results on their way to the platform, and the review of set-aside ones. */
import type { Unsubscribe } from '../runtime.js';
import type { LogAlarmReview } from './log-alarm.js';

export type { AcknowledgeOutcome, LogAlarmAck, LogAlarmView } from './log-alarm.js';

export type OutboxState = 'waiting' | 'uploading' | 'accepted' | 'published' | 'needs_review' | 'paused';
export interface OutboxEntry {
  readonly opId: string;
  readonly resultId: string;
  readonly taskId: string;
  readonly enterpriseName: string;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly lastAttemptAt: string | null;
  readonly nextAttemptAt: string | null;
  readonly lastError: string | null;
  /** zh-CN: what the inspector should do (for needs_review / paused). */
  readonly advice: string | null;
  readonly publicationDeadline: string;
  /** Attachment bytes the platform confirmed, 0–100, while uploading; else null. */
  readonly progress: number | null;
  /** Why it was set aside, machine-readable (RESULT_CONFLICT, TASK_CANCELLED, …), for the review flow. */
  readonly setAsideCode: string | null;
  /** The inspector's review decision, if any: kept with a note, or resent as a correction. */
  readonly review: {
    readonly decision: 'keep' | 'correction';
    readonly note: string;
    readonly at: string;
    readonly correctionResultId: string | null;
  } | null;
  /** This result corrects (replaces) that one. */
  readonly replaces: string | null;
  /** Accepted and waiting for the deployment's reviewer (待审核) before it is published. */
  readonly underReview?: boolean;
  /**
   * The entry number of this result in the platform's transparency log, once its receipt's
   * signature and inclusion proof verified against the pinned key; null otherwise.
   */
  readonly logIndex: number | null;
  /**
   * Accepted under the older rule on a receipt stored before the platform kept its log (未入公开日志):
   * the app asks the platform again until a logged receipt verifies. Absent means false.
   */
  readonly unlogged?: boolean;
}
export interface OutboxService {
  list(): Promise<readonly OutboxEntry[]>;
  /** zh-CN: why this inspector's uploads stopped because the platform rewrote its log; null when all is well. */
  logAlarm(): Promise<string | null>;
  /** The alarm's two checkpoints, their export as evidence, and resuming with an acknowledged reason. */
  readonly alarmReview: LogAlarmReview;
  /** Drain now (also runs on reconnect and on a timer). Single-flight. */
  pushNow(): Promise<void>;
  subscribe(listener: () => void): Unsubscribe;
  /** Keep a set-aside result as it is, with the inspector's note. Nothing is deleted. */
  keepWithNote(opId: string, note: string): Promise<void>;
  /** Resend a set-aside result as a correction (new resultId, `replaces`); returns the new resultId. */
  resendAsCorrection(opId: string, note: string): Promise<string>;
}
