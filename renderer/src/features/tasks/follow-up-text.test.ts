import { describe, expect, it } from 'vitest';
import { followUpText, followUpTone } from './follow-up-text.js';

const fu = (state: Parameters<typeof followUpText>[0]['state'], workingDaysLeft: number | null) => ({
  kind: 'rectify' as const,
  state,
  deadline: '2026-06-01',
  workingDaysLeft,
  originalResultId: 'r-1',
});

describe('follow-up wording', () => {
  it('says how many working days are left, or how many it is overdue', () => {
    expect(followUpText(fu('remind', 2))).toBe('即将到期（剩 2 个工作日）');
    expect(followUpText(fu('overdue', -3))).toBe('已逾期 3 个工作日');
    // Overdue on a weekend: no working day has passed yet, but the deadline has.
    expect(followUpText(fu('overdue', 0))).toBe('已逾期 1 个工作日');
    expect(followUpText(fu('awaiting-report', null))).toBe('待单位提交整改报告');
  });
  it('warns before the deadline and alarms after it', () => {
    expect(followUpTone(fu('scheduled', 9))).toBe('info');
    expect(followUpTone(fu('remind', 2))).toBe('warn');
    expect(followUpTone(fu('overdue', -1))).toBe('danger');
    expect(followUpTone(fu('done', null))).toBe('ok');
  });
});
