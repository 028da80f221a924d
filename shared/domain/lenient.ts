/**
 * Lenient enforcement (首违不罚 / 轻微违法不予处罚): which entries of the reference
 * lenientList a finding matches, and what the enterprise's credit-file history says about each
 * entry's conditions. The inspector decides; the law still requires an order to correct, so a
 * waived finding must be handled by on-the-spot correction or a rectification order.
 * Pure: dates and history are passed in.
 */
import { addDays, diffDays, type IsoDate } from './dates.js';
import type { FindingHandling } from './results.js';

/** The part of a lenient-list entry these rules read (structurally the protocol's LenientEntry). */
export interface LenientRule {
  readonly code: string;
  readonly violation: string;
  readonly itemCodes: readonly string[];
  readonly legalBasis: string;
  readonly penaltyBasis: string;
  readonly conditions: {
    readonly firstViolation: boolean;
    readonly minorHarm: boolean;
    readonly correctWithinDays: number;
  };
  readonly kind: 'mandatory' | 'discretionary';
  readonly effectiveFrom: IsoDate;
  /** Inclusive last day; null or absent = open-ended. */
  readonly effectiveTo?: IsoDate | null;
}

/** The credit-file history the first-violation condition is checked against. */
export interface LenientHistory {
  readonly penalties: readonly { readonly violationType: string; readonly content: string; readonly date: IsoDate }[];
  readonly spotChecks: readonly { readonly date: IsoDate; readonly failedItems: readonly string[] }[];
}

export type ConditionState = 'met' | 'not-met' | 'inspector';
export interface ConditionCheck {
  readonly key: 'firstViolation' | 'minorHarm' | 'correctedInTime';
  readonly label: string;
  readonly state: ConditionState;
  readonly detail: string;
}

/** Whether the entry applies on this date: from and to are both inclusive (ISO dates compare as text). */
export function lenientInForce(entry: Pick<LenientRule, 'effectiveFrom' | 'effectiveTo'>, onDate: IsoDate): boolean {
  return entry.effectiveFrom <= onDate && (entry.effectiveTo == null || onDate <= entry.effectiveTo);
}

/**
 * Entries covering this item that are in force on the inspection date (not today's date: a record
 * written up later is judged by the list that applied when the inspection took place), mandatory first.
 */
export function matchLenient<T extends LenientRule>(itemCode: string, list: readonly T[], onDate: IsoDate): T[] {
  return list
    .filter((e) => e.itemCodes.includes(itemCode) && lenientInForce(e, onDate))
    .sort((a, b) => (a.kind === b.kind ? a.code.localeCompare(b.code) : a.kind === 'mandatory' ? -1 : 1));
}

/** Earlier violations of the same kind: the entry's items failed before, or a penalty under the same basis. */
export function priorViolations(entry: LenientRule, history: LenientHistory, before: IsoDate): string[] {
  const out: string[] = [];
  for (const check of history.spotChecks) {
    const same = check.failedItems.filter((c) => entry.itemCodes.includes(c));
    if (check.date < before && same.length > 0) out.push(`${check.date} 检查时 ${same.join('、')} 不符合`);
  }
  const basis = [entry.legalBasis, entry.penaltyBasis].map(lawName).filter((b) => b.length > 0);
  for (const p of history.penalties) {
    const text = `${p.violationType} ${p.content}`;
    if (
      p.date < before &&
      (text.includes(entry.violation) || basis.some((b) => text.includes(b) && sameArticle(text, entry)))
    ) {
      out.push(`${p.date} 因“${p.violationType}”受到行政处罚`);
    }
  }
  return out;
}

function lawName(basis: string): string {
  return /《[^》]+》/.exec(basis)?.[0] ?? '';
}

function sameArticle(text: string, entry: LenientRule): boolean {
  const article = /第[一二三四五六七八九十百零]+条/.exec(entry.legalBasis)?.[0];
  return article !== undefined && text.includes(article);
}

export interface CorrectionPlan {
  readonly handling: FindingHandling;
  readonly rectifyDeadline: IsoDate | null;
}

/** Whether the planned handling corrects within the entry's limit (0 days = on the spot). */
export function correctedInTime(entry: LenientRule, plan: CorrectionPlan, inspectedOn: IsoDate): ConditionCheck {
  const days = entry.conditions.correctWithinDays;
  const label = days === 0 ? '当场改正' : `${days} 日内改正`;
  if (plan.handling === 'on_spot') return { key: 'correctedInTime', label, state: 'met', detail: '已当场改正' };
  if (plan.handling !== 'rectify')
    return { key: 'correctedInTime', label, state: 'not-met', detail: '处理方式不是改正（立案或移送），不适用' };
  if (days === 0) return { key: 'correctedInTime', label, state: 'not-met', detail: '本项须当场改正' };
  if (!plan.rectifyDeadline)
    return {
      key: 'correctedInTime',
      label,
      state: 'inspector',
      detail: `请填写整改期限（不晚于 ${addDays(inspectedOn, days)}）`,
    };
  const within = diffDays(inspectedOn, plan.rectifyDeadline) <= days;
  return within
    ? { key: 'correctedInTime', label, state: 'met', detail: `整改期限 ${plan.rectifyDeadline} 在 ${days} 日内` }
    : { key: 'correctedInTime', label, state: 'not-met', detail: `整改期限 ${plan.rectifyDeadline} 超过 ${days} 日` };
}

/** The entry's conditions with what the record shows; minor harm is always the inspector's call. */
export function lenientConditions(
  entry: LenientRule,
  history: LenientHistory,
  plan: CorrectionPlan,
  inspectedOn: IsoDate,
): ConditionCheck[] {
  const checks: ConditionCheck[] = [];
  if (entry.conditions.firstViolation) {
    const prior = priorViolations(entry, history, inspectedOn);
    checks.push(
      prior.length === 0
        ? {
            key: 'firstViolation',
            label: '首次违法',
            state: 'met',
            detail: '信用档案中没有同类违法或同一事项不符合的记录',
          }
        : {
            key: 'firstViolation',
            label: '首次违法',
            state: 'not-met',
            detail: `信用档案显示此前已有同类问题：${prior.join('；')}`,
          },
    );
  }
  if (entry.conditions.minorHarm) {
    checks.push({ key: 'minorHarm', label: '危害后果轻微', state: 'inspector', detail: '由检查人员根据现场情况判断' });
  }
  checks.push(correctedInTime(entry, plan, inspectedOn));
  return checks;
}

/** What the inspector recorded for a finding that matched the list. */
export interface LenientDecision {
  readonly code: string;
  readonly applied: boolean;
  readonly reason: string;
}

/** zh-CN problem with a lenient decision, or null. An applied waiver still needs an order to correct. */
export function lenientDecisionError(
  decision: LenientDecision,
  handling: FindingHandling,
  checks: readonly ConditionCheck[],
): string | null {
  if (!decision.applied) return null;
  if (handling !== 'on_spot' && handling !== 'rectify')
    return '适用不予处罚时仍须责令改正：处理方式应为“当场改正”或“责令限期改正”';
  const failed = checks.find((c) => c.state === 'not-met');
  if (failed) return `不符合“${failed.label}”条件，不能适用不予处罚：${failed.detail}`;
  if (!decision.reason.trim()) return '适用不予处罚时请填写理由（如危害后果轻微的情况）';
  return null;
}
