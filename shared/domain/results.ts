/**
 * Spot-check result vocabulary: result codes (multi-select, 未发现问题
 * exclusive), check methods, follow-up measures, and the per-item outcome of a checklist.
 * No national code table exists, so these are the app's canonical enums with zh-CN labels.
 */

export const RESULT_CODES = [
  'NO_PROBLEM',
  'CORRECTED',
  'PENDING',
  'NOT_PUBLISHED',
  'FALSE_PUBLICITY',
  'UNREACHABLE',
  'NO_ACTIVITY',
  'NON_COOP',
  'CLOSED',
  'DEREG',
  'REVOKED',
  'CANCELLED',
  'MOVED_OUT',
] as const;
export type ResultCode = (typeof RESULT_CODES)[number];

export const RESULT_CODE_LABELS: Readonly<Record<ResultCode, string>> = {
  NO_PROBLEM: '未发现问题',
  CORRECTED: '发现问题已责令改正',
  PENDING: '发现问题待后续处理',
  NOT_PUBLISHED: '未按规定公示应当公示的信息',
  FALSE_PUBLICITY: '公示信息隐瞒真实情况弄虚作假',
  UNREACHABLE: '通过登记的住所（经营场所）无法联系',
  NO_ACTIVITY: '未发现开展本次抽查涉及的经营活动',
  NON_COOP: '不配合检查情节严重',
  CLOSED: '已关闭停业或正在组织清算',
  DEREG: '已注销',
  REVOKED: '被吊销营业执照',
  CANCELLED: '被撤销登记',
  MOVED_OUT: '已迁出',
};

/** The one code that excludes every other: "no problem found" cannot stand beside a finding. */
export const EXCLUSIVE_RESULT_CODE: ResultCode = 'NO_PROBLEM';

/**
 * Toggle a code in a multi-select the way the form does: ticking 未发现问题 clears the others;
 * ticking any other code clears 未发现问题. Returns a new array in canonical order.
 */
export function toggleResultCode(current: readonly ResultCode[], code: ResultCode): ResultCode[] {
  const set = new Set(current);
  if (set.has(code)) {
    set.delete(code);
  } else if (code === EXCLUSIVE_RESULT_CODE) {
    set.clear();
    set.add(code);
  } else {
    set.delete(EXCLUSIVE_RESULT_CODE);
    set.add(code);
  }
  return RESULT_CODES.filter((c) => set.has(c));
}

/** Returns a zh-CN error, or null when the selection is a valid final result. */
export function resultCodesError(codes: readonly string[]): string | null {
  if (codes.length === 0) return '请至少选择一项检查结果';
  const unknown = codes.find((c) => !(RESULT_CODES as readonly string[]).includes(c));
  if (unknown) return `未知的检查结果代码：${unknown}`;
  if (new Set(codes).size !== codes.length) return '检查结果有重复项';
  if (codes.includes(EXCLUSIVE_RESULT_CODE) && codes.length > 1) return '“未发现问题”不能与其他检查结果同时选择';
  return null;
}

export function resultSummary(codes: readonly ResultCode[]): string {
  return codes.map((c) => RESULT_CODE_LABELS[c]).join('；');
}

/** 核查方式 (how the facts were checked), multi-select. */
export const CHECK_METHODS = ['ON_SITE', 'DOCUMENTS', 'OTHER_DEPT', 'TESTING', 'ONLINE', 'COMMISSIONED'] as const;
export type CheckMethod = (typeof CHECK_METHODS)[number];
export const CHECK_METHOD_LABELS: Readonly<Record<CheckMethod, string>> = {
  ON_SITE: '实地检查',
  DOCUMENTS: '书面检查',
  OTHER_DEPT: '行政部门检查结果或专业意见',
  TESTING: '检验检测',
  ONLINE: '网络监测',
  COMMISSIONED: '委托专业机构辅助',
};

/** 后续处置措施 (what follows the check), multi-select. */
export const FOLLOW_UPS = ['NONE', 'HANDOVER', 'ORDER_CORRECTION', 'CASE_TRANSFER', 'COPY_DEPT', 'OTHER'] as const;
export type FollowUp = (typeof FOLLOW_UPS)[number];
export const FOLLOW_UP_LABELS: Readonly<Record<FollowUp, string>> = {
  NONE: '无需后续处置',
  HANDOVER: '终止检查，移交日常监管',
  ORDER_CORRECTION: '责令改正，由日常监管跟进',
  CASE_TRANSFER: '发现案件线索，固定证据移交办案机构',
  COPY_DEPT: '抄告相关部门',
  OTHER: '其他',
};

/** Per-item outcome in the checklist: 符合 / 不符合 / 不涉及 / 未检查. */
export const ITEM_OUTCOMES = ['pass', 'fail', 'na', 'unchecked'] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];
export const ITEM_OUTCOME_LABELS: Readonly<Record<ItemOutcome, string>> = {
  pass: '符合',
  fail: '不符合',
  na: '不涉及',
  unchecked: '未检查',
};

/** Proposed handling of a 不符合 finding. */
export const FINDING_HANDLINGS = ['on_spot', 'rectify', 'case', 'transfer'] as const;
export type FindingHandling = (typeof FINDING_HANDLINGS)[number];
export const FINDING_HANDLING_LABELS: Readonly<Record<FindingHandling, string>> = {
  on_spot: '当场改正',
  rectify: '责令限期改正',
  case: '移交立案查处',
  transfer: '移送其他部门',
};
