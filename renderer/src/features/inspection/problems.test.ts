/**
 * Finalize problems clear when the inspector changes what they are about, and only then: a problem
 * whose value is unchanged (or that the form does not hold) stays until the next lock attempt.
 */
import { describe, expect, it } from 'vitest';
import { report, stillOpen, valueAt, type Reported } from './problems.js';

const none: Reported = { problems: [], seen: [], attempt: 0 };
const values = {
  usccNote: '',
  resultCodes: ['R01'],
  items: [
    { outcome: 'compliant', finding: null },
    { outcome: 'non_compliant', finding: { description: '' } },
  ],
};
const problems = [
  { path: 'usccNote', message: '请填写与营业执照原件核对的情况' },
  { path: 'items.1.finding.description', message: '请填写发现的问题' },
  { path: 'team', message: '检查人员不得少于两人' },
];

describe('finalize problems follow the form', () => {
  it('reads the value at a dotted path, arrays included, and says when there is none', () => {
    expect(valueAt(values, 'items.1.finding.description')).toBe('""');
    expect(valueAt(values, 'items.0.finding.description')).toBe('undefined');
    expect(valueAt(values, 'resultCodes')).toBe('["R01"]');
    expect(valueAt(values, 'team')).toBe('undefined');
  });

  it('drops a problem once its field changes, keeps the others, and counts attempts', () => {
    const r = report(none, problems, values);
    expect(r.attempt).toBe(1);
    expect(stillOpen(r, values)).toBe(r); // nothing changed: the same object, no re-render
    const typed = { ...values, usccNote: '与营业执照原件核对一致' };
    const after = stillOpen(r, typed);
    expect(after.problems.map((p) => p.path)).toEqual(['items.1.finding.description', 'team']);
    expect(after.attempt).toBe(1);
    const described = {
      ...typed,
      items: [values.items[0], { outcome: 'non_compliant', finding: { description: '灭火器过期' } }],
    };
    expect(stillOpen(after, described).problems.map((p) => p.path)).toEqual(['team']);
    // Typing back the reported value does not bring a dropped problem back; the next attempt decides.
    expect(stillOpen(stillOpen(after, described), values).problems.map((p) => p.path)).toEqual(['team']);
    expect(report(after, problems, values).attempt).toBe(2);
  });
});
