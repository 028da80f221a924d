/** The task list as the inspector sees it: assigned tasks with local progress and the enterprise's credit class. */
import type { FollowUpKind, FollowUpState } from '../../../../shared/domain/follow-up.js';
import type { Enterprise, Task } from '../../../../shared/protocol/index.js';
import type { Unsubscribe } from '../runtime.js';

export interface TaskSummary {
  readonly id: string;
  readonly taskNo: string;
  readonly planName: string;
  readonly enterpriseName: string;
  readonly enterpriseUscc: string;
  readonly dueDate: string;
  readonly taskStatus: Task['status'];
  /** Local progress: 未开始 / 检查中 (draft) / 已完成 (finalized). */
  readonly localState: 'new' | 'draft' | 'finalized';
  readonly creditClass: Enterprise['internal']['creditClass'] | null;
  readonly warningColor: Enterprise['internal']['warningColor'] | null;
  /** Set on a 复查 task: where it stands against its deadline today (reminder, overdue). */
  readonly followUp: FollowUpSummary | null;
}

export interface FollowUpSummary {
  readonly kind: FollowUpKind;
  readonly state: FollowUpState;
  readonly deadline: string | null;
  readonly workingDaysLeft: number | null;
  readonly originalResultId: string;
}

export type RecordReportOutcome =
  | { ok: true; task: Task }
  | { ok: false; error: { kind: 'invalid-date' | 'not-follow-up' | 'already-done'; message: string } };

export interface TaskService {
  list(): Promise<readonly TaskSummary[]>;
  get(id: string): Promise<Task | null>;
  /** Where a 复查 task stands today (null for other tasks). */
  followUpSummary(id: string): Promise<FollowUpSummary | null>;
  /** The unit's rectification report for a 指令书 follow-up, as the inspector received it: starts the clock. */
  recordRectificationReport(taskId: string, reportOn: string): Promise<RecordReportOutcome>;
  subscribe(listener: () => void): Unsubscribe;
}
