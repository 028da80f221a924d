import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '../../../shared/ipc/bridge.js';
import { FieldDb, openPartition, sessionRepo } from '../db/index.js';
import { KeySlot, newDataKey } from '../vault/index.js';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { browserAdapter, detectAdapter, sealedVault, wrappedKeyBinding } from './adapter.js';

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => {
      m.set(k, v);
    },
  };
}

describe('browser adapter config', () => {
  it('prefers ?platform= and remembers it', async () => {
    const storage = memoryStorage();
    const a = browserAdapter({
      search: '?platform=http://127.0.0.1:8787',
      storage,
      fetchConfig: async () => ({ platformUrl: 'http://other.test', demo: true, stationName: '所' }),
    });
    expect((await a.config()).platformUrl).toBe('http://127.0.0.1:8787');
    const later = browserAdapter({
      search: '',
      storage,
      fetchConfig: async () => {
        throw new Error('offline');
      },
    });
    expect((await later.config()).platformUrl).toBe('http://127.0.0.1:8787');
  });

  it('falls back to app-config.json and rejects a broken one clearly', async () => {
    const a = browserAdapter({
      search: '',
      storage: memoryStorage(),
      fetchConfig: async () => ({
        platformUrl: 'http://p.test',
        demo: true,
        stationName: '城东所',
        platformLogKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
        platformBundleKey: '97fbd891d0d351c4ab4d8479191e9f9360d4c1673053024ec81de9b5795f7963',
        lockIdleMinutes: 5,
      }),
    });
    expect(await a.config()).toEqual({
      platformUrl: 'http://p.test',
      demo: true,
      stationName: '城东所',
      platformLogKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      platformBundleKey: '97fbd891d0d351c4ab4d8479191e9f9360d4c1673053024ec81de9b5795f7963',
      lockIdleMinutes: 5,
      offlineCredentialDays: 30,
    });
    const bad = browserAdapter({
      search: '',
      storage: memoryStorage(),
      fetchConfig: async () => ({ platformUrl: 'nope' }),
    });
    await expect(bad.config()).rejects.toThrow('未配置监管平台地址');
  });
});

describe('sealed token vault and verifier', () => {
  let dbs: ReturnType<typeof freshDatabases>;
  beforeEach(() => {
    dbs = freshDatabases();
  });
  afterEach(() => disposeDatabases(dbs));

  it('stores tokens in the session row, which the partition seals (never plain text at rest)', async () => {
    const slot = new KeySlot();
    slot.unlock(newDataKey());
    const name = `${dbs.prefix}field-p1`;
    const partition = openPartition(name, slot);
    const sessions = sessionRepo(partition);
    await sessions.save({
      key: 'current',
      certNo: '33010000001',
      inspector: {
        id: 'i',
        name: 'n',
        certNo: '33010000001',
        certExpiry: '2030-01-01',
        unit: 'u',
        station: 's',
        region: '330100',
        domains: [],
        expert: false,
      },
      platformUrl: 'http://p',
      tokens: null,
      offlineUnlocked: false,
      signedInAt: 'x',
    });
    const vault = sealedVault(sessions);
    await vault.save('{"refreshToken":"SECRET-REFRESH-TOKEN"}');
    expect(await vault.load()).toBe('{"refreshToken":"SECRET-REFRESH-TOKEN"}');
    partition.close();
    const raw = new FieldDb(name);
    const stored = JSON.stringify(await raw.session.toArray(), (_k, v: unknown) =>
      v instanceof Uint8Array ? new TextDecoder('latin1').decode(v) : v,
    );
    expect(stored).toContain('$s');
    expect(stored).not.toContain('SECRET-REFRESH-TOKEN');
    slot.lock();
    await raw.delete();
  });
});

describe('Electron adapter', () => {
  const config = {
    demo: false,
    platformUrl: 'https://p.example.gov.cn',
    publicityUrl: null,
    stationName: '鲸园所',
    stationCode: null,
    source: '/etc/x',
    platformLogKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    lockIdleMinutes: 10,
    offlineCredentialDays: 30,
  };
  const api = {
    getConfig: vi.fn(async () => ({ ok: true, value: config })),
    storeWrappedKey: vi.fn(async () => ({ ok: true, value: { bound: false } })),
    readWrappedKey: vi.fn(async () => ({ ok: false, error: { code: 'SECRET_UNREADABLE', message: '系统密钥已更换' } })),
    forgetWrappedKey: vi.fn(async () => ({ ok: true, value: { forgotten: true } })),
    onLock: vi.fn(() => () => {}),
  };
  afterEach(() => {
    delete (globalThis as Record<string, unknown>)['api'];
  });

  it('reads the config from main and lets main hold the tokens', async () => {
    (globalThis as Record<string, unknown>)['api'] = api;
    const adapter = detectAdapter();
    expect(adapter.kind).toBe('electron');
    expect(await adapter.config()).toEqual({
      platformUrl: 'https://p.example.gov.cn',
      demo: false,
      stationName: '鲸园所',
      platformLogKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
      platformBundleKey: null,
      lockIdleMinutes: 10,
      offlineCredentialDays: 30,
    });
    expect(adapter.vault({} as Parameters<typeof adapter.vault>[0]).holder).toBe('main');
  });

  it('binds the wrapped key through main, passing bound:false and failures on', async () => {
    const binding = wrappedKeyBinding(api as unknown as BridgeApi);
    expect(await binding?.store('insp-1', '{"v":1}')).toEqual({ bound: false });
    expect(api.storeWrappedKey).toHaveBeenCalledWith({ inspectorId: 'insp-1', wrappedKey: '{"v":1}' });
    await expect(binding?.read('insp-1')).rejects.toThrow('系统密钥已更换');
    await binding?.forget('insp-1');
    expect(api.forgetWrappedKey).toHaveBeenCalledWith({ inspectorId: 'insp-1' });
  });

  it('has no OS binding in the browser build', () => {
    expect(wrappedKeyBinding()).toBeNull();
    expect(
      browserAdapter({ search: '', storage: null, fetchConfig: async () => ({}) }).vault(
        {} as Parameters<ReturnType<typeof browserAdapter>['vault']>[0],
      ).holder,
    ).toBe('renderer');
  });
});
