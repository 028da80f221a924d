/**
 * The attachments of the next sendable results go up while this one's last finish and its PUT is
 * answered, so a slow link never idles between results. Only attachments move ahead: each PUT still
 * goes in queue order, after all of its own attachments, with its own key. Nothing looks ahead while
 * the audit log is broken, nor for a result whose signature is refused (both are held back); once
 * the drain stops early, queued look-ahead uploads that have not started are dropped.
 */
import type { OutboxRow } from '../db/index.js';
import type { AttachmentUploader } from './tus-upload.js';

/**
 * Results whose attachments are queued behind the one being sent. One was not enough: the next
 * result's uploads then start only when the current one's PUT has been answered, so every result
 * paid an idle round trip on the link. Two keep a queued attachment ready for every freed slot.
 */
export const LOOK_AHEAD = 2;

export interface LookAhead {
  /** Queues the attachments of up to `depth` sendable results from `due[from]` on (each once per drain). */
  queue(from: number): void;
  /** Drops the queued uploads that have not started; settles when nothing it started still runs. */
  stop(): Promise<void>;
}

export interface LookAheadPlan {
  readonly uploader: AttachmentUploader | null | undefined;
  /** The drain's ops, in queue order. */
  readonly due: readonly OutboxRow[];
  /** Results whose signature the key refused: held back, so nothing of theirs goes ahead. */
  readonly refused: ReadonlyMap<string, string>;
  /** The first broken audit entry, or null: while the log is broken nothing goes ahead. */
  readonly brokenAt: number | null;
  readonly depth: number;
}

export function lookAhead({ uploader, due, refused, brokenAt, depth }: LookAheadPlan): LookAhead {
  let ahead: Promise<unknown> = Promise.resolve();
  const queued = new Set<string>();
  const stopped = new AbortController();
  return {
    queue(from) {
      if (!uploader || brokenAt !== null) return;
      const next = due
        .slice(from)
        .filter((o) => !refused.has(o.resultId))
        .slice(0, depth);
      for (const o of next) {
        if (queued.has(o.resultId)) continue;
        queued.add(o.resultId);
        // Its outcome is ignored here: the result's own turn prepares it again and reports the failure.
        const prepared = uploader.prepare(o.resultId, { ahead: true, signal: stopped.signal }).catch(() => undefined);
        ahead = Promise.all([ahead, prepared]);
      }
    },
    async stop() {
      stopped.abort();
      await ahead;
    },
  };
}
