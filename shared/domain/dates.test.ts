import { describe, expect, it } from 'vitest';
import { addWorkingDays, chinaDate, deadlineLamp, isWorkingDay, publicationDeadline, workingDaysBetween } from './dates.js';

// 2026 National Day: 10-01..10-07 off (weekdays among them are holidays); 10-10 (Sat) is a make-up day.
const cal = {
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};
const none = { holidays: [], workdays: [] };

describe('working days', () => {
  it('skips weekends', () => {
    expect(addWorkingDays('2026-11-20', 1, none)).toBe('2026-11-23'); // Fri → Mon
    expect(addWorkingDays('2026-11-16', 20, none)).toBe('2026-12-14');
  });
  it('skips holidays and counts make-up Saturdays', () => {
    expect(isWorkingDay('2026-10-01', cal)).toBe(false);
    expect(isWorkingDay('2026-10-10', cal)).toBe(true);
    // From Wed 09-30: 10-08 (Thu) 1, 10-09 (Fri) 2, 10-10 (Sat, make-up) 3, 10-12 (Mon) 4
    expect(addWorkingDays('2026-09-30', 4, cal)).toBe('2026-10-12');
    expect(addWorkingDays('2026-09-30', 4, none)).toBe('2026-10-06');
  });
  it('gives a 20-working-day publication deadline', () => {
    expect(publicationDeadline('2026-09-28', cal)).toBe('2026-10-30');
    expect(publicationDeadline('2026-09-28', none)).toBe('2026-10-26');
  });
  it('counts working days between dates in both directions', () => {
    expect(workingDaysBetween('2026-11-20', '2026-11-23', none)).toBe(1);
    expect(workingDaysBetween('2026-11-23', '2026-11-20', none)).toBe(-1);
    expect(workingDaysBetween('2026-09-28', publicationDeadline('2026-09-28', cal), cal)).toBe(20);
  });
  it('lights the deadline lamp', () => {
    expect(deadlineLamp('2026-11-02', '2026-11-30', none).lamp).toBe('green');
    expect(deadlineLamp('2026-11-25', '2026-11-30', none)).toEqual({ lamp: 'red', daysLeft: 3 });
    expect(deadlineLamp('2026-12-01', '2026-11-30', none).lamp).toBe('overdue');
  });
  it('rejects invalid dates', () => {
    expect(() => addWorkingDays('2026-02-30', 1, none)).toThrow(/invalid date/);
  });
  it('takes the China calendar date of an instant', () => {
    expect(chinaDate(new Date('2026-11-21T17:30:00Z'))).toBe('2026-11-22');
  });
});
