/**
 * The key hierarchy: a random 32-byte DATA KEY per inspector seals their rows; it is stored only
 * WRAPPED (AES-256-GCM) under a key-encryption key derived from their password with scrypt. There
 * is no separate password verifier: a wrong password fails the wrap's GCM tag. The wrap's AAD binds
 * the inspector, the key id and the KDF parameters, so none of them can be edited on disk (e.g. to
 * weaker parameters, or to another inspector's name) without the unwrap failing.
 */
import { gcm } from '@noble/ciphers/aes.js';
import { fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes.js';
import { DEFAULT_KDF_PARAMS, deriveKek, type DeriveOptions, type KdfParams } from './kdf.js';
import { KEY_LENGTH } from './seal.js';
import { WRAPPED_KEY_VERSION, wrappedKeySchema, type WrappedKey } from './wrapped-key.schema.js';

export type { WrappedKey } from './wrapped-key.schema.js';

export type UnwrapErrorKind = 'wrong-password' | 'corrupt' | 'other-inspector';
export type UnwrapResult =
  | { ok: true; dataKey: Uint8Array; wrapped: WrappedKey }
  | { ok: false; error: { kind: UnwrapErrorKind; message: string } };
export type RewrapResult =
  { ok: true; wrapped: WrappedKey } | { ok: false; error: { kind: UnwrapErrorKind; message: string } };

export interface WrapOptions extends DeriveOptions {
  readonly inspectorId: string;
  readonly keyId: string;
  /** Defaults to the measured DEFAULT_KDF_PARAMS; tests pass small ones. */
  readonly params?: KdfParams;
}

export function newDataKey(): Uint8Array {
  return randomBytes(KEY_LENGTH);
}

/** A random id naming one data key (the escrow copy and local wraps of one key share it). */
export function newKeyId(): string {
  return toBase64Url(randomBytes(16));
}

function wrapAad(w: Pick<WrappedKey, 'v' | 'inspectorId' | 'keyId' | 'kdf'>): Uint8Array {
  // JSON of an array: unambiguous whatever characters the ids contain.
  return utf8(
    JSON.stringify([
      'smart-inspect/wrapped-key',
      w.v,
      w.inspectorId,
      w.keyId,
      w.kdf.alg,
      w.kdf.N,
      w.kdf.r,
      w.kdf.p,
      w.kdf.salt,
    ]),
  );
}

function checkPassword(password: string): void {
  if (typeof password !== 'string' || password.length === 0)
    throw new RangeError('vault: the password must be a non-empty string');
}

export async function wrapDataKey(dataKey: Uint8Array, password: string, options: WrapOptions): Promise<WrappedKey> {
  if (!(dataKey instanceof Uint8Array) || dataKey.length !== KEY_LENGTH)
    throw new RangeError(`vault: a data key must be ${KEY_LENGTH} bytes`);
  checkPassword(password);
  const params = options.params ?? DEFAULT_KDF_PARAMS;
  const salt = randomBytes(16);
  const kek = await deriveKek(password, salt, params, options);
  const iv = randomBytes(12);
  const head: Omit<WrappedKey, 'iv' | 'ct'> = {
    v: WRAPPED_KEY_VERSION,
    keyId: options.keyId,
    inspectorId: options.inspectorId,
    kdf: { alg: 'scrypt', N: params.N, r: params.r, p: params.p, salt: toBase64Url(salt) },
  };
  const ct = gcm(kek, iv, wrapAad(head)).encrypt(dataKey);
  kek.fill(0);
  const wrapped = { ...head, iv: toBase64Url(iv), ct: toBase64Url(ct) };
  // Ids that the schema would refuse on read must not be written in the first place.
  const checked = wrappedKeySchema.safeParse(wrapped);
  if (!checked.success)
    throw new RangeError(
      `vault: cannot wrap: ${checked.error.issues[0]?.path.join('.')} ${checked.error.issues[0]?.message}`,
    );
  return checked.data;
}

/**
 * Opens a wrapped key read back from disk (validated here, so pass what was read).
 *
 * A failed tag is reported as 'wrong-password', not 'corrupt'. GCM cannot tell a wrong password
 * from an edited ciphertext, and structural damage (truncation, bad base64, impossible
 * parameters) is caught by the schema first and reported as 'corrupt'. What is left is almost
 * always a mistyped password, the answer that lets the inspector retry; it counts towards the
 * back-off either way, and after repeated failures the online sign-in (escrow) recovers both cases.
 */
export async function unwrapDataKey(
  wrapped: unknown,
  password: string,
  inspectorId: string,
  options: DeriveOptions = {},
): Promise<UnwrapResult> {
  const parsed = wrappedKeySchema.safeParse(wrapped);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: {
        kind: 'corrupt',
        message: `本机保存的密钥已损坏，无法使用（${issue?.path.join('.') || '整体'}：${issue?.message ?? '格式不正确'}）。请联网登录以恢复。`,
      },
    };
  }
  const w = parsed.data;
  if (w.inspectorId !== inspectorId) {
    return { ok: false, error: { kind: 'other-inspector', message: '这份密钥属于另一位执法人员，不能用于当前账号。' } };
  }
  checkPassword(password);
  // The schema has checked these decode to the right lengths.
  const salt = fromBase64Url(w.kdf.salt)!;
  const kek = await deriveKek(password, salt, w.kdf, options);
  try {
    const dataKey = gcm(kek, fromBase64Url(w.iv)!, wrapAad(w)).decrypt(fromBase64Url(w.ct)!);
    return { ok: true, dataKey, wrapped: w };
  } catch {
    return { ok: false, error: { kind: 'wrong-password', message: '密码不正确。' } };
  } finally {
    kek.fill(0);
  }
}

export type RewrapSource =
  /** Password change: the current wrap and the current password. */
  | { readonly wrapped: unknown; readonly password: string; readonly inspectorId: string }
  /** A data key already in hand (unlocked session, or released from escrow after a forgotten password). */
  | { readonly dataKey: Uint8Array; readonly inspectorId: string; readonly keyId: string };

/**
 * Wraps the same data key under a new password, with a fresh salt and the current default
 * parameters (so a password change also upgrades old parameters). The data key, and so every
 * sealed row, stays as it is.
 */
export async function rewrapDataKey(
  source: RewrapSource,
  newPassword: string,
  options: DeriveOptions & { readonly params?: KdfParams } = {},
): Promise<RewrapResult> {
  checkPassword(newPassword);
  if ('dataKey' in source) {
    return {
      ok: true,
      wrapped: await wrapDataKey(source.dataKey, newPassword, {
        ...options,
        inspectorId: source.inspectorId,
        keyId: source.keyId,
      }),
    };
  }
  const opened = await unwrapDataKey(source.wrapped, source.password, source.inspectorId, options);
  if (!opened.ok) return opened;
  try {
    const wrapped = await wrapDataKey(opened.dataKey, newPassword, {
      ...options,
      inspectorId: opened.wrapped.inspectorId,
      keyId: opened.wrapped.keyId,
    });
    return { ok: true, wrapped };
  } finally {
    opened.dataKey.fill(0);
  }
}
