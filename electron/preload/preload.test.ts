import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHODS, IPC_CHANNELS } from '../../shared/ipc/contract.js';

/**
 * The preload is CommonJS (.cts) and runs sandboxed, where `require` knows only `electron`.
 * Vite cannot import .cts, so the test compiles the real source with TypeScript and runs it with a
 * `require` that offers a mocked `electron` and nothing else, like the sandbox does.
 */
const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } }));
const electronMock = {
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: { invoke },
};
const sandboxRequire = (id: string): unknown => {
  if (id === 'electron') return electronMock;
  throw new Error(`sandboxed preload cannot require ${id}`);
};

const source = readFileSync(new URL('./index.cts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
});
const moduleObject: { exports: { METHODS?: Record<string, string> } } = { exports: {} };
new Function('require', 'module', 'exports', outputText)(sandboxRequire, moduleObject, moduleObject.exports);
const preload = moduleObject.exports;

describe('preload bridge', () => {
  it('exposes exactly one method per contract channel under window.api, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(Object.values(BRIDGE_METHODS).sort());
    expect(Object.keys(api)).not.toContain('invoke');
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('keeps its literal channel map equal to the contract', () => {
    expect(preload.METHODS).toEqual(BRIDGE_METHODS);
    expect(Object.keys(preload.METHODS ?? {}).sort()).toEqual([...IPC_CHANNELS].sort());
  });

  it('forwards one argument to the method\'s own channel and drops extras', async () => {
    const api = exposed.get('api') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api['getSecret']?.({ key: 'refresh-token' }, 'extra');
    expect(invoke).toHaveBeenLastCalledWith('secrets:get', { key: 'refresh-token' });
    await api['appInfo']?.();
    expect(invoke).toHaveBeenLastCalledWith('app:info', {});
  });
});
