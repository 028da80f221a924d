/** Pulling tasks, reference data and credit files onto the device, with progress for the sync screen. */
import type { PullPhase, PullProgress } from '../../sync/progress.js';
import type { Unsubscribe } from '../runtime.js';

export type SyncPhase = PullPhase;
/** The pull engine's progress plus when the last complete sync ended. */
export interface SyncProgress extends PullProgress {
  readonly lastSyncedAt: string | null;
  /** The link broke the last run and the service will continue by itself (see `message` for when). */
  readonly retrying?: boolean;
}
export interface SyncService {
  /** Pulls reference data, tasks and credit files; resumable from the stored cursors. */
  start(): Promise<void>;
  cancel(): void;
  progress(): SyncProgress;
  subscribe(listener: (p: SyncProgress) => void): Unsubscribe;
  /** Records that failed validation, with the reason, for the UI. */
  quarantine(): Promise<readonly { readonly key: string; readonly reason: string; readonly at: string }[]>;
}
