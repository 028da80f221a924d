import { describe, expect, it } from 'vitest';
import { dueLevel, dueText, formatEta, formatRate } from './format.js';

// 2025-06-10T02:00Z is 10:00 on 2025-06-10 in China.
const now = new Date('2025-06-10T02:00:00Z');

describe('due dates', () => {
  it('flags overdue, soon and normal by China calendar days', () => {
    expect(dueLevel('2025-06-09', now)).toEqual({ level: 'overdue', days: -1 });
    expect(dueLevel('2025-06-10', now)).toEqual({ level: 'soon', days: 0 });
    expect(dueLevel('2025-06-13', now)).toEqual({ level: 'soon', days: 3 });
    expect(dueLevel('2025-06-14', now)).toEqual({ level: 'normal', days: 4 });
  });
  it('says it in Chinese', () => {
    expect(dueText('2025-06-07', now)).toBe('已逾期 3 天');
    expect(dueText('2025-06-10', now)).toBe('今天到期');
    expect(dueText('2025-06-12', now)).toBe('2 天后到期');
    expect(dueText('2025-07-01', now)).toBe('');
  });
  it('treats an invalid date as normal instead of throwing', () => {
    expect(dueLevel('2025-02-30', now).level).toBe('normal');
  });
});

describe('sync figures', () => {
  it('formats time left and rate', () => {
    expect(formatEta(null)).toBe('计算中');
    expect(formatEta(42.4)).toBe('约 42 秒');
    expect(formatEta(125)).toBe('约 2 分 5 秒');
    expect(formatEta(3 * 3600 + 60)).toBe('约 3 小时 1 分');
    expect(formatRate(0)).toBe('—');
    expect(formatRate(12.34)).toBe('12.3 条/秒');
    expect(formatRate(15000)).toBe('15,000 条/秒');
  });
});
