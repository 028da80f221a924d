/**
 * The implementation of every contract channel, wired to the services. Typed as `IpcHandlers`, so a
 * channel added to shared/ipc/contract.ts without a handler here does not compile.
 */
import type { AppInfo } from '../../../shared/ipc/contract.js';
import type { LoadedConfig } from '../services/config.js';
import { savePdf, type SaveDeps } from '../services/files.js';
import { printPdf, type PrintDeps } from '../services/print.js';
import type { SecretsService } from '../services/secrets.js';
import type { UpdateService } from '../services/update.js';
import { IpcFailure, type HandlerContext, type IpcHandlers } from './register.js';

export interface HandlerDeps {
  readonly appInfo: () => AppInfo;
  readonly config: LoadedConfig;
  readonly secrets: SecretsService;
  readonly print: PrintDeps;
  /** Save-dialog dependencies for the window that sent the request (dialogs are modal to it). */
  readonly save: (ctx: HandlerContext) => SaveDeps;
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
    'secrets:get': async ({ key }) => ({ value: await deps.secrets.get(key) }),
    'secrets:set': async ({ key, value }) => {
      await deps.secrets.set(key, value);
      return { stored: true };
    },
    'secrets:delete': async ({ key }) => ({ deleted: await deps.secrets.delete(key) }),
    'print:pdf': async ({ bytes, title }) => printPdf(deps.print, bytes, title),
    'file:save-pdf': async ({ bytes, suggestedName }, ctx) => savePdf(deps.save(ctx), bytes, suggestedName),
    'update:pick-package': async (_request, ctx) => ({ staged: await deps.update.pickAndStage(deps.pickUpdateFolder(ctx)) }),
    'update:install-staged': async ({ stagedId }) => deps.update.installStaged(stagedId),
  };
}
