import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretsService, type SafeStorageLike } from './secrets.js';

vi.mock('electron', () => ({}));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Reversible stand-in for the OS keychain: XOR so the stored text is not the plain text. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorageLike {
  const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    isAsyncEncryptionAvailable: async () => available,
    encryptStringAsync: async (text) => xor(Buffer.from(text, 'utf8')),
    decryptStringAsync: async (data) => ({ result: xor(data).toString('utf8'), shouldReEncrypt: false }),
    getSelectedStorageBackend: () => backend,
  };
}

describe('secrets service', () => {
  it('stores encrypted, reads back, deletes', async () => {
    const file = path.join(dir, 'secrets.json');
    const secrets = createSecretsService(fakeSafeStorage(), file, 'linux');
    expect(await secrets.get('refresh-token')).toBeNull();
    await secrets.set('refresh-token', 'r-123');
    expect(readFileSync(file, 'utf8')).not.toContain('r-123');
    expect(await secrets.get('refresh-token')).toBe('r-123');
    expect(await secrets.delete('refresh-token')).toBe(true);
    expect(await secrets.delete('refresh-token')).toBe(false);
    expect(await secrets.get('refresh-token')).toBeNull();
  });

  it('refuses the Linux basic_text backend with a clear error', async () => {
    const secrets = createSecretsService(fakeSafeStorage('basic_text'), path.join(dir, 's.json'), 'linux');
    await expect(secrets.set('refresh-token', 'x')).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      message: expect.stringContaining('basic_text'),
    });
  });

  it('refuses when the OS has no encryption available', async () => {
    const secrets = createSecretsService(fakeSafeStorage('unknown', false), path.join(dir, 's.json'), 'win32');
    await expect(secrets.get('k')).rejects.toMatchObject({ code: 'SECRETS_UNAVAILABLE' });
  });

  it('reports an undecryptable secret as SECRET_UNREADABLE', async () => {
    const storage = fakeSafeStorage();
    const file = path.join(dir, 's.json');
    await createSecretsService(storage, file, 'linux').set('k', 'v');
    const broken = { ...storage, decryptStringAsync: vi.fn(async () => Promise.reject(new Error('bad key'))) };
    await expect(createSecretsService(broken, file, 'linux').get('k')).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
  });
});
