/** Why a bundle is refused, in words an inspector or a platform operator can act on. */
export type BundleRefusalKind =
  | 'truncated'
  | 'tampered'
  | 'untrusted-sender'
  | 'wrong-recipient'
  | 'replayed'
  | 'unsupported-version'
  | 'not-a-bundle'
  | 'wrong-kind';

export interface BundleRefusal {
  readonly kind: BundleRefusalKind;
  readonly message: string;
}

const MESSAGES: Record<Exclude<BundleRefusalKind, 'wrong-recipient'>, string> = {
  truncated: '文件不完整（已截断）',
  tampered: '文件已被改动',
  'untrusted-sender': '签名设备未登记/不受信任',
  replayed: '该文件已导入过（重复）',
  'unsupported-version': '格式版本不支持',
  'not-a-bundle': '不是数据包文件',
  'wrong-kind': '数据包类型不符',
};

/** Thrown inside the opener so any check can stop it; the opener's edge turns it into a result. */
export class Refused extends Error {
  constructor(readonly refusal: BundleRefusal) {
    super(refusal.message);
  }
}

export function refuse(kind: Exclude<BundleRefusalKind, 'wrong-recipient'>): never {
  throw new Refused({ kind, message: MESSAGES[kind] });
}
