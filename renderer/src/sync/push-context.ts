/**
 * What every part of the push engine shares: its dependencies (PushDeps, given by the caller) and
 * the drain's state (PushContext, one per engine). The drain (push-engine.ts), the per-result
 * pipeline (push-send.ts), the look-ahead (push-look-ahead.ts) and the receipts (push-receipts.ts)
 * all read the one context, so a log failure found while verifying a receipt is seen by the drain.
 */
import type { OutboxRepo, ResultsRepo } from '../db/index.js';
import type { HttpClient } from '../platform/http.js';
import type { PushSigning } from './push-signing.js';
import type { ReceiptVerifier } from './receipt-verify.js';
import type { AttachmentUploader } from './tus-upload.js';

export interface LockLike {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface PushDeps {
  readonly http: HttpClient;
  readonly outbox: OutboxRepo;
  readonly results: ResultsRepo;
  readonly deviceId: () => Promise<string>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly locks?: LockLike | null;
  readonly onChange?: () => void;
  /** Sends the result's attachments first; without it the result goes with no attachments. */
  readonly uploader?: AttachmentUploader | null;
  /**
   * Verifies the local audit hash chain before each drain; returns the seq of the first
   * broken entry, or null when intact. Results whose checkpoint covers a broken entry are paused.
   */
  readonly auditGate?: (() => Promise<number | null>) | null;
  /** Verifies receipts and the log's history before a result counts as safe; without it receipts are taken as they come. */
  readonly logVerifier?: ReceiptVerifier | null;
  /** The device key: every result goes with its signed checkpoint and the key's registered id. */
  readonly signing: PushSigning;
  /** How many results after the one being sent have their attachments queued (default LOOK_AHEAD). */
  readonly lookAhead?: number;
}

/** The engine's dependencies with their defaults filled in, and the state its parts share. */
export interface PushContext {
  readonly deps: PushDeps;
  readonly now: () => number;
  readonly random: () => number;
  /** Tells the caller the outbox changed (deps.onChange, when given). */
  readonly changed: () => void;
  /** Set when the platform's log failed verification: the ops behind the paused one say why, too. */
  logPause: { lastError: string; advice: string } | null;
}

export function pushContext(deps: PushDeps): PushContext {
  return {
    deps,
    now: deps.now ?? (() => Date.now()),
    random: deps.random ?? Math.random,
    changed: () => deps.onChange?.(),
    logPause: null,
  };
}
