/**
 * The type of `window.api`, derived from the IPC contract, so the renderer can type the Electron
 * bridge without importing anything from electron/. Method names come from the contract
 * (`appInfo`, `getConfig`, `getSecret`, …); a channel whose request is empty takes no argument.
 */
import type { BridgeMethodName, IpcChannel, IpcRequest, IpcResponse, IpcResult } from './contract.js';

type EmptyObject = Record<string, never>;

export type BridgeMethod<C extends IpcChannel> = IpcRequest<C> extends EmptyObject
  ? (request?: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>
  : (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;

/** `window.api` as exposed by electron/preload/index.cts. */
export type BridgeApi = {
  readonly [C in IpcChannel as BridgeMethodName<C>]: BridgeMethod<C>;
};

/** Global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'api';
