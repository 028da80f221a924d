/**
 * Finalize checks in zh-CN, each with the form path it belongs to (so the form can focus the
 * field): every item checked or 不涉及, a 不符合 item has a finding, result codes valid, at least
 * one check method, a team of two or more whose 执法证 is valid on the inspection date.
 */
import { isValidIsoDate } from '../../../shared/domain/dates.js';
import { resultCodesError } from '../../../shared/domain/results.js';
import type { Task } from '../../../shared/protocol/index.js';
import type { Draft, FinalizeProblem } from './api.js';

export function validateDraft(draft: Draft, task: Task): FinalizeProblem[] {
  const problems: FinalizeProblem[] = [];
  const names = new Map(task.items.map((i) => [i.code, i.name]));
  draft.items.forEach((item, i) => {
    const label = `第 ${i + 1} 项「${names.get(item.itemCode) ?? item.itemCode}」`;
    if (item.outcome === 'unchecked') problems.push({ path: `items.${i}.outcome`, message: `${label}尚未检查，请选择符合、不符合或不涉及` });
    if (item.outcome === 'fail' && !item.finding?.description.trim()) {
      problems.push({ path: `items.${i}.finding.description`, message: `${label}为不符合，请填写发现的问题` });
    }
  });
  for (const code of task.items.map((i) => i.code)) {
    if (!draft.items.some((i) => i.itemCode === code)) problems.push({ path: 'items', message: `检查事项 ${code} 缺失，请重新打开任务` });
  }
  const codesError = resultCodesError(draft.resultCodes);
  if (codesError) problems.push({ path: 'resultCodes', message: codesError });
  else if (draft.resultCodes.includes('NO_PROBLEM') && draft.items.some((i) => i.outcome === 'fail')) {
    problems.push({ path: 'resultCodes', message: '存在“不符合”的检查事项，检查结果不能选择“未发现问题”' });
  }
  if (draft.checkMethods.length === 0) problems.push({ path: 'checkMethods', message: '请至少选择一种核查方式' });
  if (!isValidIsoDate(draft.inspectedOn)) {
    problems.push({ path: 'inspectedOn', message: '检查日期格式应为 YYYY-MM-DD' });
    return problems;
  }
  if (task.team.length < 2) problems.push({ path: 'team', message: `检查人员不得少于两人（本任务仅 ${task.team.length} 人）` });
  task.team.forEach((m, i) => {
    if (m.certExpiry < draft.inspectedOn) {
      problems.push({ path: `team.${i}`, message: `检查人员${m.name}（执法证号 ${m.certNo}）的执法证已于 ${m.certExpiry} 过期，不能参加 ${draft.inspectedOn} 的检查` });
    }
  });
  return problems;
}
