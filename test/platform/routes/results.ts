/**
 * `PUT /v1/results/{id}` with Idempotency-Key semantics, and
 * `GET /v1/results/{id}/receipt`. The key is claimed first (so a concurrent duplicate gets
 * IN_FLIGHT), then every check and the write happen in ONE transaction. 5xx is never stored.
 * One live result per task: a second result for a task that already has an accepted one (another
 * team member's, or an earlier one of this device) is refused with RESULT_CONFLICT naming the
 * accepted result, unless it is a correction whose `replaces` names that result. A stored success
 * replayed while one of its attachments is gone answers ATTACHMENTS_MISSING (publication waits).
 * Who may do what (results-authz.ts): only the task team, with the task's enterprise and team,
 * evidence among its own uploads for this result; keys and receipts are not shared across accounts.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../../../shared/domain/canonical.js';
import { publicationDeadline } from '../../../shared/domain/dates.js';
import { IdSchema, ResultUploadSchema } from '../../../shared/protocol/index.js';
import type { ErrorCode, Inspector, Receipt, ResultUpload } from '../../../shared/protocol/index.js';
import { requireCaller, requireInspector } from '../auth.js';
import { CALENDAR } from '../gen/calendar.js';
import { sleep } from '../faults.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';
import { createFollowUpTask, followUpMismatch } from '../follow-ups.js';
import { reviewState } from '../review.js';
import { appendToLog, signReceipt } from '../log-store.js';
import { currentReceipt, publishDue } from '../publisher.js';
import type { Platform } from '../state.js';
import { requireSignedCheckpoint } from './devices.js';
import { foreignAttachments, requireEvidenceUploaded, taskMismatch } from './results-authz.js';
import { loseAttachment } from './uploads.js';

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const SKEW_LIMIT_MS = 24 * 3600 * 1000;

interface StoredResponse {
  status: number;
  body: unknown;
}
interface KeyRow {
  inspector_id: string;
  request_hash: string;
  state: string;
  status: number | null;
  response_json: string | null;
  result_id: string;
}

function errorBody(code: ErrorCode, message: string, details?: unknown): unknown {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Attachments of an accepted result that are no longer stored with their hash. */
export function lostAttachments(p: Platform, resultId: string): string[] {
  const row = p.db.prepare('SELECT body_json FROM results WHERE result_id = ?').get(resultId) as
    { body_json: string } | undefined;
  if (!row) return [];
  return missingAttachments(p, JSON.parse(row.body_json) as ResultUpload);
}

function missingReply(missing: string[]): Reply {
  return json(409, {
    error: {
      code: 'ATTACHMENTS_MISSING',
      message: `平台缺少 ${missing.length} 个附件，公示已暂停，请重新上传附件`,
      missing,
    },
  });
}

/** Replays refresh the receipt so the client learns the current publication state. */
function replay(p: Platform, row: KeyRow): Reply {
  const stored: StoredResponse = {
    status: row.status ?? 500,
    body: JSON.parse(row.response_json ?? 'null') as unknown,
  };
  const lost = stored.status >= 200 && stored.status < 300 ? lostAttachments(p, row.result_id) : [];
  if (lost.length > 0) return missingReply(lost);
  if (stored.status >= 200 && stored.status < 300)
    return json(200, currentReceipt(p, row.result_id) ?? stored.body, { 'Idempotent-Replayed': 'true' });
  return json(stored.status, stored.body, { 'Idempotent-Replayed': 'true' });
}

export function claimKey(p: Platform, key: string, me: Inspector, requestHash: string, resultId: string): Reply | null {
  return p.db.transaction((): Reply | null => {
    const row = p.db.prepare('SELECT * FROM idempotency WHERE key = ?').get(key) as KeyRow | undefined;
    if (!row) {
      p.db
        .prepare(
          "INSERT INTO idempotency (key, inspector_id, request_hash, state, result_id, created_at) VALUES (?, ?, ?, 'processing', ?, ?)",
        )
        .run(key, me.id, requestHash, resultId, p.now().toISOString());
      return null;
    }
    // Keys are per inspector: another account's key is no way to read (or replay) its answer.
    if (row.inspector_id !== me.id || row.request_hash !== requestHash)
      throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', '该幂等键已用于另一个请求体，不能复用');
    if (row.state === 'processing')
      throw new HttpError(409, 'IN_FLIGHT', '同一幂等键的请求仍在处理中，请稍后重试', {
        headers: { 'Retry-After': '1' },
      });
    // A success whose result the platform no longer has (restored from an older backup) is done
    // afresh under the same key, so the client's resend after a 404 receipt is stored again.
    const gone =
      row.status !== null &&
      row.status < 300 &&
      !p.db.prepare('SELECT 1 FROM results WHERE result_id = ?').get(row.result_id);
    if (gone) {
      p.db
        .prepare("UPDATE idempotency SET state = 'processing', status = NULL, response_json = NULL WHERE key = ?")
        .run(key);
      return null;
    }
    return replay(p, row);
  })();
}

export function finishKey(p: Platform, key: string, res: StoredResponse, store: boolean): void {
  if (store)
    p.db
      .prepare("UPDATE idempotency SET state = 'done', status = ?, response_json = ? WHERE key = ?")
      .run(res.status, JSON.stringify(res.body), key);
  else p.db.prepare('DELETE FROM idempotency WHERE key = ?').run(key);
}

function missingAttachments(p: Platform, up: ResultUpload): string[] {
  const stmt = p.db.prepare('SELECT sha256 FROM attachments WHERE id = ?');
  return up.attachments
    .filter((a) => (stmt.get(a.id) as { sha256: string } | undefined)?.sha256 !== a.sha256)
    .map((a) => a.id);
}

const checkpointTables = new WeakSet<object>();

/**
 * The audit checkpoint (count, head hash of the device's hash-chained audit log) is kept
 * per device. The platform cannot see the chain itself, but it can hold the device to its word: a
 * position it has seen must always carry the same hash. A device whose log was cut back and
 * re-chained (an entry deleted or edited, the hashes recomputed) reuses a position with another
 * hash, and is refused. Returns the refusal, or null when consistent.
 */
function checkpointMismatch(p: Platform, up: ResultUpload): StoredResponse | null {
  if (!checkpointTables.has(p.db)) {
    p.db.exec(
      'CREATE TABLE IF NOT EXISTS audit_checkpoints (device_id TEXT NOT NULL, count INTEGER NOT NULL, head_hash TEXT NOT NULL, result_id TEXT NOT NULL, PRIMARY KEY (device_id, count))',
    );
    checkpointTables.add(p.db);
  }
  const { count, headHash } = up.auditCheckpoint;
  const seen = p.db
    .prepare('SELECT head_hash, result_id FROM audit_checkpoints WHERE device_id = ? AND count = ?')
    .get(up.deviceId, count) as { head_hash: string; result_id: string } | undefined;
  if (!seen || seen.head_hash === headHash) return null;
  const message = `审计检查点不一致：本设备第 ${count} 条审计记录的摘要与平台此前收到的（结果 ${seen.result_id}）不同，本机审计日志可能被修改或删除，平台拒收该结果`;
  return {
    status: 422,
    body: errorBody('VALIDATION', message, { auditCheckpoint: { count, seenHeadHash: seen.head_hash, headHash } }),
  };
}

function recordCheckpoint(p: Platform, up: ResultUpload): void {
  p.db
    .prepare('INSERT OR IGNORE INTO audit_checkpoints (device_id, count, head_hash, result_id) VALUES (?, ?, ?, ?)')
    .run(up.deviceId, up.auditCheckpoint.count, up.auditCheckpoint.headHash, up.payload.resultId);
}

/** Every check and the write; runs inside the caller's transaction. Returns the response and whether to store it under the key. */
export function accept(p: Platform, me: Inspector, up: ResultUpload): { res: StoredResponse; store: boolean } {
  const id = up.payload.resultId;
  const task = p.db.prepare('SELECT status FROM tasks WHERE id = ?').get(up.taskId) as { status: string } | undefined;
  if (!task) return { res: { status: 422, body: errorBody('VALIDATION', `任务 ${up.taskId} 不存在`) }, store: false };
  const member = p.db
    .prepare('SELECT active FROM task_team WHERE task_id = ? AND inspector_id = ?')
    .get(up.taskId, me.id) as { active: number } | undefined;
  // Not stored under the key: it concerns this result only, and the caller's other results go on.
  // Checked before an existing result is answered, so its receipt goes to the team only.
  if (!member)
    return {
      res: {
        status: 403,
        body: errorBody('NOT_YOUR_TASK', `您不在任务 ${up.taskId} 的检查组中，平台不接收您提交的该任务结果`),
      },
      store: false,
    };
  const existing = p.db.prepare('SELECT content_hash, held_reason FROM results WHERE result_id = ?').get(id) as
    { content_hash: string; held_reason: string | null } | undefined;
  if (existing) {
    if (existing.content_hash !== up.contentHash) {
      return {
        res: {
          status: 409,
          body: errorBody('RESULT_CONFLICT', '该结果编号已存在且内容不同，平台不会覆盖，请核对后以更正结果重新提交'),
        },
        store: true,
      };
    }
    const receipt = currentReceipt(p, id);
    if (existing.held_reason)
      return {
        res: {
          status: 409,
          body: errorBody(existing.held_reason as ErrorCode, heldMessage(existing.held_reason), { receipt }),
        },
        store: true,
      };
    return { res: { status: 200, body: receipt }, store: true };
  }
  const refused = taskMismatch(p, me, up) ?? foreignAttachments(p, me, up);
  if (refused) return { res: refused, store: false };
  const wrongFollowUp = followUpMismatch(p, up);
  if (wrongFollowUp) return { res: { status: 422, body: errorBody('TASK_MISMATCH', wrongFollowUp) }, store: false };
  const live = liveResultOf(p, up.taskId);
  if (live && live !== up.payload.replaces) {
    const message = `该任务已有被平台接收的检查结果（编号 ${live}），平台不会重复接收或公示；如本结果是更正，请以 replaces = ${live} 作为更正结果提交`;
    return {
      res: { status: 409, body: errorBody('RESULT_CONFLICT', message, { acceptedResultId: live }) },
      store: true,
    };
  }
  const missing = missingAttachments(p, up);
  if (missing.length > 0) {
    return {
      res: {
        status: 409,
        body: {
          error: {
            code: 'ATTACHMENTS_MISSING',
            message: `有 ${missing.length} 个附件尚未上传或校验值不符，请先上传附件`,
            missing,
          },
        },
      },
      store: false,
    };
  }
  const mismatch = checkpointMismatch(p, up);
  if (mismatch) return { res: mismatch, store: false };
  recordCheckpoint(p, up);
  const review = reviewState(p);
  const held =
    task.status === 'cancelled'
      ? 'TASK_CANCELLED'
      : task.status === 'reassigned' || !member.active
        ? 'TASK_REASSIGNED'
        : null;
  const now = p.now();
  const receipt: Receipt = {
    resultId: id,
    receivedAt: now.toISOString(),
    contentHash: up.contentHash,
    attachmentHashes: up.attachments.map((a) => ({ id: a.id, sha256: a.sha256 })),
    publication: {
      state: held ? 'held' : review,
      publishedAt: null,
      deadline: publicationDeadline(up.payload.inspectedOn, CALENDAR),
    },
    clockSkewFlagged: Math.abs(Date.parse(up.recordedAt) - now.getTime()) > SKEW_LIMIT_MS,
    // In the accepting transaction: the result is stored exactly when its leaf is in the log.
    log: appendToLog(p, up),
  };
  p.db
    .prepare(
      `INSERT INTO results (result_id, content_hash, task_id, inspector_id, enterprise_uscc, state, held_reason, received_at, receipt_json, body_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      up.contentHash,
      up.taskId,
      me.id,
      up.payload.enterpriseUscc,
      held ? 'held' : review,
      held,
      receipt.receivedAt,
      JSON.stringify(receipt),
      JSON.stringify(up),
    );
  const signed = signReceipt(p, receipt);
  if (held) return { res: { status: 409, body: errorBody(held, heldMessage(held), { receipt: signed }) }, store: true };
  createFollowUpTask(p, up);
  return { res: { status: 201, body: signed }, store: true };
}

/** The task's accepted (or published) result that no other result replaces, if any. */
function liveResultOf(p: Platform, taskId: string): string | null {
  const row = p.db
    .prepare(
      `SELECT r.result_id FROM results r WHERE r.task_id = ? AND r.state IN ('accepted', 'under_review', 'published')
      AND NOT EXISTS (SELECT 1 FROM results c WHERE c.task_id = r.task_id AND json_extract(c.body_json, '$.payload.replaces') = r.result_id)
      ORDER BY r.received_at DESC LIMIT 1`,
    )
    .get(taskId) as { result_id: string } | undefined;
  return row?.result_id ?? null;
}

function heldMessage(code: string): string {
  return code === 'TASK_CANCELLED'
    ? '任务已撤销：结果已保存但暂不公示，请复核'
    : '任务已改派：结果已保存但暂不公示，请复核';
}

/**
 * The body checks that need no database: path id, task id, device and content hash. Shared with the
 * USB import, where the device comes from the bundle's verified signature instead of a token.
 */
export function checkUpload(up: ResultUpload, resultId: string, deviceId: string): void {
  if (up.payload.resultId !== resultId)
    throw new HttpError(422, 'VALIDATION', '路径中的结果编号与 payload.resultId 不一致');
  if (up.payload.taskId !== up.taskId) throw new HttpError(422, 'VALIDATION', 'payload.taskId 与 taskId 不一致');
  // The audit checkpoints are kept per device: a body naming another device would write to its record.
  if (up.deviceId !== deviceId)
    throw new HttpError(422, 'VALIDATION', `deviceId（${up.deviceId}）与登录设备（${deviceId}）不一致`);
  if (sha256(canonicalJson(up.payload)) !== up.contentHash)
    throw new HttpError(422, 'VALIDATION', 'contentHash 与结果内容的 SHA-256 不符');
  requireEvidenceUploaded(up);
}

/** The stored request identity: upload URLs are transport detail (a re-uploaded attachment gets a new one). */
export function requestHashOf(resultId: string, up: ResultUpload): string {
  return sha256(
    canonicalJson({ resultId, body: { ...up, attachments: up.attachments.map((a) => ({ ...a, uploadUrl: null })) } }),
  );
}

export async function putResult(p: Platform, ctx: Ctx): Promise<Reply> {
  const { inspector: me, deviceId } = requireCaller(p, ctx);
  const idCheck = IdSchema.safeParse(ctx.params['id'] ?? '');
  if (!idCheck.success) throw new HttpError(400, 'BAD_REQUEST', '结果编号格式不正确');
  const key = ctx.req.headers['idempotency-key'];
  if (typeof key !== 'string' || !IdSchema.safeParse(key).success)
    throw new HttpError(400, 'BAD_REQUEST', '缺少或无效的 Idempotency-Key 请求头');
  const up = parseWith(ResultUploadSchema, await readJson(ctx), '检查结果');
  checkUpload(up, idCheck.data, deviceId);
  // Before the key is claimed: a refused signature is about this body only, and the device that
  // registers its key (or an honest resend) must not meet a stored refusal under the same key.
  await requireSignedCheckpoint(p, me.id, deviceId, up);
  const requestHash = requestHashOf(idCheck.data, up);
  const replayed = claimKey(p, key, me, requestHash, idCheck.data);
  if (replayed) return replayed;
  try {
    if (ctx.fault?.kind === 'delay') await sleep(ctx.fault.ms);
    if (ctx.fault?.kind === 'lose-attachment' && up.attachments[0]) loseAttachment(p, up.attachments[0].id);
    const { res } = p.db.transaction(() => {
      const out = accept(p, me, up);
      finishKey(p, key, out.res, out.store);
      if (ctx.fault?.kind === 'fail-before-commit')
        throw new HttpError(500, 'INTERNAL', '模拟故障：提交前失败（已回滚）');
      return out;
    })();
    if (ctx.fault?.kind === 'lose-attachment-after-commit' && up.attachments[0])
      loseAttachment(p, up.attachments[0].id);
    return json(
      res.status,
      res.body,
      res.status === 201 ? { Location: `/v1/results/${encodeURIComponent(idCheck.data)}/receipt` } : {},
    );
  } catch (e) {
    p.db.prepare("DELETE FROM idempotency WHERE key = ? AND state = 'processing'").run(key);
    throw e;
  }
}

export function getReceipt(p: Platform, ctx: Ctx): Reply {
  const me = requireInspector(p, ctx);
  publishDue(p);
  const id = ctx.params['id'] ?? '';
  const receipt = currentReceipt(p, id);
  if (!receipt) throw new HttpError(404, 'NOT_FOUND', '平台上没有该结果');
  // Former members too: a reassigned inspector still follows the result they submitted.
  const onTeam = p.db
    .prepare(
      'SELECT 1 FROM results r JOIN task_team t ON t.task_id = r.task_id WHERE r.result_id = ? AND t.inspector_id = ?',
    )
    .get(id, me.id);
  if (!onTeam) throw new HttpError(403, 'NOT_YOUR_TASK', '您不在该结果所属任务的检查组中，不能查看其回执');
  const lost = receipt.publication.state === 'published' ? [] : lostAttachments(p, id);
  return lost.length > 0 ? missingReply(lost) : json(200, receipt);
}
