import { describe, expect, it } from 'vitest';
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { groupByDepartment } from '../tasks/groupItems.js';
import { lookHereReasons } from './lookHere.js';

describe('look-here hints', () => {
  it('names the most recent visit an item failed at', () => {
    const spotChecks: Enterprise['spotChecks'] = [
      { date: '2022-03-01', authority: '甲所', type: '抽查', result: '发现问题', failedItems: ['X1', 'X2'] },
      { date: '2024-05-02', authority: '乙所', type: '检查', result: '发现问题', failedItems: ['X2'] },
    ];
    const reasons = lookHereReasons({ spotChecks } as Pick<Enterprise, 'spotChecks'> as Enterprise);
    expect(reasons.get('X2')).toBe('2024-05-02 检查时不符合');
    expect(reasons.get('X1')).toBe('2022-03-01 抽查时不符合');
    expect(reasons.has('X3')).toBe(false);
    expect(lookHereReasons(null).size).toBe(0);
  });
});

describe('department groups (联合抽查)', () => {
  it('keeps first-seen department order and item order', () => {
    const items = [
      { code: 'a', department: 'SAMR', departmentName: '市场监管' },
      { code: 'b', department: 'HEALTH', departmentName: '卫健' },
      { code: 'c', department: 'SAMR', departmentName: '市场监管' },
    ];
    const groups = groupByDepartment(items);
    expect(groups.map((g) => g.departmentName)).toEqual(['市场监管', '卫健']);
    expect(groups[0]?.items.map((i) => i.code)).toEqual(['a', 'c']);
  });
});
