/**
 * Every BrowserWindow of the app is built here, with the same secure webPreferences: sandbox,
 * context isolation, no Node in any frame or worker, no <webview>, web security on, no insecure
 * content, DevTools only in unpacked (development) runs.
 */
import { BrowserWindow, type BrowserWindowConstructorOptions, type WebPreferences } from 'electron';

export interface WindowEnv {
  /** app.isPackaged: DevTools are disabled in packaged builds. */
  readonly packaged: boolean;
}

export function secureWebPreferences(env: WindowEnv, preload?: string): WebPreferences {
  return {
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: !env.packaged,
    ...(preload === undefined ? {} : { preload }),
  };
}

export function mainWindowOptions(env: WindowEnv, preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: '智慧监管现场检查',
    backgroundColor: '#ffffff',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(env, preloadPath),
  };
}

/** Hidden window that shows one PDF in Chromium's viewer and prints it. No preload: it needs no bridge. */
export function printWindowOptions(env: WindowEnv): BrowserWindowConstructorOptions {
  return {
    show: false,
    width: 800,
    height: 1000,
    title: '打印',
    webPreferences: { ...secureWebPreferences(env), plugins: true },
  };
}

export function createMainWindow(env: WindowEnv, preloadPath: string): BrowserWindow {
  const win = new BrowserWindow(mainWindowOptions(env, preloadPath));
  win.once('ready-to-show', () => win.show());
  return win;
}

export function createPrintWindow(env: WindowEnv): BrowserWindow {
  return new BrowserWindow(printWindowOptions(env));
}
