/**
 * USB transfer of results (传输（U盘）): export the inspector's unsent results into one sealed bundle
 * for the platform, and import the platform's receipts bundle, which marks results safe exactly as
 * network receipts do. Neither step ever sends anything over the network.
 */

export interface UsbProgress {
  /** collect: reading results and evidence; seal: encrypting; verify: checking receipts; apply: storing. */
  readonly step: 'collect' | 'seal' | 'verify' | 'apply';
  readonly done: number;
  readonly total: number;
}

export interface UsbStepOptions {
  readonly onProgress?: (p: UsbProgress) => void;
  /** Aborting stops the step before anything is stored: nothing is half-done. */
  readonly signal?: AbortSignal;
}

export type UsbErrorKind =
  'nothing-to-export' | 'no-platform-key' | 'key-unregistered' | 'no-export' | 'refused' | 'unverified' | 'cancelled';

export interface UsbError {
  readonly kind: UsbErrorKind;
  /** zh-CN, for the inspector. */
  readonly message: string;
}

export type UsbExportResult =
  | {
      readonly ok: true;
      /** The sealed bundle (a Blob: a recording's bytes never sit whole in the JS heap). */
      readonly file: Blob;
      readonly fileName: string;
      readonly count: number;
      readonly bundleId: string;
      /** Results held back (audit log or signature does not hold, or too large for this file), with the reason. */
      readonly skipped: readonly { readonly resultId: string; readonly reason: string }[];
    }
  | { readonly ok: false; readonly error: UsbError };

export type UsbReceiptsResult =
  | { readonly ok: true; readonly marked: number; readonly published: number }
  | { readonly ok: false; readonly error: UsbError };

export type { PickedBundle, SavedBundle } from '../../platform/bundle-files.js';
import type { PickedBundle, SavedBundle } from '../../platform/bundle-files.js';

export interface UsbResultsService {
  /** Asks the inspector for a bundle file (native dialog in Electron, a file input in the browser). */
  pickFile(): Promise<PickedBundle>;
  /** Saves bundle bytes where the inspector chooses (Electron) or as a download (browser). */
  saveFile(file: Blob, fileName: string): Promise<SavedBundle>;
  /** Results that an export would carry now (unsent, not set aside or paused). */
  pendingCount(): Promise<number>;
  exportResults(options?: UsbStepOptions): Promise<UsbExportResult>;
  importReceipts(bytes: Uint8Array, options?: UsbStepOptions): Promise<UsbReceiptsResult>;
}
