/**
 * Print a PDF: the bytes stay in main's memory (a document names the party and the findings, and a
 * temp file would put them on the disk in clear), a hidden sandboxed print window loads them
 * through app://print/<id>.pdf (no file:// URLs), the system print dialog opens, and afterwards the
 * window is destroyed and the bytes dropped — whatever happened.
 */
import { randomUUID } from 'node:crypto';
import { IpcFailure } from '../ipc/register.js';
import { PRINT_HOST } from '../protocol.js';
import { APP_SCHEME } from '../trusted-url.js';

export interface PrintWindowLike {
  loadURL(url: string): Promise<void>;
  setTitle(title: string): void;
  destroy(): void;
  isDestroyed(): boolean;
  readonly webContents: {
    print(
      options: { silent: boolean; printBackground: boolean; pageSize: 'A4' },
      callback: (success: boolean, failureReason: string) => void,
    ): void;
  };
}

/** id → the PDF's bytes, in memory; the app:// protocol handler serves from here. */
export type PrintRegistry = Map<string, Uint8Array>;

export interface PrintDeps {
  readonly registry: PrintRegistry;
  readonly createWindow: () => PrintWindowLike;
}

export interface PrintOutcome {
  readonly printed: boolean;
  readonly reason: string | null;
}

export async function printPdf(deps: PrintDeps, bytes: Uint8Array, title?: string): Promise<PrintOutcome> {
  const id = randomUUID();
  let win: PrintWindowLike | null = null;
  try {
    deps.registry.set(id, bytes);
    win = deps.createWindow();
    if (title !== undefined) win.setTitle(title);
    await win.loadURL(`${APP_SCHEME}://${PRINT_HOST}/${id}.pdf`);
    return await showPrintDialog(win);
  } catch (error) {
    if (error instanceof IpcFailure) throw error;
    throw new IpcFailure('PRINT_FAILED', `打印失败：${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (win !== null && !win.isDestroyed()) win.destroy();
    deps.registry.delete(id);
  }
}

function showPrintDialog(win: PrintWindowLike): Promise<PrintOutcome> {
  return new Promise((resolve, reject) => {
    win.webContents.print({ silent: false, printBackground: true, pageSize: 'A4' }, (success, failureReason) => {
      if (success) resolve({ printed: true, reason: null });
      else if (/cancel/i.test(failureReason)) resolve({ printed: false, reason: '已取消打印' });
      else reject(new IpcFailure('PRINT_FAILED', `打印失败：${failureReason}`));
    });
  });
}
