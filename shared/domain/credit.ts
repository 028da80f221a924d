/**
 * Credit-risk classes and four-colour warnings. Both are internal data: never
 * published. Two schemes exist: the national 4-class A–D and Shandong's 5-class A–E; the app
 * supports both. The warning colour is kept separate from the class (it is a different grading).
 */

export const CREDIT_CLASSES = ['A', 'B', 'C', 'D', 'E'] as const;
export type CreditClass = (typeof CREDIT_CLASSES)[number];

export type CreditScheme = 'national4' | 'shandong5';

export interface CreditClassInfo {
  readonly code: CreditClass;
  readonly label: string;
  /** Background colour for a badge; the text colour is chosen for contrast. */
  readonly color: string;
  readonly textColor: string;
}

const INFO: Readonly<Record<CreditClass, CreditClassInfo>> = {
  A: { code: 'A', label: '信用风险低', color: '#2e7d32', textColor: '#ffffff' },
  B: { code: 'B', label: '信用风险一般', color: '#1565c0', textColor: '#ffffff' },
  C: { code: 'C', label: '信用风险较高', color: '#f9a825', textColor: '#1a1a1a' },
  D: { code: 'D', label: '信用风险高', color: '#e65100', textColor: '#ffffff' },
  E: { code: 'E', label: '信用风险很高', color: '#b71c1c', textColor: '#ffffff' },
};

export function creditClassesOf(scheme: CreditScheme): readonly CreditClass[] {
  return scheme === 'national4' ? CREDIT_CLASSES.slice(0, 4) : CREDIT_CLASSES;
}

/**
 * Display info for a class under a scheme. In the 4-class scheme the highest class D is shown
 * in the top-risk colour; an E coming from a 5-class source is folded into D there.
 */
export function creditClassInfo(cls: CreditClass, scheme: CreditScheme = 'shandong5'): CreditClassInfo {
  if (scheme === 'national4') {
    if (cls === 'E' || cls === 'D') return { ...INFO.D, code: 'D', color: INFO.E.color };
    return INFO[cls];
  }
  return INFO[cls];
}

/** 红橙蓝绿 four-colour warning (a local office may configure it; red = highest). */
export const WARNING_COLORS = ['red', 'orange', 'blue', 'green'] as const;
export type WarningColor = (typeof WARNING_COLORS)[number];
export const WARNING_COLOR_INFO: Readonly<Record<WarningColor, { label: string; color: string; textColor: string }>> = {
  red: { label: '红色预警', color: '#c62828', textColor: '#ffffff' },
  orange: { label: '橙色预警', color: '#ef6c00', textColor: '#ffffff' },
  blue: { label: '蓝色提示', color: '#1565c0', textColor: '#ffffff' },
  green: { label: '绿色正常', color: '#2e7d32', textColor: '#ffffff' },
};

/** Relative draw weights by class (higher risk, drawn more often). Used by the simulator's draw. */
export const CLASS_DRAW_WEIGHTS: Readonly<Record<CreditClass, number>> = { A: 0.02, B: 0.1, C: 0.3, D: 0.9, E: 1 };

export function isHighRisk(cls: CreditClass): boolean {
  return cls === 'D' || cls === 'E';
}
