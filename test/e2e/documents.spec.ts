/**
 * Documents in Chromium against the built app and the simulator: sync reserves document numbers;
 * offline, the inspector generates the notice, inspects, signs and finalizes, then generates the
 * on-site record; the preview shows; the downloaded PDFs carry the enterprise name and a number
 * from the reserved block, and their QR decodes to the verify link; back online, the sync reports
 * the numbers with the documents' hashes, the result uploads, and the simulator verifies both papers.
 * PNGs of the documents as downloaded are kept in test-results/documents/ for looking at.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { VerifyResponseSchema } from '../../shared/protocol/index.js';
import { decodeQr, PdfFile, squash } from '../print/pdf-tools.js';
import { cspProxy } from './csp-proxy.js';
import { DOC_NO, docsPanel, generateDocument as generate } from './document-pages.js';
import { expect, test } from './fixtures.js';
import { fillAllCompliant, finalize, networkStatus, openMyTask, openTask } from './pages.js';

const OUT = 'test-results/documents';
/** Saves the previewed PDF through the app (the browser's download) and opens it with poppler. */
async function download(page: Page, name: string): Promise<PdfFile> {
  const waiting = page.waitForEvent('download');
  await docsPanel(page).getByRole('button', { name: '保存为 PDF' }).click();
  const file = await waiting;
  const path = join(OUT, name);
  await file.saveAs(path);
  const { readFileSync } = await import('node:fs');
  return new PdfFile(readFileSync(path));
}

async function drawSignature(page: Page, canvas: Locator): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('signature canvas not visible');
  await page.mouse.move(box.x + 20, box.y + box.height / 2);
  await page.mouse.down();
  for (let x = 20; x < box.width - 20; x += 12)
    await page.mouse.move(box.x + x, box.y + box.height / 2 + 12 * Math.sin(x / 15));
  await page.mouse.up();
}

async function signAll(page: Page): Promise<void> {
  const panel = page.getByTestId('signature-panel');
  const party = panel.getByRole('group', { name: /当事人.*签名/ }).first();
  await party.getByLabel('当事人姓名').fill('陈喆');
  await party.getByLabel('职务').fill('店长');
  await party.getByLabel('身份证件号码').fill('330302199001011234');
  for (;;) {
    const canvas = panel.getByRole('img', { name: /签名区$/ }).first();
    if ((await canvas.count()) === 0) break;
    const before = await panel.getByRole('img', { name: /签名区$/ }).count();
    await drawSignature(page, canvas);
    await canvas.locator('xpath=..').getByRole('button', { name: '确认签名' }).click();
    await expect(panel.getByRole('img', { name: /签名区$/ })).toHaveCount(before - 1);
  }
  await expect(page.getByTestId('save-status')).toContainText('已保存');
}

function keepPngs(pdf: PdfFile, name: string): string {
  let last = '';
  for (let p = 1; p <= pdf.pageCount(); p++) {
    last = pdf.png(p, 110);
    copyFileSync(last, join(OUT, `${name}-p${p}.png`));
  }
  return pdf.png(pdf.pageCount(), 200);
}

const verify = async (link: string) =>
  VerifyResponseSchema.parse(await (await fetch(link, { headers: { accept: 'application/json' } })).json());

test('documents offline after sync: notice and record with reserved numbers, QR verified once uploaded', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(180_000);
  mkdirSync(OUT, { recursive: true });
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);

  const page = await app.open();
  page.on('console', (m) => {
    if (m.type() === 'warning') console.log(`[browser] ${m.text()}`);
  });
  // Task detail → 现场文书: numbers reserved during the sync are on the device.
  await openMyTask(page, who, task, { offline: app.context, view: 'detail' });
  await expect(docsPanel(page)).toContainText('随机抽查检查通知书 20 个');
  const noticeNo = await generate(page, '随机抽查检查通知书', (form) =>
    form.getByLabel('联系电话').fill('0631-5201234'),
  );
  expect(Number(DOC_NO.exec(noticeNo)![2])).toBe(1); // the first number of the block reserved for this device
  await page.screenshot({ path: `${OUT}/panel-notice.png`, fullPage: true });
  const notice = await download(page, 'notice.pdf');
  const noticeText = squash(notice.text());
  expect(noticeText).toContain(squash(task.enterprise.name));
  expect(noticeText).toContain(noticeNo);
  const noticeLink = decodeQr(keepPngs(notice, 'notice')).find((l) => l.includes('/public/verify?'));
  expect(noticeLink).toBeDefined();
  expect(noticeLink!.startsWith(`${platform.url}/public/verify?result=`)).toBe(true);
  await expect(docsPanel(page)).toContainText(noticeLink!);

  // Inspect, sign, finalize (still offline), then the on-site record.
  await page.getByRole('button', { name: /开始检查|继续检查/ }).click();
  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await signAll(page);
  await finalize(page);
  await openTask(page, task);
  const recordNo = await generate(page, '现场检查笔录');
  const record = await download(page, 'record.pdf');
  const recordText = squash(record.text());
  expect(recordText).toContain(squash(task.enterprise.name));
  expect(recordText).toContain(recordNo);
  expect(recordText).toContain('陈喆');
  expect(recordText).toContain(`第1页共${record.pageCount()}页`);
  const recordLink = decodeQr(keepPngs(record, 'record')).find((l) => l.includes('/public/verify?'));
  expect(recordLink).toBeDefined();
  expect(new URL(recordLink!).searchParams.get('result')).toBe(new URL(noticeLink!).searchParams.get('result'));
  expect((await verify(noticeLink!)).match).toBe(false); // nothing uploaded yet

  // Online: the sync reports the numbers with the documents' hashes; the outbox uploads the result.
  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  // A new sync reports the used numbers with the documents' hashes (the last one showed 同步完成 already).
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  await page.getByRole('button', { name: '开始同步' }).click();
  const resultId = new URL(noticeLink!).searchParams.get('result')!;
  await expect
    .poll(async () => platform.admin.counts(resultId).results, { timeout: 60_000, message: 'the result was uploaded' })
    .toBe(1);
  await expect
    .poll(async () => (await verify(noticeLink!)).match, { timeout: 60_000, message: 'the notice verifies' })
    .toBe(true);
  expect(await verify(noticeLink!)).toMatchObject({
    match: true,
    enterpriseName: task.enterprise.name,
    document: { title: '随机抽查检查通知书', docNo: noticeNo },
  });
  expect(await verify(recordLink!)).toMatchObject({
    match: true,
    document: { title: '现场检查笔录', docNo: recordNo },
  });
  const html = await (await fetch(noticeLink!)).text();
  expect(html).toContain('核验通过');
  notice.dispose();
  record.dispose();
});

test('the preview renders under the Electron CSP (no frame-src, no eval) without violations', async ({
  platform,
  probe,
  app,
  web,
}) => {
  test.setTimeout(120_000);
  const { buildCsp } = await import('../../electron/main/csp.js');
  const proxy = await cspProxy(web.url, buildCsp({ platformUrl: platform.url, publicityUrl: null }));
  try {
    await app.context.addInitScript(() => {
      const seen: string[] = [];
      (globalThis as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) =>
        seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
      );
    });
    const who = platform.logins[0]!;
    const task = await probe.myTask(who);
    const page = app.context.pages()[0] ?? (await app.context.newPage());
    await page.goto(`${proxy.url}/`);
    await openMyTask(page, who, task, { view: 'detail' });
    // zod probes `new Function` once at start-up (and falls back): only what printing does counts here.
    const before = await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp.splice(0));
    console.log('violations before the documents panel (not ours):', before);
    await generate(page, '随机抽查检查通知书', (form) => form.getByLabel('联系电话').fill('0631-5201234'));
    const canvas = docsPanel(page).getByRole('img', { name: /预览第 1 页/ });
    const inked = await canvas.evaluate((el) => {
      const c = el as HTMLCanvasElement;
      const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
      return dark;
    });
    expect(inked).toBeGreaterThan(1000); // text and the QR code were drawn, not a blank page
    await page.screenshot({ path: `${OUT}/preview-under-csp.png`, fullPage: true });
    expect(await page.evaluate(() => (globalThis as unknown as { __csp: string[] }).__csp)).toEqual([]);
  } finally {
    await proxy.close();
  }
});
