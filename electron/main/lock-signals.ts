/**
 * OS lock signals: when the machine suspends or the screen locks, main first forgets every unlock
 * mark (no access token leaves main from then on), then tells the app's windows to lock. The order
 * matters: a renderer slow to lock must not be able to fetch a token in between.
 */
import { IPC_EVENTS, type IpcEventPayload, type LockReason } from '../../shared/ipc/contract.js';
import type { Log } from './security.js';
import { isAppBundleUrl } from './trusted-url.js';

export interface PowerMonitorLike {
  on(event: 'suspend' | 'lock-screen', listener: () => void): unknown;
}

/** The parts of a WebContents the lock event needs. */
export interface LockTarget {
  isDestroyed(): boolean;
  getURL(): string;
  send(channel: 'vault:lock', payload: IpcEventPayload<'vault:lock'>): void;
}

export interface LockSignalDeps {
  readonly lockAll: () => void;
  readonly targets: () => readonly LockTarget[];
  readonly log: Log;
}

export function installLockSignals(powerMonitor: PowerMonitorLike, deps: LockSignalDeps): void {
  powerMonitor.on('suspend', () => lockEverything('suspend', deps));
  powerMonitor.on('lock-screen', () => lockEverything('lock-screen', deps));
}

export function lockEverything(reason: LockReason, deps: LockSignalDeps): void {
  deps.lockAll();
  const payload = IPC_EVENTS['vault:lock'].payload.parse({ reason });
  let sent = 0;
  for (const target of deps.targets()) {
    // Only the app's own pages get the event; a page elsewhere has no business knowing.
    if (target.isDestroyed() || !isAppBundleUrl(target.getURL())) continue;
    target.send('vault:lock', payload);
    sent += 1;
  }
  deps.log('locked', { reason, windows: sent });
}
