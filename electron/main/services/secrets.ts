/**
 * Secret storage (refresh token, database key-encryption key) through Electron's safeStorage, in one
 * JSON file of base64 ciphertexts under userData, written atomically (temp file + rename).
 * On Linux the `basic_text` backend is a hard-coded key, i.e. no protection: refused with a clear error.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { IpcFailure } from '../ipc/register.js';

/** The parts of Electron's safeStorage this service uses. */
export interface SafeStorageLike {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend(): string;
}

const StoreSchema = z.record(z.string(), z.string());

export interface SecretsService {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<boolean>;
}

export function createSecretsService(safeStorage: SafeStorageLike, file: string, platform: string): SecretsService {
  const assertUsable = async (): Promise<void> => {
    if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
      throw new IpcFailure(
        'SECRETS_UNAVAILABLE',
        '系统未提供安全的密钥存储（Linux basic_text 后端）。请安装并解锁系统密钥环（如 gnome-keyring 或 KWallet）后重试。',
      );
    }
    if (!(await safeStorage.isAsyncEncryptionAvailable())) {
      throw new IpcFailure('SECRETS_UNAVAILABLE', '系统安全存储不可用，无法保存登录凭据。');
    }
  };

  return {
    async get(key) {
      await assertUsable();
      const cipher = (await readStore(file))[key];
      if (cipher === undefined) return null;
      try {
        const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(cipher, 'base64'));
        if (shouldReEncrypt) await this.set(key, result);
        return result;
      } catch {
        throw new IpcFailure('SECRET_UNREADABLE', '无法解密已保存的凭据（系统密钥可能已更换），请重新登录。');
      }
    },
    async set(key, value) {
      await assertUsable();
      const store = await readStore(file);
      store[key] = (await safeStorage.encryptStringAsync(value)).toString('base64');
      await writeStore(file, store);
    },
    async delete(key) {
      const store = await readStore(file);
      if (!Object.hasOwn(store, key)) return false;
      delete store[key];
      await writeStore(file, store);
      return true;
    },
  };
}

async function readStore(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const parsed = StoreSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new IpcFailure('SECRET_UNREADABLE', `凭据文件已损坏：${file}`);
  return { ...parsed.data };
}

async function writeStore(file: string, store: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomUUID()}.tmp`;
  await writeFile(tmp, JSON.stringify(store), { mode: 0o600 });
  await rename(tmp, file);
}
