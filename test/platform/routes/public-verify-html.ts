/**
 * zh-CN HTML for paper verification: what the paper must say (so a reader compares it line by line
 * with the paper in hand), and the file check page whose script hashes a dropped file in the browser.
 */
import { esc, layout } from './public-html.js';
import type { PaperView } from './public-paper.js';

const MATCHED: Readonly<Record<PaperView['matchedAs'], string>> = {
  qr: '二维码所指文书',
  file: '文书 PDF 文件与平台登记的文件一致',
  evidence: '该文件是下列检查记录的现场证据',
  record: '该校验值对应的检查记录',
};

function logSection(v: PaperView): string {
  if (!v.log) return '';
  return `<h2>日志收录</h2><p id="log-inclusion">该检查记录已收录于平台公开日志：第 ${v.log.index + 1} 条（收录时日志共 ${v.log.treeSize} 条）。<br>
<span class="muted">记录摘要（叶哈希）：${esc(v.log.leafHash)}</span></p><pre class="muted">${esc(v.log.checkpoint)}</pre>`;
}

/** What the paper must say. Compare each line with the paper: a forged paper differs somewhere. */
export function paperSection(v: PaperView): string {
  const status = v.state === 'published' ? '平台已公示的检查记录' : '平台已接收的检查记录（尚未公示）';
  const current = v.corrected
    ? `<p class="bad" id="paper-current">已更正：该检查记录已更正，本文书所载内容不再有效，以<a href="/public/enterprises/${encodeURIComponent(v.uscc)}">企业公示页面</a>上更正后的结果为准。</p>`
    : '<p class="ok" id="paper-current">现行有效：该检查记录未被更正。</p>';
  const doc = v.document
    ? `<tr><th>文书类型</th><td id="paper-doc-type">${esc(v.document.title)}</td></tr><tr><th>文书编号</th><td id="paper-doc-no">${esc(v.document.docNo)}</td></tr>`
    : '';
  const items = v.items
    .map((i, n) => `<tr><td>${n + 1}</td><td>${esc(i.item)}</td><td>${esc(i.result)}</td></tr>`)
    .join('');
  return `<p class="ok" id="verdict">核验通过：${esc(MATCHED[v.matchedAs])}，与${status}一致。请逐项核对纸面内容：</p>
<table id="paper"><tbody>${doc}
<tr><th>企业名称</th><td id="paper-enterprise">${esc(v.enterpriseName)}</td></tr>
<tr><th>统一社会信用代码</th><td id="paper-uscc">${esc(v.uscc)}</td></tr>
<tr><th>检查日期</th><td id="paper-date">${esc(v.inspectedOn)}</td></tr>
<tr><th>检查结果</th><td id="paper-result">${esc(v.result)}</td></tr></tbody></table>
<h2>检查事项及结论</h2><table id="paper-items"><thead><tr><th>序号</th><th>检查事项</th><th>结论</th></tr></thead><tbody>${items}</tbody></table>
${current}${logSection(v)}<p class="muted">核验所用 SHA-256：${esc(v.hash)}</p>`;
}

export function qrVerifyPage(v: PaperView | 'unknown' | 'mismatch'): string {
  const body =
    v === 'unknown'
      ? '<p class="bad" id="verdict">未找到该检查记录（可能尚未上传至平台）。</p>'
      : v === 'mismatch'
        ? '<p class="bad" id="verdict">核验未通过：二维码与平台登记的文书不符，该纸面文书可能被伪造或已作废，请注意辨别。</p>'
        : paperSection(v);
  return layout('检查文书核验', `<h2>检查文书核验</h2>${body}`);
}

export function hashVerifyPage(v: PaperView | null, hash: string): string {
  const body = v
    ? paperSection(v)
    : `<p class="bad" id="verdict">未找到：该文件与平台记录不符</p><p class="muted">文件 SHA-256：${esc(hash)}。被修改过的文件（哪怕一个字节）也会得到不同的校验值。</p>`;
  return layout('文书文件核验', `<h2>文书文件核验</h2>${body}<p><a href="/public/check">核验其他文件</a></p>`);
}

/** The drop zone. The page's script (same origin, no inline code) hashes the file locally. */
export function checkPage(): string {
  return layout(
    '文书文件核验',
    `<h2>文书文件核验</h2>
<p>选择或拖入检查文书的 PDF 文件或现场证据照片。文件只在本机浏览器中计算 SHA-256 校验值，不会上传；平台只收到校验值。</p>
<div class="drop" id="drop"><label for="file">选择文件</label> <input type="file" id="file" aria-label="选择要核验的文件"><p class="muted">或将文件拖到此处</p></div>
<p id="status" role="status" aria-live="polite"></p>
<script src="/public/check.js" defer></script>`,
  );
}

/**
 * Runs in the visitor's browser: reads the file, hashes it with WebCrypto and goes to the hash's
 * page. Only the hex digest leaves the browser, in the path of a GET.
 */
export const CHECK_SCRIPT = `'use strict';
(function () {
  var input = document.getElementById('file');
  var drop = document.getElementById('drop');
  var status = document.getElementById('status');
  function hex(buf) {
    return Array.prototype.map.call(new Uint8Array(buf), function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }
  function check(file) {
    if (!file) return;
    if (!window.crypto || !window.crypto.subtle) { status.textContent = '此浏览器不支持本地计算校验值，请换用新版浏览器。'; return; }
    status.textContent = '正在本机计算校验值…';
    file.arrayBuffer().then(function (buf) { return window.crypto.subtle.digest('SHA-256', buf); }).then(function (d) {
      var h = hex(d);
      status.textContent = '文件 SHA-256：' + h + '，正在查询平台记录…';
      window.location.assign('/public/verify/hash/' + h);
    }, function () { status.textContent = '无法读取该文件，请重试。'; });
  }
  input.addEventListener('change', function () { check(input.files && input.files[0]); });
  drop.addEventListener('dragover', function (e) { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', function () { drop.classList.remove('over'); });
  drop.addEventListener('drop', function (e) {
    e.preventDefault();
    drop.classList.remove('over');
    check(e.dataTransfer && e.dataTransfer.files[0]);
  });
})();
`;
