/** zh-CN labels and tones for outbox states. */
import type { OutboxState } from '../../services/api.js';
import type { Tone } from '../../ui/Badge.js';

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
