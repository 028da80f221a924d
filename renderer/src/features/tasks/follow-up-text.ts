/** zh-CN wording of a 复查 task's state on the list and the task page (reminder, overdue, waiting for the report). */
import { FOLLOW_UP_STATE_LABELS } from '../../../../shared/domain/follow-up.js';
import type { FollowUpSummary } from '../../services/index.js';
import type { Tone } from '../../ui/Badge.js';

export const FOLLOW_UP_KIND_LABELS: Readonly<Record<FollowUpSummary['kind'], string>> = {
  rectify: '责令改正复查',
  se_order: '特种设备监察指令书复查',
};

export function followUpText(fu: FollowUpSummary): string {
  const label = FOLLOW_UP_STATE_LABELS[fu.state];
  const left = fu.workingDaysLeft;
  if (fu.state === 'overdue' && left !== null) return `${label} ${Math.max(1, -left)} 个工作日`;
  if ((fu.state === 'remind' || fu.state === 'scheduled') && left !== null) return `${label}（剩 ${left} 个工作日）`;
  return label;
}

export function followUpTone(fu: FollowUpSummary): Tone {
  switch (fu.state) {
    case 'overdue':
      return 'danger';
    case 'remind':
    case 'due-today':
      return 'warn';
    case 'done':
      return 'ok';
    default:
      return 'info';
  }
}
