import { beforeEach, describe, expect, it, vi } from 'vitest';

const constructed: unknown[] = [];
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: unknown) {
      constructed.push(options);
    }
    once(): void {}
  },
}));

const { createMainWindow, createPrintWindow, secureWebPreferences } = await import('./window.js');

const SECURE = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
};

beforeEach(() => {
  constructed.length = 0;
});

describe('window factory', () => {
  it('builds the main window with the secure preferences and the preload', () => {
    createMainWindow({ packaged: true }, '/app/preload/index.cjs');
    const options = constructed[0] as { show: boolean; webPreferences: Record<string, unknown> };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({ ...SECURE, preload: '/app/preload/index.cjs', devTools: false });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('builds the hidden print window with the same preferences, no preload, PDF viewer on', () => {
    createPrintWindow({ packaged: true });
    const options = constructed[0] as { show: boolean; webPreferences: Record<string, unknown> };
    expect(options.show).toBe(false);
    expect(options.webPreferences).toMatchObject({ ...SECURE, plugins: true, devTools: false });
    expect(options.webPreferences).not.toHaveProperty('preload');
  });

  it('enables DevTools only in unpacked development runs', () => {
    expect(secureWebPreferences({ packaged: false }).devTools).toBe(true);
    expect(secureWebPreferences({ packaged: true }).devTools).toBe(false);
  });
});
