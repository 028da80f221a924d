import { describe, expect, it } from 'vitest';
import { canResendAsCorrection, reviewLabel, stateLabel } from './outbox-text.js';

describe('outbox text', () => {
  it('shows upload progress only while uploading', () => {
    expect(stateLabel({ state: 'uploading', progress: 42 })).toBe('上传中 42%');
    expect(stateLabel({ state: 'uploading', progress: null })).toBe('上传中');
    expect(stateLabel({ state: 'needs_review', progress: null })).toBe('需处理');
    expect(stateLabel({ state: 'published', progress: null })).toBe('已公示');
  });

  it('offers a correction for conflicts but not for cancelled or reassigned tasks', () => {
    expect(canResendAsCorrection('RESULT_CONFLICT')).toBe(true);
    expect(canResendAsCorrection('TASK_CANCELLED')).toBe(false);
    expect(canResendAsCorrection('TASK_REASSIGNED')).toBe(false);
    expect(reviewLabel({ decision: 'keep', note: '已电话确认', at: '', correctionResultId: null })).toBe(
      '已复核：保留本地记录（备注：已电话确认）',
    );
  });
});
