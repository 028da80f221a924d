/**
 * Errors of the vault. Data that cannot be opened is never returned as garbage or as an empty
 * default: it throws a VaultError whose `code` callers branch on and whose message is shown to
 * the inspector as is (zh-CN).
 */

export type VaultErrorCode =
  /** Shorter than version + IV + tag: truncated on disk or not a sealed value at all. */
  | 'too-short'
  /** A format version this build does not know (written by a newer app, or not sealed by us). */
  | 'unknown-version'
  /**
   * The GCM tag does not verify. A wrong key, tampered bytes and bytes moved to another place
   * (other AAD) are indistinguishable by design, so they share one code.
   */
  | 'cannot-open'
  /** The opened plaintext is not in the value codec's format (a bug, not an attack: it was authenticated). */
  | 'bad-encoding'
  /** A row of a sealed table that was stored in clear. */
  | 'not-sealed'
  /** A value the codec refuses to seal (Blob, Map, class instance, cycle...). */
  | 'unsupported-value'
  /** No data key in memory: the vault is locked. */
  | 'locked';

const MESSAGES: Record<VaultErrorCode, string> = {
  'too-short': '加密数据不完整（长度不足），无法解密。',
  'unknown-version': '加密数据的格式版本不受支持，无法解密。',
  'cannot-open': '数据无法解密：密钥不正确，或数据已被改动、移动。',
  'bad-encoding': '解密后的数据格式不正确，无法读取。',
  'not-sealed': '该记录没有加密保存，已拒绝读取。',
  'unsupported-value': '该数据无法加密保存。',
  locked: '数据已锁定，请先输入密码解锁。',
};

export class VaultError extends Error {
  override readonly name: string = 'VaultError';
  readonly code: VaultErrorCode;
  /** Technical detail for logs (English); `message` is the zh-CN text for the inspector. */
  readonly detail: string | undefined;

  constructor(code: VaultErrorCode, detail?: string, message?: string) {
    super(message ?? MESSAGES[code]);
    this.code = code;
    this.detail = detail;
  }
}

/** Thrown by every read and write of a sealed table while no data key is in memory. */
export class VaultLockedError extends VaultError {
  override readonly name: string = 'VaultLockedError';

  constructor(detail?: string) {
    super('locked', detail);
  }
}

export function isVaultError(e: unknown): e is VaultError {
  return e instanceof VaultError;
}
