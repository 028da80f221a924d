import { describe, expect, it } from 'vitest';
import { isSpecialEquipmentUser } from './se-525.js';

describe('5·25 template is offered', () => {
  it('to special-equipment users only', () => {
    expect(isSpecialEquipmentUser({ equipmentCount: 2, seKeyUnit: false, itemDepartments: [] })).toBe(true);
    expect(isSpecialEquipmentUser({ equipmentCount: 0, seKeyUnit: true, itemDepartments: [] })).toBe(true);
    expect(isSpecialEquipmentUser({ equipmentCount: 0, seKeyUnit: false, itemDepartments: ['TZSB'] })).toBe(true);
    expect(isSpecialEquipmentUser({ equipmentCount: 0, seKeyUnit: false, itemDepartments: ['DJZC'] })).toBe(false);
  });
});
