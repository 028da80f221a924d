/** zh-CN labels and tones for outbox states, upload progress and review decisions. */
import type { OutboxEntry, OutboxState } from '../../services/index.js';
import type { Tone } from '../../ui/Badge.js';

/** Results not yet confirmed by the platform (what 待上传 N counts). */
export function isPending(entry: Pick<OutboxEntry, 'state'>): boolean {
  return entry.state !== 'accepted' && entry.state !== 'published';
}

export const OUTBOX_STATE_LABELS: Readonly<Record<OutboxState, string>> = {
  waiting: '等待上传',
  uploading: '上传中',
  accepted: '已接收',
  published: '已公示',
  needs_review: '需处理',
  paused: '已暂停',
};

export const OUTBOX_STATE_TONES: Readonly<Record<OutboxState, Tone>> = {
  waiting: 'neutral',
  uploading: 'info',
  accepted: 'ok',
  published: 'ok',
  needs_review: 'danger',
  paused: 'warn',
};

/** 上传中 n% while attachment bytes are confirmed; the plain label otherwise. */
export function stateLabel(
  e: Pick<OutboxEntry, 'state' | 'progress'> & { underReview?: boolean; setAsideCode?: string | null },
): string {
  if (e.state === 'uploading' && typeof e.progress === 'number') return `上传中 ${e.progress}%`;
  if (e.state === 'accepted' && e.underReview) return '已接收，待审核';
  if (e.state === 'needs_review' && e.setAsideCode === 'REVIEW_RETURNED') return '审核退回';
  return OUTBOX_STATE_LABELS[e.state];
}

/**
 * A correction helps when the content conflicts (RESULT_CONFLICT) or the platform refused it;
 * for a cancelled or reassigned task a resend would only be held again: keep it with a note.
 */
export function canResendAsCorrection(code: string | null): boolean {
  return (
    code !== 'TASK_CANCELLED' &&
    code !== 'TASK_REASSIGNED' &&
    code !== 'CHECKSUM_MISMATCH' &&
    code !== 'LOCAL_MISSING' &&
    // Returned by the reviewer: the same content again would be returned again; it is corrected in the form.
    code !== 'REVIEW_RETURNED'
  );
}

export function reviewLabel(review: NonNullable<OutboxEntry['review']>): string {
  const note = review.note ? `（备注：${review.note}）` : '';
  return review.decision === 'keep' ? `已复核：保留本地记录${note}` : `已复核：已作为更正重新提交${note}`;
}
