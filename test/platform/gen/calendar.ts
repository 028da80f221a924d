/**
 * The platform's working-day calendar for 2026–2027: weekday public holidays and weekend 调休
 * make-up working days. 2026 follows the State Council notice; 2027 is a plausible synthetic
 * schedule (not yet published when this was written) good enough for deadline tests.
 */
import type { WorkCalendar } from '../../../shared/domain/dates.js';
import { addDays } from '../../../shared/domain/dates.js';

function range(from: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(from, i));
}

const HOLIDAYS = [
  ...range('2026-01-01', 3),
  ...range('2026-02-15', 9),
  ...range('2026-04-04', 3),
  ...range('2026-05-01', 5),
  ...range('2026-06-19', 3),
  ...range('2026-09-25', 3),
  ...range('2026-10-01', 7),
  ...range('2027-01-01', 3),
  ...range('2027-02-05', 8),
  ...range('2027-04-03', 3),
  ...range('2027-05-01', 5),
  ...range('2027-06-09', 3),
  ...range('2027-09-15', 3),
  ...range('2027-10-01', 7),
];

const MAKE_UP_WORKDAYS = [
  '2026-01-04',
  '2026-02-14',
  '2026-02-28',
  '2026-05-09',
  '2026-09-20',
  '2026-10-10',
  '2027-02-13',
  '2027-02-20',
  '2027-04-25',
  '2027-05-08',
  '2027-09-26',
  '2027-10-09',
];

function isWeekday(d: string): boolean {
  const day = new Date(`${d}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
}

/** Holidays are listed as weekdays only (weekend holidays are already days off). */
export const CALENDAR: WorkCalendar = {
  holidays: HOLIDAYS.filter(isWeekday),
  workdays: MAKE_UP_WORKDAYS.filter((d) => !isWeekday(d)),
};
