/**
 * The reviewer's side: `GET /v1/admin/review` (a minimal page listing results 待审核, each with
 * 通过 / 退回 and a note) and `POST /v1/admin/results/{id}/review` ({ decision, note }). Both need the
 * admin secret; the page asks for it and sends it as the header, it never carries it in a URL.
 */
import { z } from 'zod';
import { IdSchema } from '../../../shared/protocol/index.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, html, json, parseWith, readJson } from '../http.js';
import { pendingReviews, reviewResult } from '../review.js';
import type { Platform } from '../state.js';
import { requireAdminSecret } from './admin-v1.js';
import { esc } from './public-html.js';
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

export function reviewPage(p: Platform, ctx: Ctx): Reply {
  requireAdminSecret(p, ctx);
  const rows = pendingReviews(p)
    .map(
      (
        r,
      ) => `<tr data-result-id="${esc(r.resultId)}"><td class="mono">${esc(r.resultId)}</td><td>${esc(enterpriseName(p, r.enterpriseUscc) ?? r.enterpriseUscc)}</td>
<td>${esc(r.receivedAt.slice(0, 19).replace('T', ' '))}</td><td>${r.replaces ? `更正（原 ${esc(r.replaces)}）` : '首次提交'}</td>
<td><input aria-label="审核意见 ${esc(r.resultId)}" name="note"> <button data-decision="approve">通过</button> <button data-decision="return">退回</button></td></tr>`,
    )
    .join('');
  const body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>结果审核</title></head><body>
<h1>待审核的检查结果</h1><p><label>管理密钥 <input type="password" id="secret"></label></p>
${rows ? `<table><thead><tr><th>结果编号</th><th>企业</th><th>提交时间</th><th>类型</th><th>审核</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>没有待审核的结果。</p>'}
<p id="status" role="status"></p>
<script>
document.addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-decision]'); if (!b) return;
  const tr = b.closest('tr'); const id = tr.dataset.resultId;
  const res = await fetch('/v1/admin/results/' + encodeURIComponent(id) + '/review', { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-admin-secret': document.getElementById('secret').value },
    body: JSON.stringify({ decision: b.dataset.decision, note: tr.querySelector('input[name=note]').value }) });
  const out = await res.json();
  document.getElementById('status').textContent = res.ok ? (id + (out.state === 'returned' ? ' 已退回' : ' 已通过')) : (out.error && out.error.message);
  if (res.ok) tr.remove();
});
</script></body></html>`;
  return html(200, body);
}
