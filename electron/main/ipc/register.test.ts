import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  IPC_CHANNELS,
  MAX_PDF_BYTES,
  MAX_TOKEN_CHARS,
  MAX_WRAPPED_KEY_CHARS,
  type IpcChannel,
} from '../../../shared/ipc/contract.js';
import type { MainAuthService } from '../services/auth.service.js';
import { createIpcHandlers, type HandlerDeps } from './handlers.js';
import { IpcFailure, dispatch, registerIpcHandlers, type InvokeEventLike, type IpcHandlers } from './register.js';

vi.mock('electron', () => ({}));

const sender = {} as WebContents;
const topFrame = (url: string): InvokeEventLike => ({ senderFrame: { url, parent: null }, sender });
const trusted = topFrame('app://bundle/index.html');
const pdf = (size = 16) => {
  const b = new Uint8Array(size);
  b.set([0x25, 0x50, 0x44, 0x46, 0x2d]);
  return b;
};

const inspector = {
  id: 'insp-1',
  name: '于晓东',
  certNo: '3710021001121',
  certExpiry: '2030-12-31',
  unit: '环翠区局',
  station: '鲸园所',
  region: '371002',
  domains: [],
  expert: false,
};
const access = { accessToken: 'a'.repeat(20), expiresAtServer: 1, skewMs: 0 };
const login = { certNo: '3710021001121', password: 'demo1234', deviceId: 'dev-1', deviceName: '终端' };

function spyHandlers() {
  const deps: HandlerDeps = {
    appInfo: () => ({
      name: 'smart-inspect',
      version: '0.1.0',
      platform: 'linux',
      arch: 'x64',
      packaged: false,
      versions: { electron: '45.4.1', chrome: '140', node: '22' },
    }),
    config: { ok: false, message: '配置文件无效' },
    auth: {
      login: vi.fn<MainAuthService['login']>(async () => ({ ok: true, value: { inspector, access, sealed: true } })),
      accessToken: vi.fn<MainAuthService['accessToken']>(async () => ({ ok: true, value: access })),
      refresh: vi.fn<MainAuthService['refresh']>(async () => ({
        ok: false,
        error: { kind: 'LOCKED', message: '已锁定' },
      })),
      signOut: vi.fn(async () => true),
      markUnlocked: vi.fn(),
      lockAll: vi.fn(),
    },
    wrappedKeys: {
      store: vi.fn(async () => ({ bound: true })),
      read: vi.fn(async () => ({ wrappedKey: '{"v":1}', bound: true })),
      forget: vi.fn(async () => ({ forgotten: true })),
    },
    print: { registry: new Map(), createWindow: vi.fn() },
    save: vi.fn(),
    open: vi.fn(),
    update: { pickAndStage: vi.fn(async () => null), installStaged: vi.fn() },
    pickUpdateFolder: vi.fn(),
  };
  return { deps, handlers: createIpcHandlers(deps) };
}

describe('sender check', () => {
  it.each<[string, InvokeEventLike]>([
    ['a remote page', topFrame('https://evil.example/')],
    ['a look-alike URL', topFrame('https://evil.example/?app://bundle/')],
    ['a subframe of the app', { senderFrame: { url: 'app://bundle/index.html', parent: {} }, sender }],
    ['a destroyed frame', { senderFrame: null, sender }],
  ])('refuses %s and never calls the handler', async (_name, event) => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch('auth:access-token', handlers, event, [{ inspectorId: 'insp-1' }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) } });
    expect(deps.auth.accessToken).not.toHaveBeenCalled();
  });

  it.each<[IpcChannel, unknown]>([
    ['auth:login', login],
    ['auth:access-token', { inspectorId: 'insp-1' }],
    ['auth:refresh', { inspectorId: 'insp-1' }],
    ['auth:sign-out', { inspectorId: 'insp-1' }],
    ['vault:store-wrapped-key', { inspectorId: 'insp-1', wrappedKey: '{}' }],
    ['vault:read-wrapped-key', { inspectorId: 'insp-1' }],
    ['vault:forget', { inspectorId: 'insp-1' }],
    ['vault:unlocked', { inspectorId: 'insp-1' }],
    ['vault:locked', {}],
  ])('%s refuses a remote page and touches no service', async (channel, request) => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch(channel, handlers, topFrame('https://evil.example/'), [request], () => {});
    expect(result.ok || result.error.code).toBe('FORBIDDEN_SENDER');
    const services = [...Object.values(deps.auth), ...Object.values(deps.wrappedKeys)] as ReturnType<typeof vi.fn>[];
    for (const fn of services) expect(fn).not.toHaveBeenCalled();
  });
});

describe('argument validation', () => {
  it.each<[string, unknown[]]>([
    ['a wrong type', [{ inspectorId: 42 }]],
    ['an unknown field', [{ inspectorId: 'insp-1', extra: 1 }]],
    ['an id with path characters', [{ inspectorId: '../etc/passwd' }]],
    ['two arguments', [{ inspectorId: 'a' }, { inspectorId: 'b' }]],
    ['a string instead of an object', ['insp-1']],
  ])('returns INVALID_ARGUMENT for %s without calling the handler', async (_name, args) => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch('auth:access-token', handlers, trusted, args, () => {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(deps.auth.accessToken).not.toHaveBeenCalled();
  });

  it.each<[IpcChannel, unknown]>([
    ['auth:login', { ...login, certNo: '12ab' }],
    ['auth:login', { ...login, password: '' }],
    ['auth:login', { ...login, baseUrl: 'https://evil.example' }],
    ['auth:login', { certNo: login.certNo, password: 'x' }],
    ['auth:refresh', { inspectorId: 'insp-1', rejected: 42 }],
    ['auth:sign-out', { inspectorId: 'a/b' }],
    ['vault:store-wrapped-key', { inspectorId: 'insp-1', wrappedKey: '' }],
    ['vault:store-wrapped-key', { inspectorId: 'insp-1' }],
    ['vault:read-wrapped-key', { inspectorId: '' }],
    ['vault:forget', {}],
    ['vault:unlocked', { inspectorId: 'insp 1' }],
    ['vault:locked', { inspectorId: 'insp-1' }],
  ])('%s refuses %j with INVALID_ARGUMENT and touches no service', async (channel, request) => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch(channel, handlers, trusted, [request], () => {});
    expect(result.ok || result.error.code).toBe('INVALID_ARGUMENT');
    const services = [...Object.values(deps.auth), ...Object.values(deps.wrappedKeys)] as ReturnType<typeof vi.fn>[];
    for (const fn of services) expect(fn).not.toHaveBeenCalled();
  });

  it('refuses an oversized PDF with TOO_LARGE before any window or file exists', async () => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch('print:pdf', handlers, trusted, [{ bytes: pdf(MAX_PDF_BYTES + 1) }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('MB') } });
    expect(deps.print.createWindow).not.toHaveBeenCalled();
  });

  it('refuses a wrapped key over 4 KB with TOO_LARGE, and takes one of exactly 4 KB', async () => {
    const { deps, handlers } = spyHandlers();
    const wrappedKey = 'x'.repeat(MAX_WRAPPED_KEY_CHARS + 1);
    const result = await dispatch(
      'vault:store-wrapped-key',
      handlers,
      trusted,
      [{ inspectorId: 'insp-1', wrappedKey }],
      () => {},
    );
    expect(result.ok || result.error.code).toBe('TOO_LARGE');
    expect(deps.wrappedKeys.store).not.toHaveBeenCalled();
    const fits = await dispatch(
      'vault:store-wrapped-key',
      handlers,
      trusted,
      [{ inspectorId: 'insp-1', wrappedKey: wrappedKey.slice(1) }],
      () => {},
    );
    expect(fits).toEqual({ ok: true, value: { bound: true } });
  });

  it.each<[IpcChannel, unknown]>([
    ['auth:login', { ...login, password: 'p'.repeat(201) }],
    ['auth:refresh', { inspectorId: 'insp-1', rejected: 't'.repeat(MAX_TOKEN_CHARS + 1) }],
    ['auth:access-token', { inspectorId: 'i'.repeat(129) }],
  ])('%s refuses an oversized field with TOO_LARGE', async (channel, request) => {
    const { handlers } = spyHandlers();
    const result = await dispatch(channel, handlers, trusted, [request], () => {});
    expect(result.ok || result.error.code).toBe('TOO_LARGE');
  });

  it('refuses bytes that are not a PDF', async () => {
    const { handlers } = spyHandlers();
    const result = await dispatch(
      'file:save-pdf',
      handlers,
      trusted,
      [{ bytes: new Uint8Array(10), suggestedName: 'a' }],
      () => {},
    );
    expect(result.ok || result.error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('results and errors as data', () => {
  it('returns the validated value for a good call, and logs by channel without the payload', async () => {
    const { deps, handlers } = spyHandlers();
    const lines: string[] = [];
    const log = (m: string, d?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(d)}`);
    const result = await dispatch('auth:login', handlers, trusted, [login], log);
    expect(result).toEqual({ ok: true, value: { inspector, access, sealed: true } });
    expect(deps.auth.login).toHaveBeenCalledWith(login);
    expect(lines.join('\n')).toContain('auth:login');
    expect(lines.join('\n')).not.toContain('demo1234');
    expect(lines.join('\n')).not.toContain('aaaaaaaa');
  });

  it('an auth failure crosses as its own code', async () => {
    const { handlers } = spyHandlers();
    expect(await dispatch('auth:refresh', handlers, trusted, [{ inspectorId: 'insp-1' }], () => {})).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: '已锁定' },
    });
  });

  it('vault:unlocked marks the inspector; vault:locked forgets every mark', async () => {
    const { deps, handlers } = spyHandlers();
    expect(await dispatch('vault:unlocked', handlers, trusted, [{ inspectorId: 'insp-1' }], () => {})).toEqual({
      ok: true,
      value: { unlocked: true },
    });
    expect(deps.auth.markUnlocked).toHaveBeenCalledWith('insp-1');
    expect(await dispatch('vault:locked', handlers, trusted, [], () => {})).toEqual({
      ok: true,
      value: { locked: true },
    });
    expect(deps.auth.lockAll).toHaveBeenCalledOnce();
  });

  it('accepts a call with no argument for a no-argument channel', async () => {
    const { handlers } = spyHandlers();
    const result = await dispatch('app:info', handlers, trusted, [], () => {});
    expect(result.ok && result.value.versions.electron).toBe('45.4.1');
  });

  it('turns an IpcFailure into its code, and an unexpected error into INTERNAL without details', async () => {
    const { handlers } = spyHandlers();
    expect(await dispatch('config:get', handlers, trusted, [{}], () => {})).toEqual({
      ok: false,
      error: { code: 'CONFIG_INVALID', message: '配置文件无效' },
    });
    const broken = {
      ...handlers,
      'vault:forget': async () => Promise.reject(new Error('EACCES /home/x')),
    } satisfies IpcHandlers;
    const result = await dispatch('vault:forget', broken, trusted, [{ inspectorId: 'k' }], () => {});
    expect(result.ok || result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toContain('EACCES');
  });

  it('refuses a response that breaks the contract', async () => {
    const { handlers } = spyHandlers();
    const liar = { ...handlers, 'vault:forget': async () => ({ forgotten: 'yes' }) } as unknown as IpcHandlers;
    const result = await dispatch('vault:forget', liar, trusted, [{ inspectorId: 'k' }], () => {});
    expect(result.ok || result.error.code).toBe('INTERNAL');
  });

  it('IpcFailure thrown by a service keeps its code', async () => {
    const { handlers } = spyHandlers();
    const failing = {
      ...handlers,
      'vault:read-wrapped-key': async () => Promise.reject(new IpcFailure('SECRET_UNREADABLE', '无法解开')),
    } satisfies IpcHandlers;
    const result = await dispatch('vault:read-wrapped-key', failing, trusted, [{ inspectorId: 'k' }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'SECRET_UNREADABLE', message: '无法解开' } });
  });
});

describe('registration', () => {
  it('registers exactly one handler per contract channel', () => {
    const { handlers } = spyHandlers();
    const registered: string[] = [];
    registerIpcHandlers({ handle: (channel) => void registered.push(channel) }, handlers, () => {});
    expect(registered.sort()).toEqual([...IPC_CHANNELS].sort());
    expect(Object.keys(handlers).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('the registered listener applies the sender check', async () => {
    const { handlers } = spyHandlers();
    const listeners = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
    registerIpcHandlers({ handle: (channel, listener) => void listeners.set(channel, listener) }, handlers, () => {});
    const result = await listeners.get('app:info')?.(topFrame('https://evil.example/'));
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });
});
