/**
 * What the push engine needs from the device key, and what it does when signing goes wrong: a
 * result without a signed checkpoint, or one whose checkpoint no longer matches, is never sent
 * (paused with a zh-CN reason); a platform that does not know the key gets it registered once and
 * the result sent again; a signature the platform refuses sets that result aside.
 */
import type { HttpError } from '../platform/http.js';

export type RegisterOutcome =
  { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly error: HttpError };

export interface PushSigning {
  /** The stored signature of a result's checkpoint, or null when it has none. */
  signature(resultId: string): Promise<string | null>;
  /** The platform's id for the device key, registering it when needed (`force`: again). */
  registered(force: boolean): Promise<RegisterOutcome>;
  /**
   * Before each drain: which of these results no longer match what the device key signed (or
   * have no signature at all). They are paused instead of sent.
   */
  refused(resultIds: readonly string[]): Promise<ReadonlyMap<string, string>>;
}

/** zh-CN reason on a result held back because its signed checkpoint does not hold. */
export function signaturePauseReason(problem: string): { lastError: string; advice: string } {
  return {
    lastError: `设备签名校验失败（${problem}），该结果已暂停上传`,
    advice: '定稿后的结果或审计日志被改动时，平台无法确认其真实性。请勿自行修改数据，联系管理员核查后再上传。',
  };
}

export const SIGNATURE_INVALID_REVIEW = {
  code: 'SIGNATURE_INVALID',
  reason: '平台验证设备签名未通过：无法确认该结果在本机定稿后未被改动，平台拒收',
  advice: '本地记录已完整保留。请勿修改本记录，截图并联系管理员核查本机数据与设备密钥；其他结果会继续上传。',
} as const;

export const KEY_UNREGISTERED_REVIEW = {
  code: 'DEVICE_KEY_UNREGISTERED',
  reason: '平台仍不认可本机的设备密钥（重新登记后仍被拒收）',
  advice: '本地记录已完整保留。请联网重新登录；如仍被拒收，请联系管理员核对本设备的密钥登记。',
} as const;

export const KEY_EXISTS_REVIEW = {
  code: 'DEVICE_KEY_EXISTS',
  reason: '本机的设备密钥与平台为本设备登记的密钥不一致，平台拒绝登记',
  advice: '本地记录已完整保留。本机数据可能被重建或改动，请勿继续修改数据，联系管理员核查本设备。',
} as const;
