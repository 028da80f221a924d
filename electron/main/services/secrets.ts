/**
 * Named secrets sealed with Electron's safeStorage (a key bound to the OS account: DPAPI, Keychain,
 * libsecret/KWallet), kept in the secrets file (secrets-file.store.ts).
 * On Linux the `basic_text` backend encrypts with a hard-coded key, i.e. binds nothing: `canSeal()`
 * is false there, and callers decide what to do without that protection instead of pretending.
 */
import type { SecretsFile } from './secrets-file.store.js';

/** The parts of Electron's safeStorage this service uses. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend(): string;
}

export type SecretRead =
  | { readonly state: 'absent' }
  | { readonly state: 'ok'; readonly value: string; readonly sealed: boolean }
  /** Sealed under an OS key this account no longer has (e.g. the OS password was reset). */
  | { readonly state: 'unreadable' };

export interface SecretsService {
  /** True when values can be sealed with a key bound to the OS account. */
  canSeal(): Promise<boolean>;
  /** Seals and stores the value; false (nothing stored) when sealing is not available. */
  putSealed(name: string, value: string): Promise<boolean>;
  /** Stores a value that is already protected by other means, marked as not bound to the OS account. */
  putUnsealed(name: string, value: string): Promise<void>;
  get(name: string): Promise<SecretRead>;
  delete(name: string): Promise<boolean>;
}

export function createSecretsService(
  safeStorage: SafeStorageLike,
  file: SecretsFile,
  platform: string,
): SecretsService {
  async function canSeal(): Promise<boolean> {
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return false;
    return safeStorage.isAsyncEncryptionAvailable();
  }

  async function putSealed(name: string, value: string): Promise<boolean> {
    if (!(await canSeal())) return false;
    const data = (await safeStorage.encryptStringAsync(value)).toString('base64');
    await file.update((entries) => void (entries[name] = { sealed: true, data }));
    return true;
  }

  return {
    canSeal,
    putSealed,
    async putUnsealed(name, value) {
      await file.update((entries) => void (entries[name] = { sealed: false, data: value }));
    },
    async get(name) {
      const entry = (await file.read())[name];
      if (entry === undefined) return { state: 'absent' };
      if (!entry.sealed) return { state: 'ok', value: entry.data, sealed: false };
      let opened: { result: string; shouldReEncrypt: boolean };
      try {
        opened = await safeStorage.decryptStringAsync(Buffer.from(entry.data, 'base64'));
      } catch {
        return { state: 'unreadable' };
      }
      if (opened.shouldReEncrypt) await putSealed(name, opened.result);
      return { state: 'ok', value: opened.result, sealed: true };
    },
    async delete(name) {
      return file.update((entries) => {
        if (!Object.hasOwn(entries, name)) return false;
        delete entries[name];
        return true;
      });
    },
  };
}
