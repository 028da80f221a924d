import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { installLockSignals, lockOnRendererReset, type LockTarget } from './lock-signals.js';

vi.mock('electron', () => ({}));

function target(url: string, destroyed = false) {
  const sent: unknown[][] = [];
  const t: LockTarget = { isDestroyed: () => destroyed, getURL: () => url, send: (...args) => void sent.push(args) };
  return { t, sent };
}

describe('OS lock signals', () => {
  it.each(['suspend', 'lock-screen'] as const)(
    '%s forgets every unlock mark, then tells the app windows to lock',
    (signal) => {
      const powerMonitor = new EventEmitter();
      const order: string[] = [];
      const app = target('app://bundle/index.html#/tasks');
      const remote = target('https://evil.example/');
      const gone = target('app://bundle/index.html', true);
      app.t.send = (...args) => {
        order.push('send');
        app.sent.push(args);
      };
      installLockSignals(powerMonitor, {
        lockAll: () => order.push('lockAll'),
        targets: () => [app.t, remote.t, gone.t],
        log: () => {},
      });
      expect(order).toEqual([]);
      powerMonitor.emit(signal);
      expect(order).toEqual(['lockAll', 'send']);
      expect(app.sent).toEqual([['vault:lock', { reason: signal }]]);
      expect(remote.sent).toEqual([]);
      expect(gone.sent).toEqual([]);
    },
  );

  it('ignores power events that do not lock', () => {
    const powerMonitor = new EventEmitter();
    const lockAll = vi.fn();
    installLockSignals(powerMonitor, { lockAll, targets: () => [], log: () => {} });
    powerMonitor.emit('resume');
    powerMonitor.emit('unlock-screen');
    expect(lockAll).not.toHaveBeenCalled();
  });
});

describe('renderer reset', () => {
  function wire() {
    const lockAll = vi.fn();
    let gone: () => void = () => {};
    let navigated: (n: { isMainFrame: boolean; isSameDocument: boolean }) => void = () => {};
    lockOnRendererReset(
      { onProcessGone: (l) => void (gone = l), onNavigation: (l) => void (navigated = l) },
      lockAll,
      () => {},
    );
    return {
      lockAll,
      gone: () => gone(),
      navigated: (n: { isMainFrame: boolean; isSameDocument: boolean }) => navigated(n),
    };
  }

  it('a crashed renderer or a reload forgets the unlock marks', () => {
    const w = wire();
    w.gone();
    expect(w.lockAll).toHaveBeenCalledTimes(1);
    w.navigated({ isMainFrame: true, isSameDocument: false });
    expect(w.lockAll).toHaveBeenCalledTimes(2);
  });

  it('hash-route changes and subframe navigations do not lock', () => {
    const w = wire();
    w.navigated({ isMainFrame: true, isSameDocument: true });
    w.navigated({ isMainFrame: false, isSameDocument: false });
    expect(w.lockAll).not.toHaveBeenCalled();
  });
});
