import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IdSchema } from '../protocol/common.js';
import {
  findingsNeedingFollowUp,
  followUpDeadline,
  followUpState,
  followUpTaskId,
  SE_REINSPECTION_WORKING_DAYS,
} from './follow-up.js';

// 2026 National Day: 10-01..10-07 off (weekdays among them are holidays); Sat 10-10 is a make-up working day.
const cal = {
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};
const none = { holidays: [], workdays: [] };

const finding = (itemCode: string, handling: string, rectifyDeadline: string | null) => ({
  itemCode,
  handling,
  rectifyDeadline,
});

describe('follow-up task id', () => {
  it('is derived from the original result only, so device and platform agree', () => {
    expect(followUpTaskId('r-1')).toBe(followUpTaskId('r-1'));
    expect(followUpTaskId('r-1')).not.toBe(followUpTaskId('r-2'));
  });
  it('is a valid protocol id for every valid result id, and distinct for distinct ids', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/);
    fc.assert(
      fc.property(id, id, (a, b) => {
        expect(IdSchema.safeParse(followUpTaskId(a)).success).toBe(true);
        if (a !== b && a.length < 126 && b.length < 126) expect(followUpTaskId(a)).not.toBe(followUpTaskId(b));
      }),
    );
  });
  it('refuses an empty original id', () => {
    expect(() => followUpTaskId('')).toThrow(/original result id/);
  });
});

describe('which findings a follow-up covers', () => {
  it('takes only 责令限期改正 findings that carry a deadline', () => {
    const list = [
      finding('A', 'rectify', '2026-11-30'),
      finding('B', 'on_spot', null),
      finding('C', 'rectify', null),
      finding('D', 'case', '2026-11-30'),
    ];
    expect(findingsNeedingFollowUp(list).map((f) => f.itemCode)).toEqual(['A']);
  });
});

describe('follow-up deadline', () => {
  it('责令改正: the latest rectification deadline of the covered findings', () => {
    const list = [finding('A', 'rectify', '2026-11-30'), finding('B', 'rectify', '2026-12-15')];
    expect(followUpDeadline('rectify', list, null, cal)).toBe('2026-12-15');
    expect(followUpDeadline('rectify', [finding('B', 'on_spot', null)], null, cal)).toBeNull();
  });
  it('指令书: no clock until the rectification report is recorded', () => {
    expect(followUpDeadline('se_order', [], null, cal)).toBeNull();
  });
  it('指令书: 10 working days from the report, skipping the holiday and counting the make-up Saturday', () => {
    expect(SE_REINSPECTION_WORKING_DAYS).toBe(10);
    // Report Mon 09-28: 09-29 1, 09-30 2, 10-01..07 off, 10-08 3, 10-09 4, Sat 10-10 (make-up) 5,
    // 10-12 6, 10-13 7, 10-14 8, 10-15 9, 10-16 10.
    expect(followUpDeadline('se_order', [], '2026-09-28', cal)).toBe('2026-10-16');
    // The same report without the holiday calendar would be due four days earlier.
    expect(followUpDeadline('se_order', [], '2026-09-28', none)).toBe('2026-10-12');
  });
  it('指令书: a bad report date is refused, not guessed', () => {
    expect(() => followUpDeadline('se_order', [], '2026-02-30', cal)).toThrow(/rectification report date/);
  });
});

describe('reminder and overdue states', () => {
  const deadline = '2026-10-16';
  it('is scheduled until three working days are left, then reminds, then is due, then overdue', () => {
    expect(followUpState('2026-10-12', deadline, false, cal)).toEqual({ state: 'scheduled', workingDaysLeft: 4 });
    expect(followUpState('2026-10-13', deadline, false, cal)).toEqual({ state: 'remind', workingDaysLeft: 3 });
    expect(followUpState('2026-10-16', deadline, false, cal)).toEqual({ state: 'due-today', workingDaysLeft: 0 });
    expect(followUpState('2026-10-17', deadline, false, cal).state).toBe('overdue');
  });
  it('counts the make-up Saturday as a working day left', () => {
    // From Thu 10-08 to Tue 10-13: 10-09, Sat 10-10, 10-12, 10-13 = 4 (3 without the make-up day).
    expect(followUpState('2026-10-08', '2026-10-13', false, cal).workingDaysLeft).toBe(4);
    expect(followUpState('2026-10-08', '2026-10-13', false, none).workingDaysLeft).toBe(3);
  });
  it('a done follow-up is never overdue; one without a report waits for it', () => {
    expect(followUpState('2027-01-01', deadline, true, cal).state).toBe('done');
    expect(followUpState('2027-01-01', null, false, cal).state).toBe('awaiting-report');
  });
});
