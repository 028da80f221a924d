/**
 * Single-instance lock: two processes would run two sync loops and two IndexedDB writers.
 * The second process quits; the first one restores and focuses its window.
 */
import type { App, BrowserWindow } from 'electron';

export type SingleInstanceApp = Pick<App, 'requestSingleInstanceLock' | 'quit' | 'on'>;

/** Returns false when another instance owns the lock (this process has been told to quit). */
export function acquireSingleInstance(app: SingleInstanceApp, getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const win = getWindow();
    if (win === null || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
