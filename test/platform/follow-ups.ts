/**
 * 复查 on the platform side. Accepting a result with a 责令改正 / 指令书 finding creates the follow-up
 * task under the id the device already gave it (followUpTaskId of the result), so the device's offline
 * copy and the platform's merge on the next sync. A 复查 result must come on that task and name its
 * findings; once published it closes them and the 后续处置 outcome is shown beside the original.
 */
import { withRectificationReport, buildFollowUpTask } from '../../shared/domain/follow-up-task.js';
import { FINDING_FOLLOW_UP_STATE_LABELS, followUpTaskId } from '../../shared/domain/follow-up.js';
import { TaskSchema } from '../../shared/protocol/index.js';
import type { PublicResult, ResultUpload, Task } from '../../shared/protocol/index.js';
import { nextSeq } from './db.js';
import { CALENDAR } from './gen/calendar.js';
import type { Platform } from './state.js';

function loadTask(p: Platform, taskId: string): Task | null {
  const row = p.db.prepare('SELECT json FROM tasks WHERE id = ?').get(taskId) as { json: string } | undefined;
  return row ? TaskSchema.parse(JSON.parse(row.json)) : null;
}

/** Runs inside the accepting transaction; a follow-up that already exists (a replay) is left alone. */
export function createFollowUpTask(p: Platform, up: ResultUpload): Task | null {
  const original = loadTask(p, up.taskId);
  if (!original) return null;
  const fu = buildFollowUpTask(original, up.payload, CALENDAR);
  if (!fu || p.db.prepare('SELECT 1 FROM tasks WHERE id = ?').get(fu.id)) return null;
  p.db
    .prepare('INSERT INTO tasks (id, seq, version, status, enterprise_uscc, json) VALUES (?, ?, ?, ?, ?, ?)')
    .run(fu.id, nextSeq(p.db, 'task'), fu.version, fu.status, fu.enterprise.uscc, JSON.stringify(fu));
  // The same team as the original task, as it stands now (a member reassigned away does not follow).
  p.db
    .prepare(
      'INSERT INTO task_team (task_id, inspector_id, active) SELECT ?, inspector_id, 1 FROM task_team WHERE task_id = ? AND active = 1',
    )
    .run(fu.id, up.taskId);
  return fu;
}

/**
 * Why a 复查 result cannot be accepted, or null. It must be filed on the original's follow-up task and
 * cover only findings that task lists.
 */
export function followUpMismatch(p: Platform, up: ResultUpload): string | null {
  const of = up.payload.followUpOf;
  if (!of) return null;
  if (up.taskId !== followUpTaskId(of.resultId))
    return `复查结果应提交到原结果 ${of.resultId} 的复查任务（${followUpTaskId(of.resultId)}），而不是任务 ${up.taskId}`;
  const task = loadTask(p, up.taskId);
  const listed = new Set(task?.followUp?.findings.map((f) => f.itemCode) ?? []);
  const unknown = of.findings.find((f) => !listed.has(f.itemCode));
  return unknown ? `复查结果涉及的检查事项 ${unknown.itemCode} 不在原结果需复查的问题之列` : null;
}

/** The unit's rectification report reached the platform: a 指令书 follow-up's clock starts (new task version). */
export function recordRectificationReport(p: Platform, taskId: string, reportOn: string): Task {
  const task = loadTask(p, taskId);
  if (!task?.followUp) throw new Error(`${taskId} is not a follow-up task`);
  const next = { ...withRectificationReport(task, reportOn, CALENDAR), version: task.version + 1 };
  p.db
    .prepare('UPDATE tasks SET seq = ?, version = ?, json = ? WHERE id = ?')
    .run(nextSeq(p.db, 'task'), next.version, JSON.stringify(next), taskId);
  return next;
}

/** 后续处置 of a published result: what its published 复查 found, if there is one. */
export function publicFollowUp(
  p: Platform,
  resultId: string,
  itemName: (code: string) => string,
): PublicResult['followUp'] {
  const row = p.db
    .prepare(
      `SELECT body_json FROM results WHERE state = 'published' AND json_extract(body_json, '$.payload.followUpOf.resultId') = ?
       ORDER BY received_at DESC LIMIT 1`,
    )
    .get(resultId) as { body_json: string } | undefined;
  if (!row) return undefined;
  const up = JSON.parse(row.body_json) as ResultUpload;
  const findings = up.payload.followUpOf?.findings ?? [];
  const closed = findings.every((f) => f.state !== 'open');
  const corrected = findings.every((f) => f.state === 'corrected');
  return {
    checkedOn: up.payload.inspectedOn,
    closed,
    outcome: corrected
      ? '复查已改正，后续处置完结'
      : closed
        ? '复查后已移交处理，后续处置完结'
        : '复查仍未改正，后续处置未完结',
    findings: findings.map((f) => ({ item: itemName(f.itemCode), state: FINDING_FOLLOW_UP_STATE_LABELS[f.state] })),
  };
}
