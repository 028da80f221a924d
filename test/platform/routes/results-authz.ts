/**
 * Who may put what in a result. The platform's own records decide, never the body: the enterprise
 * and the team come from the task, the attachments must be this inspector's uploads for this very
 * result, and the evidence the content hash covers must be among those attachments. A refusal
 * concerns that result only (the caller's other results go on), so none is stored under the key.
 */
import type { ErrorCode, Inspector, ResultUpload } from '../../../shared/protocol/index.js';
import { HttpError } from '../http.js';
import type { Platform } from '../state.js';

export interface Refusal {
  readonly status: number;
  readonly body: unknown;
}

function refusal(status: number, code: ErrorCode, message: string, details?: unknown): Refusal {
  return { status, body: { error: details === undefined ? { code, message } : { code, message, details } } };
}

/** Enterprise, team and `replaces` must agree with the task the platform holds. */
export function taskMismatch(p: Platform, me: Inspector, up: ResultUpload): Refusal | null {
  const task = p.db.prepare('SELECT enterprise_uscc FROM tasks WHERE id = ?').get(up.taskId) as
    { enterprise_uscc: string } | undefined;
  if (!task) return null;
  if (task.enterprise_uscc !== up.payload.enterpriseUscc)
    return refusal(
      422,
      'TASK_MISMATCH',
      `结果中的企业（${up.payload.enterpriseUscc}）不是任务 ${up.taskId} 的检查对象（${task.enterprise_uscc}），平台不接收`,
      { taskEnterpriseUscc: task.enterprise_uscc },
    );
  // Former members (a reassigned task) still count: the result was recorded while they were on the team.
  const team = new Set(
    (
      p.db.prepare('SELECT inspector_id FROM task_team WHERE task_id = ?').all(up.taskId) as { inspector_id: string }[]
    ).map((r) => r.inspector_id),
  );
  const strangers = up.payload.inspectorIds.filter((id) => !team.has(id));
  if (strangers.length > 0)
    return refusal(
      422,
      'TASK_MISMATCH',
      `检查人员 ${strangers.join('、')} 不在任务 ${up.taskId} 的检查组中，平台不接收`,
      {
        notOnTeam: strangers,
      },
    );
  if (!up.payload.inspectorIds.includes(me.id))
    return refusal(422, 'TASK_MISMATCH', `提交人（${me.id}）不在结果所列的检查人员中，平台不接收`);
  const replaced = up.payload.replaces
    ? (p.db.prepare('SELECT task_id FROM results WHERE result_id = ?').get(up.payload.replaces) as
        { task_id: string } | undefined)
    : undefined;
  // A correction can only replace a result of its own task; otherwise it would mark another
  // enterprise's public result as corrected.
  if (replaced && replaced.task_id !== up.taskId)
    return refusal(
      422,
      'TASK_MISMATCH',
      `被更正的结果 ${up.payload.replaces} 不属于任务 ${up.taskId}，平台不接收该更正`,
    );
  return null;
}

/** Every attachment already stored must be the caller's upload for this result; missing ones are another answer. */
export function foreignAttachments(p: Platform, me: Inspector, up: ResultUpload): Refusal | null {
  const stmt = p.db.prepare('SELECT inspector_id, result_id FROM attachments WHERE id = ?');
  const foreign = up.attachments
    .map((a) => a.id)
    .filter((id) => {
      const row = stmt.get(id) as { inspector_id: string; result_id: string } | undefined;
      return row !== undefined && (row.inspector_id !== me.id || row.result_id !== up.payload.resultId);
    });
  if (foreign.length === 0) return null;
  return refusal(
    403,
    'NOT_YOUR_UPLOAD',
    `附件 ${foreign.join('、')} 是其他检查人员或其他结果上传的，不能用于结果 ${up.payload.resultId}；更正结果须以新的附件编号重新上传证据`,
    { foreign },
  );
}

/** Body-only: the evidence the content hash covers must be among the attachments sent, hash for hash. */
export function requireEvidenceUploaded(up: ResultUpload): void {
  const sent = new Map(up.attachments.map((a) => [a.id, a.sha256]));
  const absent = (up.payload.evidence ?? []).filter((e) => sent.get(e.id) !== e.sha256).map((e) => e.id);
  if (absent.length > 0)
    throw new HttpError(
      422,
      'EVIDENCE_MISMATCH',
      `payload.evidence 中的 ${absent.length} 个证据不在本次上传的附件中（或校验值不同）：${absent.join('、')}`,
      { details: { absent } },
    );
}
