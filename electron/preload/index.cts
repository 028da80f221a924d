/**
 * Preload (CommonJS, runs sandboxed): exposes `window.api` — one function per IPC contract channel
 * and one subscription per event from main, nothing else. No generic invoke, no ipcRenderer, no
 * Electron objects cross the bridge (an event listener receives the payload, never the IPC event).
 * A sandboxed preload can require only `electron`, so the channel → method maps are literals here;
 * their types must equal the contract's (compile error otherwise) and a unit test compares the values.
 */
// A CommonJS preload under verbatimModuleSyntax must use import-equals syntax.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { BRIDGE_METHODS, EVENT_METHODS, IpcChannel, IpcEvent } from '../../shared/ipc/contract.js';
import type { BridgeApi } from '../../shared/ipc/bridge.js';

const METHODS = {
  'app:info': 'appInfo',
  'config:get': 'getConfig',
  'auth:login': 'login',
  'auth:access-token': 'accessToken',
  'auth:refresh': 'refreshAccess',
  'auth:sign-out': 'signOut',
  'vault:store-wrapped-key': 'storeWrappedKey',
  'vault:read-wrapped-key': 'readWrappedKey',
  'vault:forget': 'forgetWrappedKey',
  'vault:unlocked': 'reportUnlocked',
  'vault:locked': 'reportLocked',
  'print:pdf': 'printPdf',
  'file:save-pdf': 'savePdf',
  'file:save-bundle': 'saveBundle',
  'file:open-bundle': 'openBundle',
  'update:pick-package': 'pickUpdatePackage',
  'update:install-staged': 'installStagedUpdate',
} as const;

const EVENTS = {
  'vault:lock': 'onLock',
} as const;

// Same channels and events (both directions) and the contract's method names: a drift fails to compile.
const methodsMatchContract: typeof BRIDGE_METHODS = METHODS;
const noExtraChannels: Record<keyof typeof METHODS, true> = {} as Record<IpcChannel, true>;
const eventsMatchContract: typeof EVENT_METHODS = EVENTS;
const noExtraEvents: Record<keyof typeof EVENTS, true> = {} as Record<IpcEvent, true>;
void methodsMatchContract;
void noExtraChannels;
void eventsMatchContract;
void noExtraEvents;

type Listener = (payload: unknown) => void;

interface IpcRendererPart {
  invoke(channel: IpcChannel, request: unknown): Promise<unknown>;
  on(event: IpcEvent, listener: (ipcEvent: unknown, payload: unknown) => void): unknown;
  removeListener(event: IpcEvent, listener: (ipcEvent: unknown, payload: unknown) => void): unknown;
}

function buildBridge(ipc: IpcRendererPart): BridgeApi {
  const api: Record<string, (arg?: unknown) => unknown> = {};
  for (const channel of Object.keys(METHODS) as IpcChannel[]) {
    // Exactly one argument reaches main: extra arguments are dropped here, not forwarded.
    api[METHODS[channel]] = (request?: unknown) => ipc.invoke(channel, request ?? {});
  }
  for (const event of Object.keys(EVENTS) as IpcEvent[]) {
    api[EVENTS[event]] = (listener?: unknown) => {
      if (typeof listener !== 'function') throw new TypeError(`${EVENTS[event]} expects a listener function`);
      // The IPC event object (sender, ports) stays in the preload; only the payload is passed on.
      const forward = (_ipcEvent: unknown, payload: unknown) => (listener as Listener)(payload);
      ipc.on(event, forward);
      return () => void ipc.removeListener(event, forward);
    };
  }
  return Object.freeze(api) as unknown as BridgeApi;
}

const bridge = buildBridge(electron.ipcRenderer);
electron.contextBridge.exposeInMainWorld('api', bridge);

export = { METHODS, EVENTS, buildBridge };
