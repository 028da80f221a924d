import { describe, expect, it } from 'vitest';
import {
  correctedInTime,
  lenientConditions,
  lenientDecisionError,
  lenientInForce,
  matchLenient,
  priorViolations,
  type LenientRule,
} from './lenient.js';

const licence: LenientRule = {
  code: 'SD-QW-001',
  violation: '未将营业执照置于住所或者主要经营场所的醒目位置',
  itemCodes: ['N010'],
  legalBasis: '《市场主体登记管理条例》第三十六条',
  penaltyBasis: '《市场主体登记管理条例》第四十八条',
  conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 0 },
  kind: 'mandatory',
  effectiveFrom: '2021-07-20',
};
const annual: LenientRule = {
  ...licence,
  code: 'SD-QW-014',
  violation: '未按规定时限公示年度报告',
  itemCodes: ['GS10', 'N010'],
  kind: 'discretionary',
  legalBasis: '《企业信息公示暂行条例》第八条',
  penaltyBasis: '《企业信息公示暂行条例》第十七条',
  conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 10 },
};
const future: LenientRule = { ...licence, code: 'X-FUTURE', effectiveFrom: '2030-01-01' };
const clean = { penalties: [], spotChecks: [] };

describe('matchLenient', () => {
  it('finds the entries covering an item, in force on the date, mandatory first', () => {
    expect(matchLenient('N010', [annual, future, licence], '2026-05-06').map((e) => e.code)).toEqual([
      'SD-QW-001',
      'SD-QW-014',
    ]);
    expect(matchLenient('N010', [future], '2026-05-06')).toEqual([]);
    expect(matchLenient('GS10', [annual, licence], '2026-05-06').map((e) => e.code)).toEqual(['SD-QW-014']);
    expect(matchLenient('SP01', [annual, licence], '2026-05-06')).toEqual([]);
  });
});

describe('the effective period', () => {
  const bounded: LenientRule = {
    ...licence,
    code: 'SD-QW-OLD',
    effectiveFrom: '2021-07-20',
    effectiveTo: '2024-11-20',
  };
  const successor: LenientRule = { ...licence, code: 'SD-QW-NEW', effectiveFrom: '2024-11-21', effectiveTo: null };
  const codesOn = (d: string): string[] => matchLenient('N010', [bounded, successor], d).map((e) => e.code);

  it('includes both the first and the last day', () => {
    expect(codesOn('2021-07-20')).toEqual(['SD-QW-OLD']);
    expect(codesOn('2024-11-20')).toEqual(['SD-QW-OLD']);
    expect(codesOn('2024-11-21')).toEqual(['SD-QW-NEW']);
  });

  it('excludes the day before it starts and the day after it ends', () => {
    expect(codesOn('2021-07-19')).toEqual([]);
    expect(lenientInForce(bounded, '2024-11-21')).toBe(false);
    expect(lenientInForce(bounded, '2021-07-19')).toBe(false);
  });

  it('treats a null or absent end as open-ended (reference data stored before lists had an end date)', () => {
    expect(lenientInForce(successor, '2099-12-31')).toBe(true);
    expect(lenientInForce(licence, '2099-12-31')).toBe(true);
    expect('effectiveTo' in licence).toBe(false);
  });

  it('judges by the inspection date, not by when the record is written', () => {
    // An inspection on the last day of the old list, written up after the successor took over.
    expect(codesOn('2024-11-20')).toEqual(['SD-QW-OLD']);
    expect(codesOn('2024-12-02')).toEqual(['SD-QW-NEW']);
  });
});

describe('first violation against the credit file', () => {
  it('is met with a clean history', () => {
    const first = lenientConditions(licence, clean, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06')[0];
    expect(first).toMatchObject({ key: 'firstViolation', state: 'met' });
  });
  it('is not met when the same item failed at an earlier visit', () => {
    const history = {
      penalties: [],
      spotChecks: [
        { date: '2024-03-01', failedItems: ['N010'] },
        { date: '2025-01-01', failedItems: ['SP01'] },
      ],
    };
    expect(priorViolations(licence, history, '2026-05-06')).toEqual(['2024-03-01 检查时 N010 不符合']);
    const first = lenientConditions(licence, history, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06')[0];
    expect(first?.state).toBe('not-met');
    expect(first?.detail).toContain('2024-03-01');
  });
  it('is not met after a penalty of the same kind, but other penalties do not count', () => {
    const same = {
      penalties: [{ violationType: '违反《市场主体登记管理条例》第三十六条', content: '警告', date: '2023-02-02' }],
      spotChecks: [],
    };
    const other = {
      penalties: [{ violationType: '违反《食品安全法》', content: '罚款2000元', date: '2023-02-02' }],
      spotChecks: [],
    };
    expect(priorViolations(licence, same, '2026-05-06')).toHaveLength(1);
    expect(priorViolations(licence, other, '2026-05-06')).toEqual([]);
  });
  it('ignores records dated on or after the inspection', () => {
    const later = { penalties: [], spotChecks: [{ date: '2026-05-06', failedItems: ['N010'] }] };
    expect(priorViolations(licence, later, '2026-05-06')).toEqual([]);
  });
});

describe('corrected in time', () => {
  it('needs on-the-spot correction when the limit is 0 days', () => {
    expect(correctedInTime(licence, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06').state).toBe('met');
    expect(correctedInTime(licence, { handling: 'rectify', rectifyDeadline: '2026-05-07' }, '2026-05-06').state).toBe(
      'not-met',
    );
  });
  it('checks a rectification deadline against the limit', () => {
    expect(correctedInTime(annual, { handling: 'rectify', rectifyDeadline: '2026-05-16' }, '2026-05-06').state).toBe(
      'met',
    );
    expect(correctedInTime(annual, { handling: 'rectify', rectifyDeadline: '2026-05-17' }, '2026-05-06').state).toBe(
      'not-met',
    );
    expect(correctedInTime(annual, { handling: 'rectify', rectifyDeadline: null }, '2026-05-06').state).toBe(
      'inspector',
    );
    expect(correctedInTime(annual, { handling: 'case', rectifyDeadline: null }, '2026-05-06').state).toBe('not-met');
  });
  it('leaves minor harm to the inspector', () => {
    const checks = lenientConditions(licence, clean, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06');
    expect(checks.map((c) => [c.key, c.state])).toEqual([
      ['firstViolation', 'met'],
      ['minorHarm', 'inspector'],
      ['correctedInTime', 'met'],
    ]);
  });
});

describe('the decision', () => {
  const ok = lenientConditions(licence, clean, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06');
  it('accepts a waiver with an order to correct and a reason', () => {
    expect(
      lenientDecisionError({ code: licence.code, applied: true, reason: '当场改正，无危害后果' }, 'on_spot', ok),
    ).toBeNull();
    expect(lenientDecisionError({ code: licence.code, applied: false, reason: '' }, 'case', ok)).toBeNull();
  });
  it('still requires an order to correct', () => {
    expect(lenientDecisionError({ code: licence.code, applied: true, reason: 'x' }, 'transfer', ok)).toContain(
      '仍须责令改正',
    );
  });
  it('refuses a waiver whose condition the record contradicts, and one without a reason', () => {
    const history = { penalties: [], spotChecks: [{ date: '2024-03-01', failedItems: ['N010'] }] };
    const bad = lenientConditions(licence, history, { handling: 'on_spot', rectifyDeadline: null }, '2026-05-06');
    expect(lenientDecisionError({ code: licence.code, applied: true, reason: 'x' }, 'on_spot', bad)).toContain(
      '首次违法',
    );
    expect(lenientDecisionError({ code: licence.code, applied: true, reason: ' ' }, 'on_spot', ok)).toContain('理由');
  });
});
