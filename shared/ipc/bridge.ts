/**
 * The type of `window.api`, derived from the IPC contract, so the renderer can type the Electron
 * bridge without importing anything from electron/. Method names come from the contract
 * (`appInfo`, `getConfig`, `login`, …); a channel whose request is empty takes no argument. Events
 * from main are subscriptions (`onLock(listener)`) that return their own unsubscribe function.
 */
import type {
  BridgeMethodName,
  EventMethodName,
  IpcChannel,
  IpcEvent,
  IpcRequest,
  IpcResponse,
  IpcResult,
} from './contract.js';

type EmptyObject = Record<string, never>;

export type BridgeMethod<C extends IpcChannel> =
  IpcRequest<C> extends EmptyObject
    ? (request?: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>
    : (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;

/**
 * A subscription to an event from main. The payload crosses the context bridge unvalidated (a
 * sandboxed preload cannot load zod), hence `unknown`: parse it with `IPC_EVENTS[event].payload`,
 * which yields `IpcEventPayload<E>`.
 */
export type BridgeSubscription = (listener: (payload: unknown) => void) => () => void;

/** `window.api` as exposed by electron/preload/index.cts. */
export type BridgeApi = {
  readonly [C in IpcChannel as BridgeMethodName<C>]: BridgeMethod<C>;
} & {
  readonly [E in IpcEvent as EventMethodName<E>]: BridgeSubscription;
};

/** Global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'api';
