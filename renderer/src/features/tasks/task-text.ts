/** zh-CN labels for task state: local progress and the platform's status. */
import type { TaskSummary } from '../../services/index.js';
import type { Tone } from '../../ui/Badge.js';

export const LOCAL_STATE_LABELS: Readonly<Record<TaskSummary['localState'], string>> = {
  new: '未开始',
  draft: '检查中',
  finalized: '已完成',
};

export const LOCAL_STATE_TONES: Readonly<Record<TaskSummary['localState'], Tone>> = {
  new: 'neutral',
  draft: 'info',
  finalized: 'ok',
};

export const TASK_STATUS_LABELS: Readonly<Record<TaskSummary['taskStatus'], string | null>> = {
  assigned: null,
  cancelled: '已取消',
  reassigned: '已改派',
};
