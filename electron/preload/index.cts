/**
 * Preload (CommonJS, runs sandboxed): exposes `window.api` — one function per IPC contract channel,
 * nothing else. No generic invoke, no ipcRenderer, no Electron objects cross the bridge.
 * A sandboxed preload can require only `electron`, so the channel → method map is a literal here;
 * its type must equal the contract's (compile error otherwise) and a unit test compares the values.
 */
// A CommonJS preload under verbatimModuleSyntax must use import-equals syntax.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { BRIDGE_METHODS, IpcChannel } from '../../shared/ipc/contract.js';
import type { BridgeApi } from '../../shared/ipc/bridge.js';

const METHODS = {
  'app:info': 'appInfo',
  'config:get': 'getConfig',
  'secrets:get': 'getSecret',
  'secrets:set': 'setSecret',
  'secrets:delete': 'deleteSecret',
  'print:pdf': 'printPdf',
  'file:save-pdf': 'savePdf',
  'update:pick-package': 'pickUpdatePackage',
  'update:install-staged': 'installStagedUpdate',
} as const;

// Same channels (both directions) and the contract's method name for each: a drift fails to compile.
const methodsMatchContract: typeof BRIDGE_METHODS = METHODS;
const noExtraChannels: Record<keyof typeof METHODS, true> = {} as Record<IpcChannel, true>;
void methodsMatchContract;
void noExtraChannels;

function buildBridge(invoke: (channel: IpcChannel, request: unknown) => Promise<unknown>): BridgeApi {
  const api: Record<string, (request?: unknown) => Promise<unknown>> = {};
  for (const channel of Object.keys(METHODS) as IpcChannel[]) {
    // Exactly one argument reaches main: extra arguments are dropped here, not forwarded.
    api[METHODS[channel]] = (request?: unknown) => invoke(channel, request ?? {});
  }
  return Object.freeze(api) as unknown as BridgeApi;
}

const bridge = buildBridge((channel, request) => electron.ipcRenderer.invoke(channel, request));
electron.contextBridge.exposeInMainWorld('api', bridge);

export = { METHODS, buildBridge };
