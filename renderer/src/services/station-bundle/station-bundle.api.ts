/**
 * Importing a station bundle from a USB stick: the tasks, credit files, reference data and
 * document-number blocks the platform exported for this station, taken in as if they had been
 * synced, cursors included, so the next network sync is a delta.
 */
import type { BundleRefusalKind } from '../../../../shared/bundle/index.js';

export type StationImportStep = 'reading' | 'tasks' | 'enterprises' | 'done';

export interface StationImportProgress {
  readonly step: StationImportStep;
  readonly message: string;
  /** Bytes read (reading) or credit files written (enterprises). */
  readonly done: number;
  readonly total: number;
}

export type StationImportErrorKind =
  | BundleRefusalKind
  /** This laptop has no station key yet: one online sign-in of an inspector of the station gives it. */
  | 'no-station-key'
  /** The bundle carries nothing for the signed-in inspector. */
  | 'not-for-you'
  /** Signed by the platform, but its contents do not match the format (nothing imported). */
  | 'bad-contents'
  | 'cancelled'
  /** A sync or another import is running. */
  | 'busy';

export interface StationImportSummary {
  readonly tasks: number;
  readonly enterprises: number;
  readonly numberBlocks: number;
  /** Parts left as they were because this laptop already holds a newer state (zh-CN). */
  readonly skipped: readonly string[];
}

export type StationImportResult =
  | { readonly ok: true; readonly summary: StationImportSummary }
  | { readonly ok: false; readonly error: { readonly kind: StationImportErrorKind; readonly message: string } };

export interface StationImportOptions {
  readonly onProgress?: (p: StationImportProgress) => void;
  /**
   * Cancels the import. While the file is being read and verified nothing has been written; once the
   * credit files are being written each page commits with its cursor, so importing the same file
   * again (or the next network sync) continues after the last page written.
   */
  readonly signal?: AbortSignal;
}

export interface StationBundleService {
  importFile(file: Blob, options?: StationImportOptions): Promise<StationImportResult>;
  /** An import is running: a network sync would write the same cursors, so it waits. */
  importing(): boolean;
}
