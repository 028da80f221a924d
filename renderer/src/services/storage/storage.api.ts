/** Storage health at start-up, the recovery ledger kept outside the database, and the audit chain check. */
import type { OutboxEntry, OutboxState } from '../outbox/outbox.api.js';

export interface StorageHealth {
  /** ok: marker present; fresh: first start; wiped/mismatch: the store was lost or replaced. */
  readonly state: 'ok' | 'fresh' | 'wiped' | 'mismatch';
  /** navigator.storage.persist() granted (or already persisted). */
  readonly persisted: boolean;
  /** zh-CN text for a recovery screen; null when ok/fresh. */
  readonly message: string | null;
}
/**
 * One result as the device last saw it, kept OUTSIDE the database (localStorage)
 * so that a wiped database can still be accounted for. `confirmed` = the platform's receipt said it
 * was accepted (or published) before the store was lost; unconfirmed ones were lost with the store.
 */
export interface LedgerEntry {
  readonly resultId: string;
  readonly taskId: string;
  readonly enterpriseName: string;
  readonly state: OutboxState;
  readonly confirmed: boolean;
  readonly seenAt: string;
}
export interface StorageService {
  /** Call once at start-up, before anything else: asks for persistence and checks the store marker. */
  health(): Promise<StorageHealth>;
  /** The results this device remembered outside its database, newest first. */
  ledger(): readonly LedgerEntry[];
  /** Mirror the outbox into the ledger (call on every outbox change). */
  remember(entries: readonly OutboxEntry[]): void;
  /**
   * The inspector read the recovery screen and confirmed. The new (empty) store
   * gets a marker and an audit entry naming what was lost; the ledger is cleared. Then re-sync.
   */
  acceptFresh(): Promise<void>;
}

export interface IntegrityReport {
  /** True when the hash-chained audit log verifies from the first entry to the head and every signed checkpoint holds. */
  readonly ok: boolean;
  /** The seq of the first entry that no longer verifies (edited, deleted or reordered), else null. */
  readonly brokenAt: number | null;
  readonly entries: number;
  /**
   * Finalized results whose device-key signed checkpoint no longer matches (content, audit head)
   * or does not verify: a log re-chained with plain hashes passes the chain check but lands here.
   */
  readonly badSignatures: readonly string[];
  /** zh-CN explanation for the alert; null when ok. */
  readonly message: string | null;
}
export interface IntegrityService {
  /** Recomputes the audit chain (start-up; the uploader checks again before every drain). */
  check(): Promise<IntegrityReport>;
}
