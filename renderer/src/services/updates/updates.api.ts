import type { StagedUpdate } from '../../../../shared/ipc/contract.js';

export type { StagedUpdate };

/**
 * Offline updates from a signed package folder: only in Electron (main verifies and stages the
 * package). The browser build updates with its server, so `available()` is false there.
 */
export interface UpdatesService {
  available(): boolean;
  /** The running app's version, or null when main could not say. */
  version(): Promise<string | null>;
  /** Folder dialog → verified and staged package; staged:null when the inspector cancelled. */
  pickPackage(): Promise<{ ok: true; staged: StagedUpdate | null } | { ok: false; message: string }>;
  /** After the inspector confirmed: 'opened' the installer, or 'shown' its folder. */
  install(
    stagedId: string,
  ): Promise<{ ok: true; action: 'opened' | 'shown'; path: string } | { ok: false; message: string }>;
}
