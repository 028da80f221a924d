/**
 * 一公开: the public JSON (`/v1/public/enterprises/{uscc}/results`), the public web pages (`/public`,
 * `/public/enterprises/{uscc}`); QR and hash verification are in public-verify.ts. Only published results and
 * public fields are shown: never the credit class, warnings or inspector notes.
 */
import { ITEM_OUTCOME_LABELS, resultSummary } from '../../../shared/domain/results.js';
import { ResultUploadSchema, TaskSchema, UsccSchema } from '../../../shared/protocol/index.js';
import type { PublicResult, PublicResultsResponse } from '../../../shared/protocol/index.js';
import { inspectorById } from '../auth.js';
import { SE525_TEMPLATE } from '../gen/se-525-template.js';
import { publicFollowUp } from '../follow-ups.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json } from '../http.js';
import { publishDue } from '../publisher.js';
import type { Platform } from '../state.js';
import { enterprisePage, indexPage, publicHtml } from './public-html.js';

interface PubRow {
  result_id: string;
  task_id: string;
  inspector_id: string;
  body_json: string;
  published_at: string;
}

export function enterpriseName(p: Platform, uscc: string): string | null {
  const row = p.db.prepare('SELECT name FROM enterprises WHERE uscc = ?').get(uscc) as { name: string } | undefined;
  return row?.name ?? null;
}

/** The published correction of the same task that replaces this result, if any. */
export function correctionOf(p: Platform, resultId: string): string | null {
  const row = p.db
    .prepare(
      `SELECT c.result_id FROM results c JOIN results r ON r.result_id = ? AND r.task_id = c.task_id
       WHERE c.state = 'published' AND json_extract(c.body_json, '$.payload.replaces') = r.result_id
       ORDER BY c.received_at LIMIT 1`,
    )
    .get(resultId) as { result_id: string } | undefined;
  return row?.result_id ?? null;
}

const TEMPLATE_ITEM_NAMES = new Map(SE525_TEMPLATE.items.map((i) => [i.code, i.name]));

/** Names an item of the result's task in words; items of a template added on site are named from it. */
export function itemNamer(p: Platform, taskId: string): (code: string) => string {
  const taskRow = p.db.prepare('SELECT json FROM tasks WHERE id = ?').get(taskId) as { json: string } | undefined;
  const task = taskRow ? TaskSchema.parse(JSON.parse(taskRow.json)) : null;
  return (code) => task?.items.find((i) => i.code === code)?.name ?? TEMPLATE_ITEM_NAMES.get(code) ?? '其他检查事项';
}

export function publicResults(p: Platform, uscc: string): PublicResult[] {
  const rows = p.db
    .prepare(
      `SELECT r.result_id, r.task_id, r.inspector_id, r.body_json, pub.published_at FROM publications pub
              JOIN results r ON r.result_id = pub.result_id WHERE pub.enterprise_uscc = ? ORDER BY pub.id`,
    )
    .all(uscc) as PubRow[];
  // A 复查 result is published with the result it re-checked (as its 后续处置), not as a row of its own.
  return rows.flatMap((r) => {
    const up = ResultUploadSchema.parse(JSON.parse(r.body_json));
    if (up.payload.followUpOf) return [];
    const taskRow = p.db.prepare('SELECT json FROM tasks WHERE id = ?').get(r.task_id) as { json: string } | undefined;
    const task = taskRow ? TaskSchema.parse(JSON.parse(taskRow.json)) : null;
    const itemName = itemNamer(p, r.task_id);
    const correctedBy = correctionOf(p, r.result_id);
    const followUp = publicFollowUp(p, r.result_id, itemName);
    const out: PublicResult = {
      resultId: r.result_id,
      authority: inspectorById(p, r.inspector_id)?.unit ?? '市场监督管理局',
      type: '抽查',
      planNo: task?.plan.code ?? '',
      planName: task?.plan.name ?? '',
      taskNo: task?.taskNo ?? '',
      inspectedOn: up.payload.inspectedOn,
      result: resultSummary(up.payload.resultCodes),
      items: up.payload.itemResults.map((i) => ({
        item: itemName(i.itemCode),
        result: ITEM_OUTCOME_LABELS[i.outcome],
      })),
      publishedAt: r.published_at,
      ...(correctedBy ? { correctedBy } : {}),
      ...(followUp ? { followUp } : {}),
    };
    return [out];
  });
}

function usccParam(ctx: Ctx): string {
  const u = UsccSchema.safeParse((ctx.params['uscc'] ?? '').toUpperCase());
  if (!u.success) throw new HttpError(400, 'BAD_REQUEST', '统一社会信用代码格式不正确');
  return u.data;
}

export function publicResultsJson(p: Platform, ctx: Ctx): Reply {
  publishDue(p);
  const uscc = usccParam(ctx);
  const name = enterpriseName(p, uscc);
  if (name === null) throw new HttpError(404, 'NOT_FOUND', '未找到该企业');
  const out: PublicResultsResponse = { uscc, name, results: publicResults(p, uscc) };
  return json(200, out);
}

export function publicEnterpriseHtml(p: Platform, ctx: Ctx): Reply {
  publishDue(p);
  const uscc = usccParam(ctx);
  const name = enterpriseName(p, uscc);
  if (name === null) return publicHtml(404, indexPage([], uscc, '未找到该企业'));
  return publicHtml(200, enterprisePage(uscc, name, publicResults(p, uscc)));
}

export function publicIndexHtml(p: Platform, ctx: Ctx): Reply {
  publishDue(p);
  const q = (ctx.url.searchParams.get('q') ?? '').trim().slice(0, 50);
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const rows = p.db
    .prepare(
      // A corrected result stays on the enterprise's page, but the count is of current results.
      `SELECT e.uscc, e.name, COUNT(*) AS n, MAX(pub.published_at) AS last FROM publications pub JOIN enterprises e ON e.uscc = pub.enterprise_uscc
              JOIN results r ON r.result_id = pub.result_id
              WHERE (? = '' OR e.name LIKE ? ESCAPE '\\' OR e.uscc LIKE ? ESCAPE '\\')
              AND json_extract(r.body_json, '$.payload.followUpOf') IS NULL
              AND NOT EXISTS (SELECT 1 FROM results c WHERE c.task_id = r.task_id AND c.state = 'published'
                AND json_extract(c.body_json, '$.payload.replaces') = r.result_id)
              GROUP BY e.uscc ORDER BY last DESC LIMIT 200`,
    )
    .all(q, like, like) as { uscc: string; name: string; n: number; last: string }[];
  return publicHtml(200, indexPage(rows, q, null));
}
