/**
 * Publication (一公开) state machine, keyed by resultId: accepted → published after
 * publishDelayMs; held results (cancelled / reassigned tasks) never publish. The unique
 * `publications.result_id` and the guarded state update make "published twice" impossible.
 */
import { ReceiptSchema } from '../../shared/protocol/index.js';
import type { Receipt } from '../../shared/protocol/index.js';
import { returnNote } from './review.js';
import { signReceipt } from './log-store.js';
import type { Platform } from './state.js';

interface DueRow {
  result_id: string;
  enterprise_uscc: string;
  received_at: string;
}

/** Publishes every accepted result that is due; returns how many were published now. */
export function publishDue(p: Platform): number {
  const now = p.now();
  const cutoff = new Date(now.getTime() - p.publishDelayMs).toISOString();
  return p.db.transaction(() => {
    // A result whose evidence went missing after acceptance is not published until it is re-sent.
    const due = p.db
      .prepare(
        `SELECT result_id, enterprise_uscc, received_at FROM results WHERE state = 'accepted' AND received_at <= ?
      AND NOT EXISTS (SELECT 1 FROM json_each(results.body_json, '$.attachments') a WHERE NOT EXISTS (
        SELECT 1 FROM attachments t WHERE t.id = json_extract(a.value, '$.id') AND t.sha256 = json_extract(a.value, '$.sha256')))`,
      )
      .all(cutoff) as DueRow[];
    let n = 0;
    for (const r of due) {
      const moved = p.db
        .prepare("UPDATE results SET state = 'published' WHERE result_id = ? AND state = 'accepted'")
        .run(r.result_id).changes;
      if (moved !== 1) continue;
      p.db
        .prepare('INSERT INTO publications (result_id, enterprise_uscc, published_at) VALUES (?, ?, ?)')
        .run(r.result_id, r.enterprise_uscc, now.toISOString());
      n += 1;
    }
    return n;
  })();
}

/** The receipt as stored, with the current publication state, signed by the platform's log key. */
export function currentReceipt(p: Platform, resultId: string): Receipt | null {
  const row = p.db.prepare('SELECT state, receipt_json FROM results WHERE result_id = ?').get(resultId) as
    { state: string; receipt_json: string } | undefined;
  if (!row) return null;
  const base = ReceiptSchema.parse(JSON.parse(row.receipt_json));
  const pub = p.db.prepare('SELECT published_at FROM publications WHERE result_id = ?').get(resultId) as
    { published_at: string } | undefined;
  const state = (['published', 'held', 'under_review', 'returned'] as const).find((s) => s === row.state) ?? 'accepted';
  const returned = state === 'returned' ? returnNote(p, resultId) : null;
  return signReceipt(p, {
    ...base,
    publication: { ...base.publication, state, publishedAt: pub?.published_at ?? null },
    ...(returned ? { review: returned } : {}),
  });
}

export function startPublisher(p: Platform, intervalMs = 200): () => void {
  const timer = setInterval(() => {
    try {
      publishDue(p);
    } catch (e) {
      console.error('[platform] publisher tick failed:', e);
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
