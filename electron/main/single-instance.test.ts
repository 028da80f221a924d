import type { BrowserWindow } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { acquireSingleInstance, type SingleInstanceApp } from './single-instance.js';

vi.mock('electron', () => ({}));

function fakeApp(gotLock: boolean) {
  const handlers = new Map<string, () => void>();
  const app = {
    requestSingleInstanceLock: vi.fn(() => gotLock),
    quit: vi.fn(),
    on: vi.fn((name: string, handler: () => void) => handlers.set(name, handler)),
  };
  return { app, asApp: app as unknown as SingleInstanceApp, secondInstance: () => handlers.get('second-instance')?.() };
}

function fakeWindow(minimized: boolean) {
  return { isDestroyed: () => false, isMinimized: () => minimized, restore: vi.fn(), show: vi.fn(), focus: vi.fn() };
}

describe('single-instance lock', () => {
  it('quits the second process', () => {
    const { app, asApp } = fakeApp(false);
    expect(acquireSingleInstance(asApp, () => null)).toBe(false);
    expect(app.quit).toHaveBeenCalledTimes(1);
    expect(app.on).not.toHaveBeenCalled();
  });

  it('the first process restores and focuses its window when a second one starts', () => {
    const { app, asApp, secondInstance } = fakeApp(true);
    const win = fakeWindow(true);
    expect(acquireSingleInstance(asApp, () => win as unknown as BrowserWindow)).toBe(true);
    expect(app.quit).not.toHaveBeenCalled();
    secondInstance();
    expect(win.restore).toHaveBeenCalledTimes(1);
    expect(win.focus).toHaveBeenCalledTimes(1);
  });

  it('ignores a second instance before the window exists', () => {
    const { asApp, secondInstance } = fakeApp(true);
    acquireSingleInstance(asApp, () => null);
    expect(() => secondInstance()).not.toThrow();
  });
});
