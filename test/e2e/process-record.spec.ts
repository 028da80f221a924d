/**
 * 执法过程记录 end to end, against the built app and the simulator: an inspection with a photo kept
 * and another removed with a reason, signatures, finalize, an on-site record issued and printed,
 * the upload; the task's page then lists each step from the inspector's audit chain, in chain
 * order, in zh-CN with China time and shortened hashes, and 核验 says the chain is intact.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { addPhotos, makeImages } from './inspection-pages.js';
import { fillAllCompliant, finalize, openMyTask, openOutbox, openTask } from './pages.js';

function docsPanel(page: Page): Locator {
  return page.getByRole('region', { name: '现场文书' });
}

/** The 事项 column of the record, top to bottom. */
async function events(table: Locator): Promise<string[]> {
  return (await table.locator('tbody tr td:nth-child(3)').allInnerTexts()).map((t) => t.trim());
}

test('the whole inspection is on the chain: photo, removal with its reason, signatures, finalize, document issued and printed, upload; 核验 says intact', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(180_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task);

  // Two photos; the second is removed, which asks for a reason first.
  const { png, jpeg } = await makeImages(page);
  await addPhotos(page, [
    { name: '营业执照.png', mimeType: 'image/png', buffer: png },
    { name: '拍错的门头.jpg', mimeType: 'image/jpeg', buffer: jpeg },
  ]);
  const evidence = page.getByTestId('evidence-panel');
  await evidence.getByRole('button', { name: '删除照片 2…' }).click();
  const confirm = evidence.getByRole('group', { name: '确认删除照片 2' });
  await confirm.getByRole('button', { name: '删除照片 2' }).click();
  await expect(confirm.getByRole('alert')).toHaveText('请填写删除原因');
  await expect(evidence.getByRole('listitem')).toHaveCount(2); // refused: nothing removed
  await confirm.getByLabel(/删除原因/).fill('拍错了门店');
  await confirm.getByRole('button', { name: '删除照片 2' }).click();
  await expect(evidence.getByRole('listitem')).toHaveCount(1);

  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await finalize(page);

  // The on-site record, issued and printed from the task's page.
  await openTask(page, task);
  const docs = docsPanel(page);
  await docs.getByRole('button', { name: '出具现场检查笔录' }).click();
  const form = docs.getByRole('form', { name: '现场检查笔录内容' });
  await expect(form.getByRole('button', { name: '生成文书' })).toBeEnabled();
  await form.getByRole('button', { name: '生成文书' }).click();
  const preview = docs.getByRole('region', { name: '预览：现场检查笔录' });
  await expect(preview.getByRole('img', { name: /预览第 1 页/ })).toBeVisible({ timeout: 20_000 });
  const docNo = (await preview.locator('.mono').first().innerText()).trim();
  // The print dialog is the operating system's, out of the test's reach (and headless Chromium
  // crashes printing a PDF frame): the frame the app hands to it is caught instead of loaded.
  await page.evaluate(() => {
    const caught: string[] = [];
    (globalThis as unknown as { __printFrames: string[] }).__printFrames = caught;
    const append = document.body.append.bind(document.body);
    document.body.append = (...nodes: (Node | string)[]) => {
      const frames = nodes.filter((n): n is HTMLIFrameElement => n instanceof HTMLIFrameElement && n.title === '打印');
      for (const f of frames) caught.push(f.src);
      append(...nodes.filter((n) => !frames.includes(n as HTMLIFrameElement)));
    };
  });
  await preview.getByRole('button', { name: '打印' }).click();
  await expect(preview.getByRole('status')).toContainText('打印对话框');
  expect(await page.evaluate(() => (globalThis as unknown as { __printFrames: string[] }).__printFrames)).toEqual([
    expect.stringMatching(/^blob:/),
  ]);

  // 立即上传, then back to the task; the record follows the outbox, so the upload shows once acknowledged.
  await openOutbox(page);
  await page.getByRole('button', { name: '立即上传' }).click();
  await openTask(page, task);

  const record = page.getByRole('region', { name: '执法过程记录' });
  await record.getByRole('button', { name: '查看执法过程记录' }).click();
  const table = record.getByRole('table', { name: /执法过程记录（共 \d+ 条）/ });
  await expect(table).toContainText('上传至平台', { timeout: 60_000 });
  await expect(table).toContainText(`打印文书：现场检查笔录 ${docNo}`);

  const listed = await events(table);
  const at = (text: string): number => {
    const i = listed.findIndex((e) => e.startsWith(text));
    expect(i, `${text} in ${listed.join(' | ')}`).toBeGreaterThanOrEqual(0);
    return i;
  };
  expect(listed.filter((e) => e === '采集证据：照片')).toHaveLength(2);
  const removed = at('删除证据：照片（原因：拍错了门店）');
  const signatures = listed.flatMap((e, i) => (e.startsWith('签名：') ? [i] : []));
  expect(listed.filter((e) => e.startsWith('签名：检查人员 '))).not.toHaveLength(0);
  at('签名：当事人');
  const finalized = at('检查记录定稿');
  const issued = at(`出具文书：现场检查笔录 ${docNo}`);
  const printed = at(`打印文书：现场检查笔录 ${docNo}`);
  const uploaded = at('上传至平台');
  expect(at('采集证据：照片')).toBeLessThan(removed);
  expect(Math.min(...signatures)).toBeGreaterThan(removed);
  expect(Math.max(...signatures)).toBeLessThan(finalized);
  expect(finalized).toBeLessThan(issued);
  expect(issued).toBeLessThan(printed);
  expect(uploaded).toBeGreaterThan(finalized);

  // Sequence numbers rise down the list; times are China time; hashes are shortened with the full value at hand.
  const seqs = (await table.locator('tbody tr td:nth-child(1)').allInnerTexts()).map(Number);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  await expect(table.locator('tbody tr td:nth-child(2)').first()).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  const entryHash = table.locator('tbody tr td:nth-child(5) span').first();
  await expect(entryHash).toHaveAttribute('title', /^[0-9a-f]{64}$/);
  await expect(entryHash).toHaveText(/^[0-9a-f]{8}…[0-9a-f]{4}$/);

  await record.getByRole('button', { name: '核验' }).click();
  await expect(record.getByRole('status')).toHaveText(/^链完整（共 \d+ 条记录）$/);
});
