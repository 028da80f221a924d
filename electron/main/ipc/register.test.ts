import type { WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { IPC_CHANNELS, MAX_PDF_BYTES, MAX_SECRET_CHARS } from '../../../shared/ipc/contract.js';
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
    secrets: { get: vi.fn(async () => 'tok'), set: vi.fn(async () => {}), delete: vi.fn(async () => true) },
    print: { tmpDir: '/tmp', registry: new Map(), createWindow: vi.fn() },
    save: vi.fn(),
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
    const result = await dispatch('secrets:get', handlers, event, [{ key: 'refresh-token' }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'FORBIDDEN_SENDER', message: expect.any(String) } });
    expect(deps.secrets.get).not.toHaveBeenCalled();
  });
});

describe('argument validation', () => {
  it.each<[string, unknown[]]>([
    ['a wrong type', [{ key: 42 }]],
    ['an unknown field', [{ key: 'refresh-token', extra: 1 }]],
    ['a key with path characters', [{ key: '../etc/passwd' }]],
    ['two arguments', [{ key: 'a' }, { key: 'b' }]],
    ['a string instead of an object', ['refresh-token']],
  ])('returns INVALID_ARGUMENT for %s without calling the handler', async (_name, args) => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch('secrets:get', handlers, trusted, args, () => {});
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_ARGUMENT');
    expect(deps.secrets.get).not.toHaveBeenCalled();
  });

  it('refuses an oversized PDF with TOO_LARGE before any window or file exists', async () => {
    const { deps, handlers } = spyHandlers();
    const result = await dispatch('print:pdf', handlers, trusted, [{ bytes: pdf(MAX_PDF_BYTES + 1) }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'TOO_LARGE', message: expect.stringContaining('MB') } });
    expect(deps.print.createWindow).not.toHaveBeenCalled();
  });

  it('refuses an oversized secret with TOO_LARGE', async () => {
    const { deps, handlers } = spyHandlers();
    const value = 'x'.repeat(MAX_SECRET_CHARS + 1);
    const result = await dispatch('secrets:set', handlers, trusted, [{ key: 'refresh-token', value }], () => {});
    expect(result.ok || result.error.code).toBe('TOO_LARGE');
    expect(deps.secrets.set).not.toHaveBeenCalled();
  });

  it('refuses bytes that are not a PDF', async () => {
    const { handlers } = spyHandlers();
    const result = await dispatch('file:save-pdf', handlers, trusted, [{ bytes: new Uint8Array(10), suggestedName: 'a' }], () => {});
    expect(result.ok || result.error.code).toBe('INVALID_ARGUMENT');
  });
});

describe('results and errors as data', () => {
  it('returns the validated value for a good call, and logs by channel without the payload', async () => {
    const { deps, handlers } = spyHandlers();
    const lines: string[] = [];
    const log = (m: string, d?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(d)}`);
    const result = await dispatch('secrets:get', handlers, trusted, [{ key: 'refresh-token' }], log);
    expect(result).toEqual({ ok: true, value: { value: 'tok' } });
    expect(deps.secrets.get).toHaveBeenCalledWith('refresh-token');
    expect(lines.join('\n')).toContain('secrets:get');
    expect(lines.join('\n')).not.toContain('tok"');
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
    const broken = { ...handlers, 'secrets:delete': async () => Promise.reject(new Error('EACCES /home/x')) } satisfies IpcHandlers;
    const result = await dispatch('secrets:delete', broken, trusted, [{ key: 'k' }], () => {});
    expect(result.ok || result.error.code).toBe('INTERNAL');
    expect(JSON.stringify(result)).not.toContain('EACCES');
  });

  it('refuses a response that breaks the contract', async () => {
    const { handlers } = spyHandlers();
    const liar = { ...handlers, 'secrets:delete': async () => ({ deleted: 'yes' }) } as unknown as IpcHandlers;
    const result = await dispatch('secrets:delete', liar, trusted, [{ key: 'k' }], () => {});
    expect(result.ok || result.error.code).toBe('INTERNAL');
  });

  it('IpcFailure thrown by a service keeps its code', async () => {
    const { handlers } = spyHandlers();
    const failing = { ...handlers, 'secrets:get': async () => Promise.reject(new IpcFailure('SECRETS_UNAVAILABLE', '不可用')) } satisfies IpcHandlers;
    const result = await dispatch('secrets:get', failing, trusted, [{ key: 'k' }], () => {});
    expect(result).toEqual({ ok: false, error: { code: 'SECRETS_UNAVAILABLE', message: '不可用' } });
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
