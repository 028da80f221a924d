/**
 * zh-CN HTML for the public pages, laid out like 国家企业信用信息公示系统's 抽查检查结果信息
 * section. Everything interpolated is escaped.
 */
import type { PublicResult } from '../../../shared/protocol/index.js';
import type { Reply } from '../http.js';

/**
 * The public pages run no inline script and load nothing from elsewhere: the only script is the
 * hash check's own file from this origin, and it may talk only to this origin.
 */
export const PUBLIC_CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

export function publicHtml(status: number, body: string): Reply {
  return {
    status,
    raw: { body, type: 'text/html; charset=utf-8' },
    headers: { 'Content-Security-Policy': PUBLIC_CSP, 'X-Content-Type-Options': 'nosniff' },
  };
}

export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

export function layout(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>
body{font-family:"Noto Sans CJK SC","Noto Sans SC","Microsoft YaHei",sans-serif;margin:0;background:#f4f6f9;color:#222}
header{background:#b71c1c;color:#fff;padding:14px 24px;font-size:20px}header small{display:block;font-size:12px;opacity:.85}
main{max-width:1080px;margin:20px auto;background:#fff;padding:20px 24px;border-radius:4px}
table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border:1px solid #d6dbe3;padding:6px 8px;font-size:14px;text-align:left;vertical-align:top}
th{background:#eef2f7}h2{font-size:17px;border-left:4px solid #b71c1c;padding-left:8px}.muted{color:#666;font-size:13px}
.ok{color:#2e7d32;font-weight:bold}tr.corrected td{color:#777}.bad{color:#c62828;font-weight:bold}form input{padding:6px;width:320px}form button{padding:6px 14px}
nav{margin-bottom:8px;font-size:14px}nav a{margin-right:16px}.drop{border:2px dashed #90a4ae;border-radius:6px;padding:28px;text-align:center;margin:12px 0}.drop.over{background:#e3f2fd}
</style></head><body><header>市场监管抽查检查结果公示（演示平台）<small>演示数据均为虚构，非真实企业信息</small></header><main><nav><a href="/public">结果公示查询</a><a href="/public/check">文书文件核验</a></nav>${body}</main></body></html>`;
}

export function indexPage(
  rows: readonly { uscc: string; name: string; n: number; last: string }[],
  q: string,
  notice: string | null,
): string {
  const list =
    rows.length === 0
      ? '<p class="muted">暂无已公示的抽查检查结果。</p>'
      : `<table><thead><tr><th>企业名称</th><th>统一社会信用代码</th><th>已公示结果数</th><th>最近公示日期</th></tr></thead><tbody>${rows
          .map(
            (r) =>
              `<tr><td><a href="/public/enterprises/${encodeURIComponent(r.uscc)}">${esc(r.name)}</a></td><td>${esc(r.uscc)}</td><td>${r.n}</td><td>${esc(r.last.slice(0, 10))}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return layout(
    '抽查检查结果公示',
    `${notice ? `<p class="bad">${esc(notice)}</p>` : ''}
<form method="get" action="/public"><input name="q" value="${esc(q)}" placeholder="请输入企业名称或统一社会信用代码"> <button type="submit">查询</button></form>
<h2>已公示抽查检查结果的企业</h2>${list}`,
  );
}

/**
 * A corrected result stays listed for the record, marked 已更正 with a link to the row of the
 * result that replaced it. Rows are anchored by position so each result id appears once.
 */
function resultRow(r: PublicResult, i: number, rowOf: ReadonlyMap<string, number>): string {
  const fix = r.correctedBy ? rowOf.get(r.correctedBy) : undefined;
  const corrected = r.correctedBy
    ? `<br><span class="bad">已更正</span><span class="muted">（以${fix === undefined ? '更正后的结果' : `<a href="#row-${fix}">第 ${fix} 条更正后的结果</a>`}为准）</span>`
    : '';
  return `<tr id="row-${i + 1}" data-result-id="${esc(r.resultId)}"${r.correctedBy ? ' class="corrected"' : ''}><td>${i + 1}</td><td>${esc(r.authority)}</td><td>${esc(r.type)}</td><td>${esc(r.inspectedOn)}</td><td>${esc(r.result)}${corrected}</td>
<td>${esc(r.planNo)}<br>${esc(r.planName)}</td><td>${esc(r.taskNo)}</td><td>${esc(r.publishedAt.slice(0, 10))}</td></tr>
<tr><td></td><td colspan="7"><span class="muted">检查事项：</span>${r.items.map((it) => `${esc(it.item)}（${esc(it.result)}）`).join('；')}</td></tr>${followUpRow(r)}`;
}

/** 后续处置 beside the result it followed up: the 复查 date, the outcome and each finding's state. */
function followUpRow(r: PublicResult): string {
  const fu = r.followUp;
  if (!fu) return '';
  return `<tr class="follow-up" data-follow-up-of="${esc(r.resultId)}"><td></td><td colspan="7"><span class="muted">后续处置（${esc(fu.checkedOn)} 复查）：</span>${esc(fu.outcome)}；${fu.findings.map((f) => `${esc(f.item)}（${esc(f.state)}）`).join('；')}</td></tr>`;
}

export function enterprisePage(uscc: string, name: string, results: readonly PublicResult[]): string {
  const rowOf = new Map(results.map((r, i) => [r.resultId, i + 1]));
  const rows =
    results.length === 0
      ? '<p class="muted">该企业暂无已公示的抽查检查结果信息。</p>'
      : `<table><thead><tr><th>序号</th><th>检查实施机关</th><th>类型</th><th>日期</th><th>结果</th><th>抽查计划编号/名称</th><th>抽查任务编号</th><th>公示日期</th></tr></thead><tbody>${results
          .map((r, i) => resultRow(r, i, rowOf))
          .join('')}</tbody></table>`;
  return layout(
    `${name} - 抽查检查结果`,
    `<p><a href="/public">返回查询</a></p><h2>${esc(name)}</h2>
<p>统一社会信用代码：${esc(uscc)}</p><h2>抽查检查结果信息</h2>${rows}`,
  );
}
