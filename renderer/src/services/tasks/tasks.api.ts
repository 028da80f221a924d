/** The task list as the inspector sees it: assigned tasks with local progress and the enterprise's credit class. */
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
}

export interface TaskService {
  list(): Promise<readonly TaskSummary[]>;
  get(id: string): Promise<Task | null>;
  subscribe(listener: () => void): Unsubscribe;
}
