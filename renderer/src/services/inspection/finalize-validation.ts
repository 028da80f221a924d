/**
 * Finalize checks in zh-CN, each with the form path it belongs to (so the form can focus the
 * field): every item checked or 不涉及, a 不符合 item has a finding (and a deadline when ordered to
 * rectify), lenient decisions made and lawful, result codes valid, at least one check method, a
 * team of two or more whose 执法证 is valid on the inspection date, and every signature present
 * (the party's, or its refusal with a witness who signs); and, when the enterprise's USCC fails its
 * check, a note on how it compares with the business licence.
 */
import { isValidIsoDate } from '../../../../shared/domain/dates.js';
import {
  lenientConditions,
  lenientDecisionError,
  matchLenient,
  type LenientHistory,
} from '../../../../shared/domain/lenient.js';
import { resultCodesError } from '../../../../shared/domain/results.js';
import { templateCheckItems } from '../../../../shared/domain/check-template.js';
import { usccCheckFailure } from '../../../../shared/domain/uscc.js';
import { USCC_NOTE_MAX, type Reference, type Task } from '../../../../shared/protocol/index.js';
import type { Draft, DraftItem, FinalizeProblem } from '../api.js';

export interface ValidationContext {
  readonly reference?: Reference | null;
  readonly history?: LenientHistory;
  /** Ids of stored signature attachments of this result. */
  readonly signatureFiles?: ReadonlySet<string>;
}

const EMPTY_HISTORY: LenientHistory = { penalties: [], spotChecks: [] };

function itemProblems(draft: Draft, task: Task, ctx: ValidationContext): FinalizeProblem[] {
  const problems: FinalizeProblem[] = [];
  // Template items are known only from the reference data on this device, with its template version.
  const templateItems = (ctx.reference?.checkTemplates ?? []).flatMap((t) => templateCheckItems(t));
  const names = new Map([...task.items, ...templateItems].map((i) => [i.code, i.name]));
  const taskCodes = new Set(task.items.map((i) => i.code));
  const templateCodes = new Set(templateItems.map((i) => i.code));
  draft.items.forEach((item, i) => {
    const label = `第 ${i + 1} 项「${names.get(item.itemCode) ?? item.itemCode}」`;
    if (!taskCodes.has(item.itemCode) && !templateCodes.has(item.itemCode))
      problems.push({ path: `items.${i}.outcome`, message: `${label}不属于本任务，也不属于检查模板` });
    if (item.outcome === 'unchecked')
      problems.push({ path: `items.${i}.outcome`, message: `${label}尚未检查，请选择符合、不符合或不涉及` });
    if (item.outcome !== 'fail') return;
    if (!item.finding?.description.trim()) {
      problems.push({ path: `items.${i}.finding.description`, message: `${label}为不符合，请填写发现的问题` });
      return;
    }
    if (item.finding.handling === 'rectify' && !item.finding.rectifyDeadline) {
      problems.push({ path: `items.${i}.finding.rectifyDeadline`, message: `${label}责令限期改正，请填写整改期限` });
    } else if (item.finding.handling === 'rectify' && !isValidIsoDate(item.finding.rectifyDeadline ?? '')) {
      problems.push({
        path: `items.${i}.finding.rectifyDeadline`,
        message: `${label}的整改期限不是有效日期，请按 YYYY-MM-DD 填写`,
      });
    }
    problems.push(...lenientProblems(item, i, label, draft.inspectedOn, ctx));
  });
  for (const code of taskCodes) {
    if (!draft.items.some((i) => i.itemCode === code))
      problems.push({ path: 'items', message: `检查事项 ${code} 缺失，请重新打开任务` });
  }
  return problems;
}

function lenientProblems(
  item: DraftItem,
  i: number,
  label: string,
  inspectedOn: string,
  ctx: ValidationContext,
): FinalizeProblem[] {
  const finding = item.finding;
  if (!finding || !isValidIsoDate(inspectedOn)) return [];
  const entries = matchLenient(item.itemCode, ctx.reference?.lenientList ?? [], inspectedOn);
  if (entries.length === 0) return [];
  const path = `items.${i}.finding.lenient`;
  const decision = finding.lenient;
  if (!decision || decision.decision === '')
    return [{ path, message: `${label}属于“首违不罚/轻微违法不予处罚”清单事项，请选择是否适用` }];
  const entry = entries.find((e) => e.code === decision.code);
  if (!entry) return [{ path, message: `${label}所选免罚清单事项 ${decision.code} 不适用于本项` }];
  const checks = lenientConditions(entry, ctx.history ?? EMPTY_HISTORY, finding, inspectedOn).map((c) =>
    c.key === 'minorHarm'
      ? {
          ...c,
          state: decision.minorHarm ? ('met' as const) : ('not-met' as const),
          detail: '检查人员未确认危害后果轻微',
        }
      : c,
  );
  const error = lenientDecisionError(
    { code: decision.code, applied: decision.decision === 'apply', reason: decision.reason },
    finding.handling,
    checks,
  );
  return error ? [{ path, message: `${label}：${error}` }] : [];
}

function signatureProblems(draft: Draft, task: Task, ctx: ValidationContext): FinalizeProblem[] {
  const problems: FinalizeProblem[] = [];
  const stored = (id: string | null): boolean => id !== null && (ctx.signatureFiles?.has(id) ?? true);
  const inspectors = task.team.filter((m) => m.role !== 'expert');
  for (const m of inspectors) {
    const i = draft.signatures.findIndex((s) => s.slot === `inspector-${m.inspectorId}`);
    const sig = draft.signatures[i];
    if (!sig || !stored(sig.attachmentId))
      problems.push({
        path: `signatures.${Math.max(i, 0)}`,
        message: `缺少检查人员${m.name}（执法证号 ${m.certNo}）的签名`,
      });
  }
  const p = draft.signatures.findIndex((s) => s.role === 'party');
  const party = draft.signatures[p];
  const path = `signatures.${Math.max(p, 0)}`;
  if (!party) return [...problems, { path, message: '缺少当事人签名栏，请重新打开任务' }];
  if (party.refused) {
    if (!party.witnessName.trim()) problems.push({ path, message: '当事人拒绝签名，请填写见证人姓名' });
    if (!stored(party.attachmentId)) problems.push({ path, message: '当事人拒绝签名，须由见证人签名' });
    return problems;
  }
  if (!party.name.trim()) problems.push({ path, message: '请填写当事人（企业代表）姓名' });
  if (!party.post.trim()) problems.push({ path, message: '请填写当事人职务' });
  if (!party.idNo.trim()) problems.push({ path, message: '请填写当事人身份证件号码' });
  if (!stored(party.attachmentId))
    problems.push({ path, message: '缺少当事人签名；如当事人拒绝签名，请勾选“拒绝签名”并由见证人签名' });
  return problems;
}

/** A 复查 must say for each finding it covers whether it was corrected: 不涉及 says nothing. */
function followUpProblems(draft: Draft, task: Task): FinalizeProblem[] {
  const covered = new Set(task.followUp?.findings.map((f) => f.itemCode) ?? []);
  return draft.items.flatMap((item, i) =>
    covered.has(item.itemCode) && item.outcome === 'na'
      ? [{ path: `items.${i}.outcome`, message: `第 ${i + 1} 项是需复查的原发现问题，请选择符合（已改正）或不符合` }]
      : [],
  );
}

export function validateDraft(draft: Draft, task: Task, ctx: ValidationContext = {}): FinalizeProblem[] {
  const problems = itemProblems(draft, task, ctx);
  const codesError = resultCodesError(draft.resultCodes);
  if (codesError) problems.push({ path: 'resultCodes', message: codesError });
  else if (draft.resultCodes.includes('NO_PROBLEM') && draft.items.some((i) => i.outcome === 'fail')) {
    problems.push({ path: 'resultCodes', message: '存在“不符合”的检查事项，检查结果不能选择“未发现问题”' });
  }
  if (draft.checkMethods.length === 0) problems.push({ path: 'checkMethods', message: '请至少选择一种核查方式' });
  const usccIssue = usccCheckFailure(task.enterprise.uscc);
  if (usccIssue && draft.usccNote.trim().length < 2) {
    problems.push({
      path: 'usccNote',
      message: `本企业统一社会信用代码校验异常（${usccIssue}），请填写与营业执照原件核对的情况`,
    });
  } else if (usccIssue && draft.usccNote.trim().length > USCC_NOTE_MAX) {
    problems.push({ path: 'usccNote', message: `营业执照核对说明不能超过 ${USCC_NOTE_MAX} 字` });
  }
  problems.push(...signatureProblems(draft, task, ctx));
  problems.push(...followUpProblems(draft, task));
  if (!isValidIsoDate(draft.inspectedOn)) {
    problems.push({ path: 'inspectedOn', message: '检查日期格式应为 YYYY-MM-DD' });
    return problems;
  }
  if (task.team.length < 2)
    problems.push({ path: 'team', message: `检查人员不得少于两人（本任务仅 ${task.team.length} 人）` });
  task.team.forEach((m, i) => {
    if (m.certExpiry < draft.inspectedOn) {
      problems.push({
        path: `team.${i}`,
        message: `检查人员${m.name}（执法证号 ${m.certNo}）的执法证已于 ${m.certExpiry} 过期，不能参加 ${draft.inspectedOn} 的检查`,
      });
    }
  });
  return problems;
}
