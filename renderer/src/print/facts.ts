/**
 * Facts the documents print, derived from the task and the result: item names, the inspectors
 * with their 执法证号, the findings to rectify. Unknown references fail with a clear message
 * rather than printing an empty line on an official document.
 */
import type { CheckItem, Task, TeamMember } from '../../../shared/protocol/tasks.js';
import type { Finding, ItemResult, ResultPayload } from '../../../shared/protocol/results.js';

export function findItem(task: Task, code: string): CheckItem {
  const item = task.items.find((i) => i.code === code);
  if (!item) throw new Error(`检查结果引用了任务中不存在的检查事项：${code}`);
  return item;
}

/** The team members who did the inspection, in the order the result lists them. */
export function inspectorsOf(task: Task, result: ResultPayload): TeamMember[] {
  return result.inspectorIds.map((id) => {
    const m = task.team.find((t) => t.inspectorId === id);
    if (!m) throw new Error(`检查人员不在任务执法组中：${id}`);
    return m;
  });
}

/** '张三（执法证号：33010212345）、李四（执法证号：…）' */
export function inspectorsLine(members: readonly TeamMember[]): string {
  return members.map((m) => `${m.name}（执法证号：${m.certNo}）`).join('、');
}

export interface RectifyFinding {
  item: CheckItem;
  result: ItemResult;
  finding: Finding;
}

/** Findings the party must correct within a deadline (handling 责令限期改正). */
export function findingsToRectify(task: Task, result: ResultPayload): RectifyFinding[] {
  const out: RectifyFinding[] = [];
  for (const r of result.itemResults) {
    if (r.finding?.handling === 'rectify')
      out.push({ item: findItem(task, r.itemCode), result: r, finding: r.finding });
  }
  return out;
}

/** Distinct legal provisions, the finding's own basis first, else the check item's. */
export function legalBases(findings: readonly RectifyFinding[]): string[] {
  const seen = new Set<string>();
  for (const f of findings) {
    const basis = (f.finding.legalBasis || f.item.legalBasis).trim();
    if (basis) seen.add(basis);
  }
  return [...seen];
}
