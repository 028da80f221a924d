/**
 * The vault: per-inspector sealing at rest. Runs on any thread (window or worker): no DOM, no
 * window, no storage of its own; callers persist the wrapped key and hold the KeySlot.
 */
export { VaultError, VaultLockedError, isVaultError, type VaultErrorCode } from './vault.errors.js';
export {
  sealBytes,
  openBytes,
  sealBytesAsync,
  openBytesAsync,
  forgetCryptoKey,
  SEAL_VERSION,
  SEAL_OVERHEAD,
  KEY_LENGTH,
} from './seal.js';
export { sealJson, openJson, sealJsonAsync, openJsonAsync } from './sealed-json.js';
export { encodeValue, decodeValue } from './value.codec.js';
export {
  newDataKey,
  newKeyId,
  wrapDataKey,
  unwrapDataKey,
  rewrapDataKey,
  type WrapOptions,
  type UnwrapResult,
  type UnwrapErrorKind,
  type RewrapResult,
  type RewrapSource,
} from './keys.js';
export { wrappedKeySchema, WRAPPED_KEY_VERSION, type WrappedKey } from './wrapped-key.schema.js';
export {
  DEFAULT_KDF_PARAMS,
  KDF_BOUNDS,
  kdfParamsProblem,
  deriveKek,
  type KdfParams,
  type DeriveOptions,
} from './kdf.js';
export * from './lock.policy.js';
export { KeySlot } from './key-slot.js';
export { toBase64Url, fromBase64Url } from './bytes.js';
