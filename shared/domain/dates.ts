/**
 * Calendar dates as 'YYYY-MM-DD' strings and the working-day calendar (holidays and 调休 make-up
 * working days). Publication deadlines are counted in working days on the platform's calendar
 * (holidays and make-up working days move). Time is always passed in; nothing here reads the clock.
 */

export type IsoDate = string; // YYYY-MM-DD

export interface WorkCalendar {
  /** Weekdays that are public holidays (e.g. 国庆). */
  readonly holidays: readonly IsoDate[];
  /** Weekend days that are working days (调休上班). */
  readonly workdays: readonly IsoDate[];
}

/** Days in each month of a common year; February gains a day in leap years. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
}

/**
 * The calendar day of 'YYYY-MM-DD', or NaN. Plain arithmetic (no Date objects): every record of a
 * 200,000-enterprise credit-file download carries a dozen dates, so this runs millions of times.
 * Years 0000–0099 are refused (Date.UTC would read them as 19xx).
 */
function dayNumber(d: string): number {
  if (typeof d !== 'string' || d.length !== 10 || d.charCodeAt(4) !== 45 || d.charCodeAt(7) !== 45) return Number.NaN;
  const y = digit(d, 0) * 1000 + digit(d, 1) * 100 + digit(d, 2) * 10 + digit(d, 3);
  const m = digit(d, 5) * 10 + digit(d, 6);
  const day = digit(d, 8) * 10 + digit(d, 9);
  if (!(y >= 100) || !(m >= 1 && m <= 12) || !(day >= 1)) return Number.NaN;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (day > MONTH_DAYS[m - 1]! + (m === 2 && leap ? 1 : 0)) return Number.NaN;
  return Date.UTC(y, m - 1, day) / 86_400_000;
}

function toUtcDay(d: IsoDate): number {
  const day = dayNumber(d);
  if (Number.isNaN(day)) throw new Error(`invalid date '${d}' (expected YYYY-MM-DD)`);
  return day;
}

function fromUtcDay(day: number): IsoDate {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function isValidIsoDate(d: string): boolean {
  return !Number.isNaN(dayNumber(d));
}

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromUtcDay(toUtcDay(d) + n);
}

export function diffDays(from: IsoDate, to: IsoDate): number {
  return toUtcDay(to) - toUtcDay(from);
}

export function isWorkingDay(d: IsoDate, cal: WorkCalendar): boolean {
  if (cal.workdays.includes(d)) return true;
  if (cal.holidays.includes(d)) return false;
  const weekday = new Date(toUtcDay(d) * 86_400_000).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The date `n` working days after `d` (the day itself does not count). */
export function addWorkingDays(d: IsoDate, n: number, cal: WorkCalendar): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new Error(`working days must be a non-negative integer, got ${n}`);
  let day = toUtcDay(d);
  let left = n;
  while (left > 0) {
    day += 1;
    if (isWorkingDay(fromUtcDay(day), cal)) left -= 1;
  }
  return fromUtcDay(day);
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: WorkCalendar): number {
  const a = toUtcDay(from);
  const b = toUtcDay(to);
  const sign = b >= a ? 1 : -1;
  let count = 0;
  for (let day = a; day !== b; day += sign) {
    const probe = sign > 0 ? day + 1 : day;
    if (isWorkingDay(fromUtcDay(probe), cal)) count += 1;
  }
  return sign * count;
}

export const DEFAULT_PUBLICATION_WORKING_DAYS = 20;

/** Publication deadline: N working days (20 by default) from the inspection date. */
export function publicationDeadline(
  inspectedOn: IsoDate,
  cal: WorkCalendar,
  workingDays = DEFAULT_PUBLICATION_WORKING_DAYS,
): IsoDate {
  return addWorkingDays(inspectedOn, workingDays, cal);
}

export type DeadlineLamp = 'green' | 'yellow' | 'red' | 'overdue';

/** Traffic-light for a pending deadline, as Zhejiang shows it: working days left. */
export function deadlineLamp(
  today: IsoDate,
  deadline: IsoDate,
  cal: WorkCalendar,
): { lamp: DeadlineLamp; daysLeft: number } {
  const daysLeft = workingDaysBetween(today, deadline, cal);
  if (daysLeft < 0) return { lamp: 'overdue', daysLeft };
  if (daysLeft <= 3) return { lamp: 'red', daysLeft };
  if (daysLeft <= 7) return { lamp: 'yellow', daysLeft };
  return { lamp: 'green', daysLeft };
}

/** Local calendar date of an instant in China (UTC+8, no DST). */
export function chinaDate(instant: Date): IsoDate {
  return new Date(instant.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
