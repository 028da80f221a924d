/**
 * The questioning record and the case file in Chromium against the built app and the simulator,
 * offline after a sync: the inspector types the questioning in the form (a second question added
 * on the spot), the PDF as downloaded carries every answer, a number from the questioning block,
 * the signature lines on every page and a QR decoding to the verify link; then the case file of the
 * task downloads as one PDF numbered across its pages.
 * PNGs are kept in test-results/case-documents/ for looking at.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { decodeQr, PdfFile, squash } from '../print/pdf-tools.js';
import { expect, test } from './fixtures.js';
import { openMyTask } from './pages.js';

const OUT = 'test-results/case-documents';

function docsPanel(page: Page): Locator {
  return page.getByRole('region', { name: '现场文书' });
}

async function saveDownload(page: Page, click: () => Promise<void>, name: string): Promise<PdfFile> {
  const waiting = page.waitForEvent('download');
  await click();
  const file = await waiting;
  const path = join(OUT, name);
  await file.saveAs(path);
  return new PdfFile(readFileSync(path));
}

test('questioning typed on site offline, then the case file of the task', async ({ platform, probe, app }) => {
  test.setTimeout(180_000);
  mkdirSync(OUT, { recursive: true });
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context, view: 'detail' });

  const panel = docsPanel(page);
  await expect(panel).toContainText('询问笔录 20 个');
  await panel.getByRole('button', { name: '出具询问笔录' }).click();
  const form = panel.getByRole('form', { name: '询问笔录内容' });
  await form.getByLabel('姓名').fill('林堃');
  await form.getByLabel('年龄（周岁）').fill('37');
  await form.getByLabel('身份证件号码').fill('330302198805121234');
  await form.getByLabel('问（1）').fill('你在本单位担任什么职务？');
  await form.getByLabel('答（1）').fill('我是生产副总经理，负责㙟头仓库。');
  await form.getByRole('button', { name: '添加一问一答' }).click();
  await form.getByLabel('问（2）').fill('仓库内这批产品何时进货？');
  await form.getByLabel('答（2）').fill('2026年4月20日，共120箱。');
  await form.getByRole('button', { name: '生成文书' }).click();
  const preview = panel.getByRole('region', { name: '预览：询问笔录' });
  await expect(preview.getByRole('img', { name: /预览第 1 页/ })).toBeVisible({ timeout: 20_000 });
  const docNo = (await preview.locator('.mono').first().innerText()).trim();
  expect(docNo).toMatch(/^威环市监询笔〔\d{4}〕0001号$/);

  const q = await saveDownload(
    page,
    () => panel.getByRole('button', { name: '保存为 PDF' }).click(),
    'questioning.pdf',
  );
  try {
    const text = squash(q.text());
    for (const s of [
      '询问笔录',
      docNo,
      '林堃',
      '你在本单位担任什么职务？',
      '我是生产副总经理，负责㙟头仓库。',
      '2026年4月20日，共120箱。',
    ])
      expect(text).toContain(squash(s));
    for (let p = 1; p <= q.pageCount(); p++) {
      const t = squash(q.text(p));
      expect(t).toContain(`第${p}页共${q.pageCount()}页`);
      expect(t).toContain('被询问人签名：');
    }
    const link = decodeQr(q.png(q.pageCount(), 200, join(OUT, 'questioning-last'))).find((l) =>
      l.includes('/public/verify?'),
    );
    expect(link?.startsWith(`${platform.url}/public/verify?result=`)).toBe(true);
  } finally {
    q.dispose();
  }

  const bundle = await saveDownload(
    page,
    () => panel.getByRole('button', { name: '保存案卷 PDF' }).click(),
    'case-file.pdf',
  );
  try {
    const pages = bundle.pageCount();
    for (let p = 1; p <= pages; p++) expect(squash(bundle.text(p))).toContain(`案卷第${p}页共${pages}页`);
    const cover = squash(bundle.text(1));
    expect(cover).toContain('双随机抽查检查案卷');
    expect(cover).toContain(squash(`卷内第1件：询问笔录 ${docNo}`));
    bundle.png(1, 80, join(OUT, 'case-file-cover'));
  } finally {
    bundle.dispose();
  }
});
