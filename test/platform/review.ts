/**
 * Review before publication (审核), where the deployment has it: an accepted result waits 待审核
 * (`under_review`); a reviewer approves it (→ accepted, then published once by the publisher) or
 * returns it with a note (审核退回, `returned`: never published; the inspector files a correction,
 * which is reviewed in turn). Reviewers act through the admin routes (admin secret).
 */
import type { Platform } from './state.js';

const ready = new WeakSet<object>();

function ensureTable(p: Platform): void {
  if (ready.has(p.db)) return;
  p.db.exec(
    `CREATE TABLE IF NOT EXISTS result_reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, result_id TEXT NOT NULL,
      decision TEXT NOT NULL, note TEXT NOT NULL, reviewed_at TEXT NOT NULL)`,
  );
  ready.add(p.db);
}

/** The state a newly accepted result takes: 待审核 where the deployment reviews, else accepted. */
export function reviewState(p: Platform): 'under_review' | 'accepted' {
  return p.review ? 'under_review' : 'accepted';
}

export type ReviewDecision = 'approve' | 'return';

export type ReviewOutcome =
  | { ok: true; resultId: string; state: 'accepted' | 'returned' }
  | { ok: false; error: { kind: 'not-found' | 'not-under-review' | 'note-required'; message: string } };

/** Approve or return one result that is under review. Runs in one transaction. */
export function reviewResult(p: Platform, resultId: string, decision: ReviewDecision, note: string): ReviewOutcome {
  ensureTable(p);
  const trimmed = note.trim();
  if (decision === 'return' && trimmed.length === 0)
    return { ok: false, error: { kind: 'note-required', message: '审核退回必须填写审核意见' } };
  return p.db.transaction((): ReviewOutcome => {
    const row = p.db.prepare('SELECT state FROM results WHERE result_id = ?').get(resultId) as
      { state: string } | undefined;
    if (!row) return { ok: false, error: { kind: 'not-found', message: `平台上没有结果 ${resultId}` } };
    if (row.state !== 'under_review')
      return {
        ok: false,
        error: { kind: 'not-under-review', message: `结果 ${resultId} 不在待审核状态（${row.state}）` },
      };
    const state = decision === 'approve' ? 'accepted' : 'returned';
    p.db.prepare("UPDATE results SET state = ? WHERE result_id = ? AND state = 'under_review'").run(state, resultId);
    p.db
      .prepare('INSERT INTO result_reviews (result_id, decision, note, reviewed_at) VALUES (?, ?, ?, ?)')
      .run(resultId, decision, trimmed, p.now().toISOString());
    return { ok: true, resultId, state };
  })();
}

/** The latest 审核退回 note of a result, if it was returned. */
export function returnNote(p: Platform, resultId: string): { note: string; reviewedAt: string } | null {
  ensureTable(p);
  const row = p.db
    .prepare(
      "SELECT note, reviewed_at FROM result_reviews WHERE result_id = ? AND decision = 'return' ORDER BY id DESC LIMIT 1",
    )
    .get(resultId) as { note: string; reviewed_at: string } | undefined;
  return row ? { note: row.note, reviewedAt: row.reviewed_at } : null;
}

export interface PendingReview {
  resultId: string;
  taskId: string;
  enterpriseUscc: string;
  receivedAt: string;
  replaces: string | null;
}

export function pendingReviews(p: Platform): PendingReview[] {
  const rows = p.db
    .prepare(
      `SELECT result_id, task_id, enterprise_uscc, received_at, json_extract(body_json, '$.payload.replaces') AS replaces
       FROM results WHERE state = 'under_review' ORDER BY received_at`,
    )
    .all() as {
    result_id: string;
    task_id: string;
    enterprise_uscc: string;
    received_at: string;
    replaces: string | null;
  }[];
  return rows.map((r) => ({
    resultId: r.result_id,
    taskId: r.task_id,
    enterpriseUscc: r.enterprise_uscc,
    receivedAt: r.received_at,
    replaces: r.replaces,
  }));
}
