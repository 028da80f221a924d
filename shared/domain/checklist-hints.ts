/**
 * "Look here" hints: which checklist items this enterprise's credit file gives
 * reason to look at, and why (zh-CN) — an item failed at a past visit (the last visit said so),
 * a commitment not kept, an expired licence, overdue special-equipment inspection, a red or
 * orange warning where the reference data's warning scheme asks for it. Pure: the date is passed in. Items are matched to facts by words in the item's
 * name; a fact that matches no item falls back to the key items, so it is never silently lost.
 */
import type { IsoDate } from './dates.js';

export interface HintItem {
  readonly code: string;
  readonly name: string;
  readonly key: boolean;
}

export interface HintFacts {
  readonly spotChecks: readonly {
    readonly date: IsoDate;
    readonly type: string;
    readonly failedItems: readonly string[];
  }[];
  readonly commitments: readonly { readonly content: string; readonly status: string; readonly date: IsoDate }[];
  readonly licences: readonly { readonly name: string; readonly validTo: IsoDate | null }[];
  readonly specialEquipment: readonly {
    readonly type: string;
    readonly regNo: string;
    readonly nextInspectionDue: IsoDate;
  }[];
  /** Null for enterprises outside the fields that use the four-colour warning. */
  readonly warningColor: string | null;
}

/** The part of the warning scheme the hints read (structurally the protocol's WarningScheme levels). */
export interface HintWarningLevel {
  readonly color: string;
  readonly label: string;
  readonly checkKeyItems: boolean;
}

const COMMITMENT_WORDS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/年度报告|年报|公示/, ['年度报告', '年报', '公示']],
  [/经营所需条件|许可|资质|申报材料/, ['许可', '资质', '登记', '审批', '经营范围']],
  [/假冒伪劣|商品|产品|食品/, ['产品', '食品', '标签', '原料', '出厂', '进货']],
];
const LICENCE_WORDS = ['许可', '资质', '审批', '持证', '登记'];
const SE_WORDS = ['定期检验', '检验标志'];

function byWords(items: readonly HintItem[], words: readonly string[]): HintItem[] {
  return items.filter((i) => words.some((w) => i.name.includes(w)));
}

function orKeyItems(items: readonly HintItem[], matched: readonly HintItem[]): readonly HintItem[] {
  return matched.length > 0 ? matched : items.filter((i) => i.key);
}

export function checklistHints(
  items: readonly HintItem[],
  facts: HintFacts | null,
  today: IsoDate,
  warningLevels: readonly HintWarningLevel[] = [],
): ReadonlyMap<string, readonly string[]> {
  const out = new Map<string, string[]>();
  if (!facts) return out;
  const add = (targets: readonly HintItem[], reason: string): void => {
    for (const t of targets) {
      const list = out.get(t.code) ?? [];
      if (!list.includes(reason)) list.push(reason);
      out.set(t.code, list);
    }
  };
  const checks = [...facts.spotChecks].sort((a, b) => b.date.localeCompare(a.date));
  checks.forEach((check, i) => {
    const failed = items.filter((it) => check.failedItems.includes(it.code));
    add(failed, i === 0 ? `上次${check.type}（${check.date}）此项不符合` : `${check.date} ${check.type}时此项不符合`);
  });
  for (const c of facts.commitments.filter((x) => x.status === '未履行')) {
    const words = COMMITMENT_WORDS.find(([re]) => re.test(c.content))?.[1] ?? [];
    add(orKeyItems(items, byWords(items, words)), `承诺未履行：${c.content}（${c.date}）`);
  }
  for (const l of facts.licences.filter((x) => x.validTo !== null && x.validTo < today)) {
    add(orKeyItems(items, byWords(items, LICENCE_WORDS)), `${l.name}已于 ${l.validTo ?? ''} 过期`);
  }
  for (const se of facts.specialEquipment.filter((x) => x.nextInspectionDue < today)) {
    add(
      orKeyItems(items, byWords(items, SE_WORDS)),
      `${se.type}（${se.regNo}）定期检验已于 ${se.nextInspectionDue} 到期`,
    );
  }
  const level = warningLevels.find((l) => l.color === facts.warningColor);
  if (level?.checkKeyItems) {
    add(
      items.filter((i) => i.key),
      `企业为${level.label}预警，重点事项请逐项核实`,
    );
  }
  return out;
}
