/**
 * Demo four-colour warning scheme (四色预警) served in reference data, and the generator's reading of
 * it. No official definition of the red-orange-blue-green scheme for food and special-equipment units
 * was found, so the meanings are an assumed mapping (red highest); a deployment serves its own. The
 * colour is kept apart from the credit class: enterprises outside these fields get none.
 */
import type { CreditClass, WarningColor } from '../../../shared/domain/credit.js';
import type { WarningScheme } from '../../../shared/protocol/index.js';

export const WARNING_SCHEME: WarningScheme = {
  version: '2026.1-demo',
  departments: [
    { code: 'SPSC', name: '食品生产安全监督管理科' },
    { code: 'SPJY', name: '食品经营安全监督管理科' },
    { code: 'TZSB', name: '特种设备安全监察科' },
  ],
  levels: [
    {
      color: 'red',
      label: '红色',
      meaning: '风险高：食品 D 级，或特种设备存在严重事故隐患、重大违法',
      checkKeyItems: true,
    },
    { color: 'orange', label: '橙色', meaning: '风险较高：食品 C 级，或特种设备管理存在较大问题', checkKeyItems: true },
    { color: 'blue', label: '蓝色', meaning: '风险一般：食品 B 级，特种设备管理基本规范', checkKeyItems: false },
    { color: 'green', label: '绿色', meaning: '风险低：食品 A 级，特种设备管理规范', checkKeyItems: false },
  ],
  triggers: [
    { code: 'food-risk-d', department: 'SPSC', color: 'red', condition: '食品生产经营风险等级为 D 级' },
    { code: 'food-risk-c', department: 'SPSC', color: 'orange', condition: '食品生产经营风险等级为 C 级' },
    { code: 'food-risk-b', department: 'SPSC', color: 'blue', condition: '食品生产经营风险等级为 B 级' },
    { code: 'food-risk-a', department: 'SPSC', color: 'green', condition: '食品生产经营风险等级为 A 级' },
    {
      code: 'se-inspection-overdue',
      department: 'TZSB',
      color: 'red',
      condition: '特种设备未按期定期检验仍在使用（严重事故隐患）',
    },
    { code: 'se-class-d-e', department: 'TZSB', color: 'red', condition: '信用风险分类为 D 级或 E 级' },
    { code: 'se-class-c', department: 'TZSB', color: 'orange', condition: '信用风险分类为 C 级' },
    { code: 'se-class-b', department: 'TZSB', color: 'blue', condition: '信用风险分类为 B 级' },
    { code: 'se-class-a', department: 'TZSB', color: 'green', condition: '信用风险分类为 A 级' },
  ],
};

export interface WarningFacts {
  readonly foodRiskLevel: 'A' | 'B' | 'C' | 'D' | null;
  readonly specialEquipmentUser: boolean;
  readonly inspectionOverdue: boolean;
  readonly creditClass: CreditClass;
}

/** Which of the scheme's triggers hold for an enterprise (by trigger code). */
function holds(code: string, f: WarningFacts): boolean {
  const food = /^food-risk-([a-d])$/.exec(code);
  if (food) return f.foodRiskLevel === food[1]?.toUpperCase();
  if (!f.specialEquipmentUser) return false;
  if (code === 'se-inspection-overdue') return f.inspectionOverdue;
  const se = /^se-class-([a-e](?:-[a-e])?)$/.exec(code);
  return se?.[1]?.split('-').some((c) => c.toUpperCase() === f.creditClass) ?? false;
}

const RANK: Readonly<Record<WarningColor, number>> = { red: 3, orange: 2, blue: 1, green: 0 };

/** The most severe colour any trigger sets, or null for an enterprise outside the scheme's fields. */
export function warningColorFor(scheme: WarningScheme, facts: WarningFacts): WarningColor | null {
  let out: WarningColor | null = null;
  for (const t of scheme.triggers)
    if (holds(t.code, facts) && (out === null || RANK[t.color] > RANK[out])) out = t.color;
  return out;
}
