import { describe, expect, it } from 'vitest';
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { groupByDepartment } from '../tasks/group-items.js';
import { lookHereReasons } from './look-here.js';

describe('look-here hints', () => {
  it('reads the credit file: the last visit, older failures and a red warning on key items', () => {
    const spotChecks: Enterprise['spotChecks'] = [
      { date: '2022-03-01', authority: '甲所', type: '抽查', result: '发现问题', failedItems: ['X1', 'X2'] },
      { date: '2024-05-02', authority: '乙所', type: '检查', result: '发现问题', failedItems: ['X2'] },
    ];
    const ent = {
      spotChecks,
      commitments: [],
      licences: [],
      specialEquipment: [],
      internal: { warningColor: 'red' },
    } as unknown as Enterprise;
    const items = [
      { code: 'X1', name: '一', key: false },
      { code: 'X2', name: '二', key: false },
      { code: 'X3', name: '三', key: true },
    ];
    const reasons = lookHereReasons(items, ent, '2026-05-06', [{ color: 'red', label: '红色', checkKeyItems: true }]);
    expect(reasons.get('X2')).toEqual(['上次检查（2024-05-02）此项不符合', '2022-03-01 抽查时此项不符合']);
    expect(reasons.get('X1')).toEqual(['2022-03-01 抽查时此项不符合']);
    expect(reasons.get('X3')).toEqual(['企业为红色预警，重点事项请逐项核实']);
    expect(lookHereReasons(items, null, '2026-05-06').size).toBe(0);
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
