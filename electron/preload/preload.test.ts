import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { BRIDGE_METHODS, EVENT_METHODS, IPC_CHANNELS, IPC_EVENT_NAMES } from '../../shared/ipc/contract.js';

/**
 * The preload is CommonJS (.cts) and runs sandboxed, where `require` knows only `electron`.
 * Vite cannot import .cts, so the test compiles the real source with TypeScript and runs it with a
 * `require` that offers a mocked `electron` and nothing else, like the sandbox does.
 */
const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, request: unknown) => ({ ok: true, value: { channel, request } }));
const ipcListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
const electronMock = {
  contextBridge: { exposeInMainWorld: (name: string, api: unknown) => exposed.set(name, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (event: unknown, payload: unknown) => void) =>
      ipcListeners.set(channel, (ipcListeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel: string, l: (event: unknown, payload: unknown) => void) =>
      ipcListeners.get(channel)?.delete(l),
  },
};
/** What main's webContents.send does: every listener gets (event, payload). */
const emitFromMain = (channel: string, payload: unknown) => {
  for (const l of ipcListeners.get(channel) ?? []) l({ sender: 'IPC-EVENT-OBJECT', ports: [] }, payload);
};
const sandboxRequire = (id: string): unknown => {
  if (id === 'electron') return electronMock;
  throw new Error(`sandboxed preload cannot require ${id}`);
};

const source = readFileSync(new URL('./index.cts', import.meta.url), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
});
const moduleObject: { exports: { METHODS?: Record<string, string>; EVENTS?: Record<string, string> } } = {
  exports: {},
};
new Function('require', 'module', 'exports', outputText)(sandboxRequire, moduleObject, moduleObject.exports);
const preload = moduleObject.exports;

describe('preload bridge', () => {
  it('exposes exactly one method per contract channel and one subscription per event under window.api, nothing else', () => {
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...Object.values(BRIDGE_METHODS), ...Object.values(EVENT_METHODS)].sort());
    expect(Object.keys(api)).not.toContain('on');
    expect(Object.keys(api)).not.toContain('invoke');
    expect(Object.values(api).every((f) => typeof f === 'function')).toBe(true);
    expect(Object.isFrozen(api)).toBe(true);
  });

  it('keeps its literal channel map equal to the contract', () => {
    expect(preload.METHODS).toEqual(BRIDGE_METHODS);
    expect(Object.keys(preload.METHODS ?? {}).sort()).toEqual([...IPC_CHANNELS].sort());
    expect(preload.EVENTS).toEqual(EVENT_METHODS);
    expect(Object.keys(preload.EVENTS ?? {}).sort()).toEqual([...IPC_EVENT_NAMES].sort());
  });

  it('onLock hands the listener the payload only, never the IPC event, and unsubscribes', () => {
    const api = exposed.get('api') as Record<string, (...args: unknown[]) => unknown>;
    const received: unknown[][] = [];
    const unsubscribe = api['onLock']?.((...args: unknown[]) => received.push(args)) as () => void;
    emitFromMain('vault:lock', { reason: 'suspend' });
    expect(received).toEqual([[{ reason: 'suspend' }]]);
    unsubscribe();
    emitFromMain('vault:lock', { reason: 'lock-screen' });
    expect(received).toHaveLength(1);
    expect(() => api['onLock']?.('not a function')).toThrow(TypeError);
  });

  it("forwards one argument to the method's own channel and drops extras", async () => {
    const api = exposed.get('api') as Record<string, (...args: unknown[]) => Promise<unknown>>;
    await api['accessToken']?.({ inspectorId: 'insp-1' }, 'extra');
    expect(invoke).toHaveBeenLastCalledWith('auth:access-token', { inspectorId: 'insp-1' });
    await api['appInfo']?.();
    expect(invoke).toHaveBeenLastCalledWith('app:info', {});
  });
});
