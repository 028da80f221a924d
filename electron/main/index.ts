/**
 * Composition root of the Electron main process. It wires the modules and owns no policy itself:
 * window.ts (windows), protocol.ts (app://), security.ts (navigation/permissions), ipc/ (the
 * contract's handlers), services/ (config, secrets, auth, wrapped key, print, files, update),
 * lock-signals.ts (OS suspend / screen lock), single-instance.ts.
 */
import { BrowserWindow, app, dialog, ipcMain, powerMonitor, protocol, safeStorage, session, shell } from 'electron';
import path from 'node:path';
import { buildCsp } from './csp.js';
import { createIpcHandlers } from './ipc/handlers.js';
import { registerIpcHandlers } from './ipc/register.js';
import { installLockSignals, lockOnRendererReset } from './lock-signals.js';
import { log } from './log.js';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './protocol.js';
import { hardenWebContents, installPermissionPolicy } from './security.js';
import { loadDeploymentConfig, type LoadedConfig } from './services/config.js';
import { createMainAuthService, type MainAuthService } from './services/auth.service.js';
import { createPlatformAuthClient } from './services/platform-auth.client.js';
import { createSecretsService, type SecretsService } from './services/secrets.js';
import { createSecretsFile } from './services/secrets-file.store.js';
import { createWrappedKeyService } from './services/wrapped-key.service.js';
import { createUpdateService } from './services/update.js';
import { UPDATE_PUBLIC_KEYS } from './services/update-public-key.js';
import type { PrintRegistry } from './services/print.js';
import { acquireSingleInstance } from './single-instance.js';
import { APP_ENTRY_URL, APP_SCHEME, httpOrigin } from './trusted-url.js';
import { createMainWindow, createPrintWindow, type WindowEnv } from './window.js';

let mainWindow: BrowserWindow | null = null;

protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

if (acquireSingleInstance(app, () => mainWindow)) {
  app.on('window-all-closed', () => app.quit());
  app.whenReady().then(start).catch(fail);
}

async function start(): Promise<void> {
  const env: WindowEnv = { packaged: app.isPackaged };
  const appRoot = app.getAppPath();
  const config = await loadDeploymentConfig({
    userDataDir: app.getPath('userData'),
    exeDir: path.dirname(app.getPath('exe')),
    packaged: app.isPackaged,
    env: process.env,
  });
  if (!config.ok) log('deployment config invalid', { message: config.message });
  const printRegistry: PrintRegistry = new Map();
  const platform = config.ok ? config.config : null;

  protocol.handle(
    APP_SCHEME,
    createAppProtocolHandler({
      rendererRoot: path.join(appRoot, 'dist', 'renderer'),
      csp: buildCsp({ platformUrl: platform?.platformUrl ?? null, publicityUrl: platform?.publicityUrl ?? null }),
      printFile: (id) => printRegistry.get(id),
    }),
  );
  installPermissionPolicy(session.defaultSession, log);
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, {
      externalOrigins: externalOrigins(config),
      openExternal: (url) => shell.openExternal(url),
      log,
    }),
  );
  const secrets = createSecretsService(
    safeStorage,
    createSecretsFile({ file: path.join(app.getPath('userData'), 'secrets.json'), log }),
    process.platform,
  );
  const auth = createMainAuthService({
    client: platform === null ? null : createPlatformAuthClient({ baseUrl: platform.platformUrl }),
    secrets,
    log,
  });
  installLockSignals(powerMonitor, {
    lockAll: () => auth.lockAll(),
    targets: () => BrowserWindow.getAllWindows().map((w) => w.webContents),
    log,
  });
  registerIpcHandlers(ipcMain, createIpcHandlers(handlerDeps(env, config, printRegistry, auth, secrets)), log);

  mainWindow = createMainWindow(env, path.join(appRoot, 'dist', 'app', 'electron', 'preload', 'index.cjs'));
  mainWindow.on('closed', () => (mainWindow = null));
  const contents = mainWindow.webContents;
  lockOnRendererReset(
    {
      onProcessGone: (listener) => void contents.on('render-process-gone', listener),
      onNavigation: (listener) => void contents.on('did-start-navigation', (details) => listener(details)),
    },
    () => auth.lockAll(),
    log,
  );
  await mainWindow.loadURL(APP_ENTRY_URL);
}

function handlerDeps(
  env: WindowEnv,
  config: LoadedConfig,
  printRegistry: PrintRegistry,
  auth: MainAuthService,
  secrets: SecretsService,
) {
  return {
    appInfo: () => ({
      name: app.getName(),
      version: app.getVersion(),
      platform: process.platform,
      arch: process.arch,
      packaged: app.isPackaged,
      versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node },
    }),
    config,
    auth,
    wrappedKeys: createWrappedKeyService(secrets),
    print: { registry: printRegistry, createWindow: () => createPrintWindow(env) },
    save: ({ sender }: { sender: Electron.WebContents }) => {
      const owner = BrowserWindow.fromWebContents(sender);
      return {
        documentsDir: app.getPath('documents'),
        showSaveDialog: (options: Electron.SaveDialogOptions) =>
          owner === null ? dialog.showSaveDialog(options) : dialog.showSaveDialog(owner, options),
      };
    },
    open: ({ sender }: { sender: Electron.WebContents }) => {
      const owner = BrowserWindow.fromWebContents(sender);
      return {
        documentsDir: app.getPath('documents'),
        showOpenDialog: (options: Electron.OpenDialogOptions) =>
          owner === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(owner, options),
      };
    },
    update: createUpdateService({
      running: { version: app.getVersion(), platform: process.platform, arch: process.arch },
      publicKeys: UPDATE_PUBLIC_KEYS,
      stagingDir: path.join(app.getPath('userData'), 'updates'),
      openPath: (file) => shell.openPath(file),
      showItemInFolder: (file) => shell.showItemInFolder(file),
      log,
    }),
    pickUpdateFolder:
      ({ sender }: { sender: Electron.WebContents }) =>
      async (): Promise<string | null> => {
        const owner = BrowserWindow.fromWebContents(sender);
        const options: Electron.OpenDialogOptions = { title: '选择更新包文件夹', properties: ['openDirectory'] };
        const choice = await (owner === null ? dialog.showOpenDialog(options) : dialog.showOpenDialog(owner, options));
        return choice.canceled ? null : (choice.filePaths[0] ?? null);
      },
  };
}

function externalOrigins(config: LoadedConfig): string[] {
  const publicity = config.ok && config.config.publicityUrl !== null ? httpOrigin(config.config.publicityUrl) : null;
  return publicity === null ? [] : [publicity];
}

function fail(error: unknown): void {
  log('start-up failed', { error: String(error) });
  dialog.showErrorBox('启动失败', `应用无法启动：${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
}
