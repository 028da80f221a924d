import { describe, expect, it } from 'vitest';
import { SE525_DUTIES, SE525_LEVELS, isSe525Code, isSpecialEquipmentUser, se525CheckItems } from './se-525.js';

describe('5·25 responsibility list template', () => {
  it('has five levels and 25 duties, five per level, with unique codes', () => {
    expect(SE525_LEVELS.map((l) => l.role)).toEqual(['主要负责人', '安全总监', '安全管理负责人', '安全员', '作业人员']);
    expect(SE525_DUTIES).toHaveLength(25);
    for (const { level } of SE525_LEVELS) expect(SE525_DUTIES.filter((d) => d.level === level)).toHaveLength(5);
    expect(new Set(SE525_DUTIES.map((d) => d.code)).size).toBe(25);
    expect(SE525_DUTIES.every((d) => isSe525Code(d.code))).toBe(true);
  });
  it('becomes check items named by role', () => {
    const items = se525CheckItems();
    expect(items[0]?.code).toBe('SE525-01');
    expect(items[0]?.name.startsWith('主要负责人：')).toBe(true);
    expect(items[24]?.name.startsWith('作业人员：')).toBe(true);
    expect(isSe525Code('TZ01')).toBe(false);
  });
  it('applies to special-equipment users only', () => {
    expect(isSpecialEquipmentUser({ equipmentCount: 2, seKeyUnit: false, itemDepartments: [] })).toBe(true);
    expect(isSpecialEquipmentUser({ equipmentCount: 0, seKeyUnit: false, itemDepartments: ['TZSB'] })).toBe(true);
    expect(isSpecialEquipmentUser({ equipmentCount: 0, seKeyUnit: false, itemDepartments: ['DJZC'] })).toBe(false);
  });
});
