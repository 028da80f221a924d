/**
 * Anyone can verify a paper, and space is reclaimed only after proof, in Chromium against the built
 * app and the simulator. The inspector prints a notice, inspects with a photo, finalizes and uploads.
 * Then, on the public site: the real PDF dropped on the check page passes and shows what the paper
 * must say (its SHA-256 is computed in the browser; the requests are recorded and carry no file
 * bytes, only the hash); one changed byte gives 未找到; a QR of another paper shows that paper's true
 * content. In the app, 存储空间 keeps the photo's original while the retention runs, and frees it
 * once the (page) clock is past it: the record keeps the hash and says 原件已清理.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { ReserveResponseSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import { allTasks, authed, buildUpload, login, putResult } from '../platform/testkit.js';
import { decodeQr, PdfFile } from '../print/pdf-tools.js';
import { generateDocument, savePdf } from './document-pages.js';
import { expect, test } from './fixtures.js';
import { addPhotos, makeImages } from './inspection-pages.js';
import { fillAllCompliant, finalize, openMyTask, openTask } from './pages.js';

const OUT = 'test-results/verify-paper';
const DAY = 24 * 3600 * 1000;
const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** Another inspector's printed paper of another enterprise, registered straight with the platform. */
async function otherPaper(
  url: string,
  certNo: string,
  notEnterprise: string,
): Promise<{ task: Task; resultId: string; docHash: string; docNo: string }> {
  const call = authed(url, (await login(url, certNo, 'demo1234', 'dev-e2e-other')).accessToken);
  const task = (await allTasks(call)).find((t) => t.status === 'assigned' && t.enterprise.uscc !== notEnterprise);
  if (!task) throw new Error('the second inspector has no task of another enterprise');
  const post = (path: string, body: unknown) =>
    call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const block = ReserveResponseSchema.parse(
    await (
      await post('/v1/doc-numbers/reserve', {
        requestId: 'req-e2e-other',
        deviceId: 'dev-e2e-other',
        docType: 'notice',
        count: 1,
      })
    ).json(),
  );
  const up = buildUpload(task, 'res-e2e-other', { deviceId: 'dev-e2e-other' });
  expect((await putResult(call, up, 'op-e2e-other')).status).toBe(201);
  const docHash = sha256('the other paper');
  const report = await post('/v1/doc-numbers/report', {
    deviceId: 'dev-e2e-other',
    used: [{ docType: 'notice', serial: block.from, resultId: 'res-e2e-other', docHash }],
    voided: [],
  });
  expect(report.status).toBe(200);
  return { task, resultId: 'res-e2e-other', docHash, docNo: `${block.prefix}${String(block.from).padStart(4, '0')}号` };
}

async function openStorage(page: Page): Promise<void> {
  const nav = page.getByRole('navigation', { name: '主导航' });
  await nav.getByRole('link', { name: '任务' }).click();
  await nav.getByRole('link', { name: '存储空间' }).click();
  await expect(page.getByRole('heading', { name: '存储空间', level: 1 })).toBeVisible();
}

test('a printed paper verifies by its PDF; a changed PDF or another paper does not pass for it; originals go only after receipt and retention', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(240_000);
  mkdirSync(OUT, { recursive: true });
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();

  // The app: a notice printed, then the inspection with one photo, signed and finalized.
  await openMyTask(page, who, task, { view: 'detail' });
  const noticeNo = await generateDocument(page, '随机抽查检查通知书', (form) =>
    form.getByLabel('联系电话').fill('0631-5201234'),
  );
  const pdf = await savePdf(page, OUT, 'notice.pdf');
  const pdfFile = new PdfFile(pdf);
  const qrLink = decodeQr(pdfFile.png(pdfFile.pageCount(), 200)).find((l) => l.includes('/public/verify?'));
  pdfFile.dispose();
  expect(qrLink).toBeDefined();
  await page.getByRole('button', { name: /开始检查|继续检查/ }).click();
  const { png } = await makeImages(page);
  await addPhotos(page, [{ name: 'licence.png', mimeType: 'image/png', buffer: png }]);
  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await finalize(page);

  // Online: the result uploads, and a sync reports the notice's number with its QR hash and PDF hash.
  const resultId = new URL(qrLink!).searchParams.get('result')!;
  await expect
    .poll(async () => platform.admin.counts(resultId).results, { timeout: 60_000, message: 'the result was uploaded' })
    .toBe(1);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  await page.getByRole('button', { name: '开始同步' }).click();
  const byHash = (hash: string) =>
    fetch(`${platform.url}/public/verify/hash/${hash}`, { headers: { accept: 'application/json' } }).then(
      async (r) => ((await r.json()) as { found: boolean }).found,
    );
  await expect.poll(() => byHash(sha256(pdf)), { timeout: 60_000, message: 'the PDF is registered' }).toBe(true);

  await test.step('the real PDF, hashed in the browser, passes and shows what the paper must say', async () => {
    const pub = await app.context.newPage();
    const requests: { method: string; url: string; body: Buffer | null }[] = [];
    pub.on('request', (r) => requests.push({ method: r.method(), url: r.url(), body: r.postDataBuffer() }));
    await pub.goto(`${platform.url}/public/check`);
    await pub
      .getByLabel('选择要核验的文件')
      .setInputFiles({ name: 'notice.pdf', mimeType: 'application/pdf', buffer: pdf });
    await expect(pub.locator('#verdict')).toContainText('核验通过：文书 PDF 文件与平台登记的文件一致');
    await expect(pub.locator('#paper-doc-type')).toHaveText('随机抽查检查通知书');
    await expect(pub.locator('#paper-doc-no')).toHaveText(noticeNo);
    await expect(pub.locator('#paper-enterprise')).toHaveText(task.enterprise.name);
    await expect(pub.locator('#paper-uscc')).toHaveText(task.enterprise.uscc);
    await expect(pub.locator('#paper-result')).toHaveText('未发现问题');
    await expect(pub.locator('#paper-items')).toContainText(`${task.items[0]!.name}符合`);
    await expect(pub.locator('#paper-current')).toContainText('现行有效');
    await expect(pub.locator('body')).not.toContainText(resultId);
    // Nothing uploaded: no request has a body, every one is a GET, and only the hash names the file.
    const bytesSeen = [pdf.subarray(0, 32), pdf.subarray(pdf.length - 32)].flatMap((b) => [
      b.toString('hex'),
      b.toString('base64'),
      encodeURIComponent(b.toString('latin1')),
    ]);
    expect(requests.length).toBeGreaterThan(1);
    for (const r of requests) {
      expect(r.method).toBe('GET');
      expect(r.body).toBeNull();
      for (const b of bytesSeen) expect(r.url).not.toContain(b);
    }
    expect(requests.map((r) => new URL(r.url).pathname)).toContain(`/public/verify/hash/${sha256(pdf)}`);

    // One changed byte inside the file: not the paper the platform registered.
    const changed = Buffer.from(pdf);
    const at = Math.floor(changed.length / 2);
    changed[at] = changed[at]! ^ 0x01;
    await pub.goto(`${platform.url}/public/check`);
    await pub
      .getByLabel('选择要核验的文件')
      .setInputFiles({ name: 'notice.pdf', mimeType: 'application/pdf', buffer: changed });
    await expect(pub.locator('#verdict')).toHaveText('未找到：该文件与平台记录不符');
    await expect(pub.locator('body')).not.toContainText(task.enterprise.name);

    // The on-site photo, as uploaded with the record, is found as that record's evidence.
    await pub.goto(`${platform.url}/public/check`);
    await pub.getByLabel('选择要核验的文件').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: png });
    await expect(pub.locator('#verdict')).toContainText('该文件是下列检查记录的现场证据');
    await expect(pub.locator('#paper-enterprise')).toHaveText(task.enterprise.name);

    // A paper naming this enterprise but carrying another paper's valid QR: the page shows the truth.
    const other = await otherPaper(platform.url, platform.logins[1]!.certNo, task.enterprise.uscc);
    await pub.goto(`${platform.url}/public/verify?result=${other.resultId}&hash=${other.docHash}`);
    await expect(pub.locator('#paper-enterprise')).toHaveText(other.task.enterprise.name);
    await expect(pub.locator('#paper-doc-no')).toHaveText(other.docNo);
    await expect(pub.locator('body')).not.toContainText(task.enterprise.name);
    await expect(pub.locator('body')).not.toContainText(noticeNo);
    // And this paper's own QR shows this paper.
    await pub.goto(qrLink!);
    await expect(pub.locator('#paper-doc-no')).toHaveText(noticeNo);
    await expect(pub.locator('#paper-enterprise')).toHaveText(task.enterprise.name);
    await pub.close();
  });

  await test.step('存储空间 keeps the original until the receipt and the retention, then frees it', async () => {
    const region = page.getByRole('region', { name: `任务 ${task.enterprise.name}` });
    const photo = region.getByTestId('space-evidence');
    // The receipt is stored once the outbox has the platform's answer.
    await expect(async () => {
      await openStorage(page);
      await expect(photo).toContainText('保留：保留期（90 天）未满', { timeout: 2_000 });
    }).toPass({ timeout: 60_000 });
    await expect(region).toContainText(`证据原件 ${(png.length / 1024).toFixed(1)} KB`);
    await expect(region.getByRole('button', { name: '清理原件' })).toBeDisabled();

    await page.clock.setFixedTime(new Date(Date.now() + 91 * DAY));
    await openStorage(page);
    await expect(photo).toContainText('可清理');
    await region.getByRole('button', { name: '清理原件' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已清理' })).toContainText(
      `已清理 1 个原件，释放 ${(png.length / 1024).toFixed(1)} KB`,
    );
    const gone = `原件已清理（平台回执已覆盖，SHA-256 ${sha256(png).slice(0, 16)}…）`;
    await expect(photo).toContainText(gone);
    await expect(region).toContainText('证据原件 0 B');

    // The record stays, with its hash and its signatures; its evidence list says the original is gone.
    await openTask(page, task);
    await page.getByRole('button', { name: '查看结果' }).click();
    await expect(page.getByRole('heading', { name: '检查结果（已锁定）' })).toBeVisible();
    const evidence = page.getByTestId('result-evidence');
    await expect(evidence).toHaveCount(1);
    await expect(evidence).toHaveAttribute('data-reclaimed', 'yes');
    await expect(evidence).toContainText(gone);
    // The platform still verifies the paper: nothing of the record changed.
    expect(await byHash(sha256(pdf))).toBe(true);
  });
});
