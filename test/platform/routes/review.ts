/**
 * The reviewer's side: `GET /review` (a minimal page: results 待审核, each with 通过 / 退回 and a
 * note), `GET /v1/admin/reviews` and `POST /v1/admin/results/{id}/review` ({ decision, note }). The
 * two API routes need the admin secret; the page asks for it and sends it as the header, never in a URL.
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/protocol/index.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, html, json, parseWith, readJson } from '../http.js';
import { pendingReviews, reviewResult } from '../review.js';
import type { Platform } from '../state.js';
import { requireAdminSecret } from './admin-v1.js';
import { enterpriseName } from './public.js';

const ReviewBodySchema = z.object({ decision: z.enum(['approve', 'return']), note: z.string().max(500) });

export async function postReview(p: Platform, ctx: Ctx): Promise<Reply> {
  requireAdminSecret(p, ctx);
  const id = IdSchema.safeParse(ctx.params['id'] ?? '');
  if (!id.success) throw new HttpError(400, 'BAD_REQUEST', '结果编号格式不正确');
  const body = parseWith(ReviewBodySchema, await readJson(ctx), '审核意见');
  const out = reviewResult(p, id.data, body.decision, body.note);
  if (out.ok) return json(200, out);
  // Reviewing a result that is not 待审核 (already decided, or never reviewed) is refused and changes nothing.
  if (out.error.kind === 'not-found') throw new HttpError(404, 'NOT_FOUND', out.error.message);
  throw new HttpError(422, 'VALIDATION', out.error.message);
}

/** `GET /v1/admin/reviews`: the results 待审核, oldest first. */
export function listReviews(p: Platform, ctx: Ctx): Reply {
  requireAdminSecret(p, ctx);
  return json(200, {
    pending: pendingReviews(p).map((r) => ({ ...r, enterpriseName: enterpriseName(p, r.enterpriseUscc) })),
  });
}

/**
 * `GET /review`: the reviewer's page. It holds nothing itself: the reviewer types the admin secret, the
 * page lists the results 待审核 and sends each decision with the secret as the header.
 */
export function reviewPage(): Reply {
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>结果审核</title></head><body>
<h1>待审核的检查结果</h1>
<p><label>管理密钥 <input type="password" id="secret"></label> <button id="load">加载</button></p>
<table hidden id="list"><thead><tr><th>结果编号</th><th>企业</th><th>提交时间</th><th>类型</th><th>审核</th></tr></thead><tbody></tbody></table>
<p id="status" role="status"></p>
<script>
const secret = () => document.getElementById('secret').value;
const status = (t) => { document.getElementById('status').textContent = t; };
const cell = (tr, text) => { const td = tr.insertCell(); td.textContent = text; return td; };
async function load() {
  const res = await fetch('/v1/admin/reviews', { headers: { 'x-admin-secret': secret() } });
  const out = await res.json();
  if (!res.ok) return status(out.error ? out.error.message : '加载失败');
  const table = document.getElementById('list'); const body = table.tBodies[0]; body.replaceChildren();
  for (const r of out.pending) {
    const tr = body.insertRow(); tr.dataset.resultId = r.resultId;
    cell(tr, r.resultId); cell(tr, r.enterpriseName || r.enterpriseUscc);
    cell(tr, r.receivedAt.slice(0, 19).replace('T', ' ')); cell(tr, r.replaces ? '更正（原 ' + r.replaces + '）' : '首次提交');
    const td = tr.insertCell(); const note = document.createElement('input'); note.name = 'note';
    note.setAttribute('aria-label', '审核意见 ' + r.resultId); td.append(note);
    for (const [decision, label] of [['approve', '通过'], ['return', '退回']]) {
      const b = document.createElement('button'); b.textContent = label; b.dataset.decision = decision; td.append(' ', b);
    }
  }
  table.hidden = false;
  status(out.pending.length ? '共 ' + out.pending.length + ' 条待审核' : '没有待审核的结果');
}
document.getElementById('load').addEventListener('click', () => void load());
document.getElementById('list').addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-decision]'); if (!b) return;
  const tr = b.closest('tr'); const id = tr.dataset.resultId;
  const res = await fetch('/v1/admin/results/' + encodeURIComponent(id) + '/review', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-secret': secret() },
    body: JSON.stringify({ decision: b.dataset.decision, note: tr.querySelector('input[name=note]').value }) });
  const out = await res.json();
  status(res.ok ? id + (out.state === 'returned' ? ' 已退回' : ' 已通过') : (out.error && out.error.message));
  if (res.ok) tr.remove();
});
</script></body></html>`;
  return html(200, body);
}
