import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSecretsService, type SafeStorageLike } from './secrets.js';
import { createSecretsFile } from './secrets-file.store.js';
import { fakeSafeStorage } from '../../test-helpers/fakes.js';

vi.mock('electron', () => ({}));

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'secrets-test-'));
  file = path.join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const service = (storage: SafeStorageLike, platform = 'linux') =>
  createSecretsService(storage, createSecretsFile({ file, log: () => {} }), platform);

describe('secrets service', () => {
  it('seals, reads back, deletes', async () => {
    const secrets = service(fakeSafeStorage());
    expect(await secrets.get('refresh-token:i1')).toEqual({ state: 'absent' });
    expect(await secrets.putSealed('refresh-token:i1', 'r-123')).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('r-123');
    expect(await secrets.get('refresh-token:i1')).toEqual({ state: 'ok', value: 'r-123', sealed: true });
    expect(await secrets.delete('refresh-token:i1')).toBe(true);
    expect(await secrets.delete('refresh-token:i1')).toBe(false);
    expect(await secrets.get('refresh-token:i1')).toEqual({ state: 'absent' });
  });

  it('cannot seal on the Linux basic_text backend: stores nothing and says so', async () => {
    const secrets = service(fakeSafeStorage('basic_text'));
    expect(await secrets.canSeal()).toBe(false);
    expect(await secrets.putSealed('k', 'x')).toBe(false);
    expect(await secrets.get('k')).toEqual({ state: 'absent' });
  });

  it('basic_text is only a Linux notion; elsewhere availability decides', async () => {
    expect(await service(fakeSafeStorage('basic_text'), 'win32').canSeal()).toBe(true);
    expect(await service(fakeSafeStorage('unknown', false), 'win32').canSeal()).toBe(false);
  });

  it('stores an unsealed value marked as such', async () => {
    const secrets = service(fakeSafeStorage('basic_text'));
    await secrets.putUnsealed('wrapped-key:i1', '{"v":1}');
    expect(await secrets.get('wrapped-key:i1')).toEqual({ state: 'ok', value: '{"v":1}', sealed: false });
  });

  it('reports a value sealed under a lost OS key as unreadable', async () => {
    const storage = fakeSafeStorage();
    await service(storage).putSealed('k', 'v');
    const broken = { ...storage, decryptStringAsync: vi.fn(async () => Promise.reject(new Error('bad key'))) };
    expect(await service(broken).get('k')).toEqual({ state: 'unreadable' });
  });

  it('re-seals a value when the OS asks for it', async () => {
    const storage = fakeSafeStorage();
    await service(storage).putSealed('k', 'v');
    const encrypt = vi.fn(storage.encryptStringAsync);
    const rotating = {
      ...storage,
      encryptStringAsync: encrypt,
      decryptStringAsync: async (d: Buffer) => ({ ...(await storage.decryptStringAsync(d)), shouldReEncrypt: true }),
    };
    expect(await service(rotating).get('k')).toEqual({ state: 'ok', value: 'v', sealed: true });
    expect(encrypt).toHaveBeenCalledWith('v');
  });
});
