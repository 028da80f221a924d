import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage } from '../../test-helpers/fakes.js';
import { createSecretsService, type SafeStorageLike } from './secrets.js';
import { createSecretsFile } from './secrets-file.store.js';
import { createWrappedKeyService } from './wrapped-key.service.js';

vi.mock('electron', () => ({}));

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wrapped-key-test-'));
  file = path.join(dir, 'secrets.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const keys = (storage: SafeStorageLike) =>
  createWrappedKeyService(createSecretsService(storage, createSecretsFile({ file, log: () => {} }), 'linux'));
const WRAPPED = '{"v":1,"keyId":"k1","ct":"SECRET-CIPHERTEXT"}';

describe('wrapped data key bound to the OS account', () => {
  it('is sealed with safeStorage and read back bound', async () => {
    const k = keys(fakeSafeStorage());
    expect(await k.read('insp-1')).toEqual({ wrappedKey: null, bound: false });
    expect(await k.store('insp-1', WRAPPED)).toEqual({ bound: true });
    expect(readFileSync(file, 'utf8')).not.toContain('SECRET-CIPHERTEXT');
    expect(await keys(fakeSafeStorage()).read('insp-1')).toEqual({ wrappedKey: WRAPPED, bound: true });
    expect(await k.read('insp-2')).toEqual({ wrappedKey: null, bound: false });
    expect(await k.forget('insp-1')).toEqual({ forgotten: true });
    expect(await k.read('insp-1')).toEqual({ wrappedKey: null, bound: false });
  });

  it('on Linux basic_text does not claim to be bound', async () => {
    const k = keys(fakeSafeStorage('basic_text'));
    expect(await k.store('insp-1', WRAPPED)).toEqual({ bound: false });
    expect(await k.read('insp-1')).toEqual({ wrappedKey: WRAPPED, bound: false });
  });

  it('a key sealed under a lost OS key is SECRET_UNREADABLE', async () => {
    const storage = fakeSafeStorage();
    await keys(storage).store('insp-1', WRAPPED);
    const lost = { ...storage, decryptStringAsync: async () => Promise.reject(new Error('no key')) };
    await expect(keys(lost).read('insp-1')).rejects.toMatchObject({ code: 'SECRET_UNREADABLE' });
  });
});
