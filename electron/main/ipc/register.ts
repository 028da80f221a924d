/**
 * The one place IPC handlers are registered. For every call it: checks the sender (top frame,
 * app://bundle), parses the argument with the contract's request schema, runs the handler, checks
 * the response against the contract, logs by channel (never the payload: it may hold secrets),
 * and returns errors as data. The handler map type makes a missing channel a compile error.
 */
import type { WebContents } from 'electron';
import type { z } from 'zod';
import {
  IPC_CHANNELS,
  IPC_CONTRACT,
  TOO_LARGE_PARAM,
  ipcErr,
  ipcOk,
  type IpcChannel,
  type IpcErrorCode,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
} from '../../../shared/ipc/contract.js';
import { isAppBundleUrl } from '../trusted-url.js';
import type { Log } from '../security.js';

export interface HandlerContext {
  readonly sender: WebContents;
}

export type IpcHandlers = {
  readonly [C in IpcChannel]: (request: IpcRequest<C>, ctx: HandlerContext) => Promise<IpcResponse<C>>;
};

/** Thrown by services for an expected failure; becomes `{ ok:false, error }` for the renderer. */
export class IpcFailure extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcFailure';
  }
}

export interface SenderFrameLike {
  readonly url: string;
  readonly parent: unknown;
}

/** The parts of IpcMainInvokeEvent the check needs. */
export interface InvokeEventLike {
  readonly senderFrame: SenderFrameLike | null;
  readonly sender: WebContents;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
}

export function isTrustedSender(event: InvokeEventLike): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppBundleUrl(frame.url);
}

export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers, log: Log): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, (event, ...args) => dispatch(channel, handlers, event, args, log));
  }
}

export async function dispatch<C extends IpcChannel>(
  channel: C,
  handlers: IpcHandlers,
  event: InvokeEventLike,
  args: readonly unknown[],
  log: Log,
): Promise<IpcResult<IpcResponse<C>>> {
  if (!isTrustedSender(event)) {
    log('ipc refused: untrusted sender', { channel, url: event.senderFrame?.url ?? null });
    return ipcErr('FORBIDDEN_SENDER', '拒绝来自非应用页面的调用');
  }
  const contract = IPC_CONTRACT[channel];
  const parsed = args.length <= 1 ? contract.request.safeParse(args[0] ?? {}) : null;
  if (parsed === null || !parsed.success) {
    const error = parsed === null ? null : parsed.error;
    const code = error !== null && isTooLarge(error) ? 'TOO_LARGE' : 'INVALID_ARGUMENT';
    log('ipc refused: bad arguments', { channel, code });
    return ipcErr(code, error === null ? '参数个数不正确' : describe(error));
  }
  try {
    const handler = handlers[channel] as (request: unknown, ctx: HandlerContext) => Promise<unknown>;
    const value = contract.response.parse(await handler(parsed.data, { sender: event.sender }));
    log('ipc ok', { channel });
    return ipcOk(value as IpcResponse<C>);
  } catch (error) {
    if (error instanceof IpcFailure) {
      log('ipc failed', { channel, code: error.code, message: error.message });
      return ipcErr(error.code, error.message);
    }
    log('ipc internal error', { channel, error: String(error) });
    return ipcErr('INTERNAL', '内部错误，请重试或联系管理员');
  }
}

function isTooLarge(error: z.ZodError): boolean {
  return error.issues.some(
    (issue) => issue.code === 'too_big' || (issue.code === 'custom' && issue.params?.[TOO_LARGE_PARAM] === true),
  );
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('；');
}
