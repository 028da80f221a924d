/**
 * The implementation of every contract channel, wired to the services. Typed as `IpcHandlers`, so a
 * channel added to shared/ipc/contract.ts without a handler here does not compile.
 */
import type { AppInfo } from '../../../shared/ipc/contract.js';
import type { LoadedConfig } from '../services/config.js';
import { openBundleFile, saveBundle, type OpenDeps } from '../services/bundle-files.js';
import { savePdf, type SaveDeps } from '../services/files.js';
import { printPdf, type PrintDeps } from '../services/print.js';
import type { AuthResult, MainAuthService } from '../services/auth.service.js';
import type { WrappedKeyService } from '../services/wrapped-key.service.js';
import type { UpdateService } from '../services/update.js';
import { IpcFailure, type HandlerContext, type IpcHandlers } from './register.js';

export interface HandlerDeps {
  readonly appInfo: () => AppInfo;
  readonly config: LoadedConfig;
  readonly auth: MainAuthService;
  readonly wrappedKeys: WrappedKeyService;
  readonly print: PrintDeps;
  /** Save-dialog dependencies for the window that sent the request (dialogs are modal to it). */
  readonly save: (ctx: HandlerContext) => SaveDeps;
  /** Open-dialog dependencies for the window that sent the request. */
  readonly open: (ctx: HandlerContext) => OpenDeps;
  readonly update: UpdateService;
  /** Folder dialog for the window that sent the request; null when cancelled. */
  readonly pickUpdateFolder: (ctx: HandlerContext) => () => Promise<string | null>;
}

export function createIpcHandlers(deps: HandlerDeps): IpcHandlers {
  return {
    'app:info': async () => deps.appInfo(),
    'config:get': async () => {
      if (!deps.config.ok) throw new IpcFailure('CONFIG_INVALID', deps.config.message);
      return deps.config.config;
    },
    'auth:login': async (request) => orFail(await deps.auth.login(request)),
    'auth:access-token': async ({ inspectorId }) => ({ access: orFail(await deps.auth.accessToken(inspectorId)) }),
    'auth:refresh': async ({ inspectorId, rejected }) => ({
      access: orFail(await deps.auth.refresh(inspectorId, rejected)),
    }),
    'auth:sign-out': async ({ inspectorId }) => ({ signedOut: await deps.auth.signOut(inspectorId) }),
    'vault:store-wrapped-key': async ({ inspectorId, wrappedKey }) => deps.wrappedKeys.store(inspectorId, wrappedKey),
    'vault:read-wrapped-key': async ({ inspectorId }) => deps.wrappedKeys.read(inspectorId),
    'vault:forget': async ({ inspectorId }) => deps.wrappedKeys.forget(inspectorId),
    'vault:unlocked': async ({ inspectorId }) => {
      deps.auth.markUnlocked(inspectorId);
      return { unlocked: true };
    },
    'vault:locked': async () => {
      deps.auth.lockAll();
      return { locked: true };
    },
    'print:pdf': async ({ bytes, title }) => printPdf(deps.print, bytes, title),
    'file:save-pdf': async ({ bytes, suggestedName }, ctx) => savePdf(deps.save(ctx), bytes, suggestedName),
    'file:save-bundle': async ({ bytes, suggestedName }, ctx) => saveBundle(deps.save(ctx), bytes, suggestedName),
    'file:open-bundle': async (_request, ctx) => openBundleFile(deps.open(ctx)),
    'update:pick-package': async (_request, ctx) => ({
      staged: await deps.update.pickAndStage(deps.pickUpdateFolder(ctx)),
    }),
    'update:install-staged': async ({ stagedId }) => deps.update.installStaged(stagedId),
  };
}

/** An expected auth failure crosses IPC as data with its own code. */
function orFail<T>(result: AuthResult<T>): T {
  if (!result.ok) throw new IpcFailure(result.error.kind, result.error.message);
  return result.value;
}
