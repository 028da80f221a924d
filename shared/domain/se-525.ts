/**
 * The special-equipment "5·25" responsibility list (SAMR Order 74, 2023) is a check template served in
 * reference data (its wording and version are the local office's); this module only knows which
 * enterprises it is offered for and its id.
 */

export const SE525_TEMPLATE_ID = 'se-525';
export const SE525_DEPARTMENT = { code: 'TZSB', name: '特种设备安全监察科' } as const;

/** A special-equipment user: has registered equipment, is a key unit, or the task checks TZSB items. */
export function isSpecialEquipmentUser(input: {
  equipmentCount: number;
  seKeyUnit: boolean;
  itemDepartments: readonly string[];
}): boolean {
  return input.equipmentCount > 0 || input.seKeyUnit || input.itemDepartments.includes(SE525_DEPARTMENT.code);
}
