/**
 * What the push engine does with each answer of `PUT /v1/results/{id}`,
 * as a pure function: accepted, set aside for review (with a zh-CN reason and advice), retried
 * after a delay, or the whole queue paused. Never "drop" and never "re-key".
 */
import type { HttpError } from '../platform/http.js';
import { KEY_EXISTS_REVIEW, KEY_UNREGISTERED_REVIEW, SIGNATURE_INVALID_REVIEW } from './push-signing.js';

export const MAX_BACKOFF_MS = 5 * 60_000;
export const BASE_BACKOFF_MS = 1000;

/** Full jitter: random(0, min(5 min, 1 s × 2^n)). */
export function backoffDelay(failures: number, random: () => number): number {
  const cap = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, failures));
  return Math.floor(random() * cap);
}

export type PushDecision =
  | {
      readonly action: 'review';
      readonly reason: string;
      readonly advice: string;
      readonly code?: string;
      readonly conflictWith?: string | null;
    }
  | { readonly action: 'retry'; readonly reason: string; readonly delayMs: number; readonly stopDrain: boolean }
  | { readonly action: 'pause'; readonly reason: string; readonly advice: string }
  | { readonly action: 'stop' };

const REVIEW_KEEP = '本地记录已完整保留。';

/** `details.acceptedResultId` of a task-level RESULT_CONFLICT, if the platform named one. */
export function acceptedResultOf(details: unknown): string | null {
  if (typeof details !== 'object' || details === null || !('acceptedResultId' in details)) return null;
  const id = (details as { acceptedResultId: unknown }).acceptedResultId;
  return typeof id === 'string' ? id : null;
}

export function decide(error: HttpError, failures: number, random: () => number): PushDecision {
  const retry = (reason: string, stopDrain = false, delayMs = backoffDelay(failures, random)): PushDecision => ({
    action: 'retry',
    reason,
    delayMs,
    stopDrain,
  });
  switch (error.kind) {
    case 'aborted':
      return { action: 'stop' };
    case 'network':
      return retry('网络连接失败，稍后自动重试', true);
    case 'timeout':
      return retry('平台响应超时，稍后将用同一幂等键重试', true);
    case 'invalid-response':
      return retry('平台的回执格式无法识别，稍后用同一幂等键重试');
    case 'session-expired':
      return { action: 'pause', reason: '登录已过期，上传已暂停', advice: '请联网后重新登录，登录后将自动继续上传。' };
    case 'http':
      return decideHttp(error, failures, random, retry);
  }
}

function decideHttp(
  error: Extract<HttpError, { kind: 'http' }>,
  failures: number,
  random: () => number,
  retry: (reason: string, stopDrain?: boolean, delayMs?: number) => PushDecision,
): PushDecision {
  const { status, code } = error;
  if (status === 409 && code === 'RESULT_CONFLICT') {
    const accepted = acceptedResultOf(error.details);
    if (accepted) {
      return {
        action: 'review',
        code,
        conflictWith: accepted,
        reason: '该任务已有检查组其他成员提交并被平台接收的结果，本结果未被接收',
        advice: `${REVIEW_KEEP}请与组员核对：如本结果才是正确的，请选择“作为更正重新提交”；否则选择“保留并备注”。`,
      };
    }
    return {
      action: 'review',
      code,
      reason: '平台上已有同一结果编号但内容不同的记录',
      advice: `${REVIEW_KEEP}请勿修改本记录，请联系管理员核对；如需更正，请选择“作为更正重新提交”。`,
    };
  }
  if (status === 460) {
    return {
      action: 'review',
      code: 'CHECKSUM_MISMATCH',
      reason: '附件内容与记录的校验值不符，平台拒收',
      advice: `${REVIEW_KEEP}附件可能已损坏，请联系管理员。`,
    };
  }
  if (status === 409 && code === 'TASK_CANCELLED') {
    return {
      action: 'review',
      code,
      reason: '该任务已在平台上被撤销：结果已保存但暂不公示',
      advice: `${REVIEW_KEEP}请与科室负责人确认是否仍需公示。`,
    };
  }
  if (status === 409 && code === 'TASK_REASSIGNED') {
    return {
      action: 'review',
      code,
      reason: '该任务已改派给其他检查人员：结果已保存但暂不公示',
      advice: `${REVIEW_KEEP}请与科室负责人确认由谁提交本次检查结果。`,
    };
  }
  if (status === 409 && code === 'ATTACHMENTS_MISSING') {
    return retry(`平台缺少附件（${error.missing.length} 个），将重新上传后重试`);
  }
  if (status === 409 && code === 'IN_FLIGHT') return retry('平台仍在处理同一请求，稍后重试');
  if (status === 403 && code === 'NOT_YOUR_UPLOAD') {
    return {
      action: 'review',
      code,
      reason: `平台拒收该结果的附件：${error.message}`,
      advice: `${REVIEW_KEEP}请联系管理员核对附件；其他结果会继续上传。`,
    };
  }
  if (status === 403 && code === 'DEVICE_REVOKED') {
    // The whole installation is refused: nothing else would go through either. The revocation flow
    // (key copies destroyed, vault locked) is started by the runtime, which sees every 403 first.
    return {
      action: 'pause',
      reason: '本设备已被平台停用，上传已暂停',
      advice: '请联系管理员恢复本设备后联网登录；未上传的结果仍加密保存在本机。',
    };
  }
  // The engine registers the key again and resends once before an unregistered key gets here.
  if (status === 403 && code === 'DEVICE_KEY_UNREGISTERED') return { action: 'review', ...KEY_UNREGISTERED_REVIEW };
  if (status === 422 && code === 'SIGNATURE_INVALID') return { action: 'review', ...SIGNATURE_INVALID_REVIEW };
  if (status === 409 && code === 'DEVICE_KEY_EXISTS') return { action: 'review', ...KEY_EXISTS_REVIEW };
  if (status === 401 || (status === 403 && code === 'REAUTH_REQUIRED')) {
    return {
      action: 'pause',
      reason: status === 403 ? '平台要求重新输入密码' : '登录已失效，上传已暂停',
      advice: '请重新登录；如仍被拒绝，请联系管理员核对账号权限。',
    };
  }
  if (status === 403) {
    // A refusal of this one result (e.g. a task that is not this inspector's): the others may go.
    return {
      action: 'review',
      ...(code ? { code } : {}),
      reason:
        code === 'NOT_YOUR_TASK' ? '该任务不属于当前登录的检查人员，平台拒收' : `平台拒绝了本结果（${error.message}）`,
      advice: `${REVIEW_KEEP}请与科室负责人核对任务分派；其他结果会继续上传。`,
    };
  }
  if (status === 429 || status === 503) {
    const delay = error.retryAfterMs ?? backoffDelay(failures, random);
    return retry(`平台繁忙，${Math.ceil(delay / 1000)} 秒后重试`, true, delay);
  }
  if (status === 422) {
    return {
      action: 'review',
      reason: `平台拒收：${error.message}`,
      advice: `${REVIEW_KEEP}请截图联系管理员；其他结果会继续上传。`,
    };
  }
  if (status === 413)
    return { action: 'review', reason: '结果内容过大，平台拒收', advice: `${REVIEW_KEEP}请联系管理员。` };
  if (status >= 500) return retry(`平台暂时出错（HTTP ${status}），稍后用同一幂等键重试`);
  return {
    action: 'review',
    reason: `平台拒绝了请求（HTTP ${status}）：${error.message}`,
    advice: `${REVIEW_KEEP}请联系管理员。`,
  };
}
