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

/** The two WebContents events after which the renderer's vault key no longer exists in memory. */
export interface RendererResetEvents {
  onProcessGone(listener: () => void): void;
  onNavigation(
    listener: (navigation: { readonly isMainFrame: boolean; readonly isSameDocument: boolean }) => void,
  ): void;
}

/**
 * A renderer that crashed, reloaded or navigated has lost its unlocked vault without reporting a
 * lock, so main forgets the unlock marks too: an unlock mark must never outlive the key it stands for.
 */
export function lockOnRendererReset(events: RendererResetEvents, lockAll: () => void, log: Log): void {
  events.onProcessGone(() => {
    lockAll();
    log('locked', { reason: 'renderer gone' });
  });
  events.onNavigation(({ isMainFrame, isSameDocument }) => {
    // Hash-route changes are same-document navigations inside the unlocked app: no lock.
    if (!isMainFrame || isSameDocument) return;
    lockAll();
    log('locked', { reason: 'renderer navigated' });
  });
}
