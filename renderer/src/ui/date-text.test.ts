/** Typed dates read the way an inspector means them; impossible dates are refused. */
import { describe, expect, it } from 'vitest';
import { longDate, parseDateText } from './date-text.js';

describe('parseDateText', () => {
  it.each([
    ['2026-11-22', '2026-11-22'],
    ['2026/11/22', '2026-11-22'],
    ['2026.1.5', '2026-01-05'],
    ['20261122', '2026-11-22'],
    ['2026年11月22日', '2026-11-22'],
    ['2026年1月5日', '2026-01-05'],
    ['  2026-11-22 ', '2026-11-22'],
    ['２０２６－１１－２２', '2026-11-22'],
    ['２０２６年１１月２２日', '2026-11-22'],
  ])('%s → %s', (text, iso) => {
    expect(parseDateText(text)).toBe(iso);
  });

  it.each(['', '2026-11', '11/22/2026', '2026-02-30', '2026-13-01', '2026-11-22x', '明天'])('refuses %j', (text) => {
    expect(parseDateText(text)).toBeNull();
  });
});

describe('longDate', () => {
  it('names the weekday in Chinese', () => {
    expect(longDate('2026-11-22')).toBe('2026年11月22日 星期日');
    expect(longDate('2024-02-29')).toBe('2024年2月29日 星期四');
  });
  it('is empty for a date that is not one', () => {
    expect(longDate('2026-02-30')).toBe('');
  });
});
