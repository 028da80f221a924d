import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addWorkingDays,
  chinaDate,
  deadlineLamp,
  isValidIsoDate,
  isWorkingDay,
  publicationDeadline,
  workingDaysBetween,
} from './dates.js';

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

describe('isValidIsoDate', () => {
  /** The definition the fast check must agree with: Date's own round trip. */
  const reference = (d: string): boolean => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d);
    if (!m) return false;
    const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    return new Date(t).toISOString().slice(0, 10) === d;
  };
  it('accepts real calendar days and leap days only in leap years', () => {
    for (const d of ['2024-02-29', '2000-02-29', '2026-12-31', '1999-01-01', '0100-03-01'])
      expect(isValidIsoDate(d)).toBe(true);
    for (const d of [
      '2026-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-13-01',
      '2026-00-10',
      '2026-01-00',
      '0099-01-01',
      '2026-1-01',
      '2026/01/01',
      '２０２６-01-01',
      ' 2026-01-01',
      '',
    ]) {
      expect(isValidIsoDate(d)).toBe(false);
    }
  });
  it('agrees with the Date round trip on well-formed and mangled strings', () => {
    const pad = (n: number, w: number) => String(n).padStart(w, '0');
    const shaped = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }))
      .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`);
    const mangled = fc
      .tuple(shaped, fc.nat(9), fc.constantFrom('x', '-', '0', '9', '', '12'))
      .map(([s, i, c]) => s.slice(0, i) + c + s.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(shaped, mangled, fc.string({ maxLength: 12 })), (s) => isValidIsoDate(s) === reference(s)),
      { numRuns: 20_000 },
    );
  });
  it('still counts days across month and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
});
