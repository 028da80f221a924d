/**
 * The vault's wrapped data key, bound to the OS account: main seals the renderer's wrapped key (an
 * opaque JSON string, already encrypted under the inspector's password) with safeStorage, so a copy
 * of the secrets file taken to another account or machine is useless even with the password.
 * Without a real OS keyring (Linux `basic_text`, or no encryption at all) the key is stored as the
 * renderer gave it and reported `bound:false`, so the UI can warn instead of implying protection.
 */
import { IpcFailure } from '../ipc/register.js';
import type { SecretsService } from './secrets.js';

export const wrappedKeyName = (inspectorId: string): string => `wrapped-key:${inspectorId}`;

export interface WrappedKeyService {
  store(inspectorId: string, wrappedKey: string): Promise<{ bound: boolean }>;
  read(inspectorId: string): Promise<{ wrappedKey: string | null; bound: boolean }>;
  forget(inspectorId: string): Promise<{ forgotten: boolean }>;
}

export function createWrappedKeyService(secrets: SecretsService): WrappedKeyService {
  return {
    async store(inspectorId, wrappedKey) {
      if (await secrets.putSealed(wrappedKeyName(inspectorId), wrappedKey)) return { bound: true };
      await secrets.putUnsealed(wrappedKeyName(inspectorId), wrappedKey);
      return { bound: false };
    },
    async read(inspectorId) {
      const read = await secrets.get(wrappedKeyName(inspectorId));
      if (read.state === 'absent') return { wrappedKey: null, bound: false };
      if (read.state === 'unreadable') {
        throw new IpcFailure(
          'SECRET_UNREADABLE',
          '本机保存的数据密钥无法用当前系统账户解开（系统密钥可能已更换），请联网登录以恢复。',
        );
      }
      return { wrappedKey: read.value, bound: read.sealed };
    },
    async forget(inspectorId) {
      return { forgotten: await secrets.delete(wrappedKeyName(inspectorId)) };
    },
  };
}
