import { describe, expect, it } from 'vitest';
import { creditClassInfo, creditClassesOf, isHighRisk } from './credit.js';

describe('credit classes', () => {
  it('has five classes in the Shandong scheme and four nationally', () => {
    expect(creditClassesOf('shandong5')).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(creditClassesOf('national4')).toEqual(['A', 'B', 'C', 'D']);
  });
  it('gives each class a distinct colour', () => {
    const colors = creditClassesOf('shandong5').map((c) => creditClassInfo(c).color);
    expect(new Set(colors).size).toBe(5);
  });
  it('folds E into D in the national scheme and colours it as the top risk', () => {
    expect(creditClassInfo('E', 'national4').code).toBe('D');
    expect(creditClassInfo('D', 'national4').color).toBe(creditClassInfo('E', 'shandong5').color);
  });
  it('labels classes in zh-CN', () => {
    expect(creditClassInfo('A').label).toBe('信用风险低');
    expect(isHighRisk('D')).toBe(true);
    expect(isHighRisk('B')).toBe(false);
  });
});
