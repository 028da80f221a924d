/**
 * When the network never comes: inspect offline → 导出待上传结果 (browser download) → the platform
 * imports the file → the public page shows the result once → the receipts file back through 导入回执
 * → the outbox shows it safe; then the network returns and the app sends nothing again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicResultsResponseSchema } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import {
  fillAllCompliant,
  finalize,
  networkStatus,
  openOutbox,
  openTasks,
  signIn,
  startInspection,
  syncAll,
} from './pages.js';

test('results out and receipts back on a USB stick: published once, nothing sent twice', async ({
  platform,
  platformDir,
  probe,
  app,
}) => {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes('/v1/results/')) puts.push(r.url());
  });

  // Online once: sign in (registers the device key the platform will check the file against) and sync.
  const keyRegistered = page.waitForResponse((r) => r.url().endsWith('/v1/devices/keys') && r.ok());
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await keyRegistered;
  await app.context.setOffline(true);
  await expect.poll(() => networkStatus(page)).toBe('离线');
  await openTasks(page);
  await startInspection(page, task.taskNo, task.enterprise.name);
  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await finalize(page);

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '传输（U盘）' }).click();
  await expect(page.getByRole('heading', { name: '传输（U盘）', level: 1 })).toBeVisible();
  await expect(page.getByTestId('usb-pending')).toHaveText('待上传结果：1 条');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出待上传结果' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.sibundle$/);
  await expect(page.getByTestId('usb-export-outcome')).toContainText('已导出 1 条待上传结果');
  const bytes = new Uint8Array(readFileSync(await file.path()));
  // Export changes nothing in the outbox: the result is still waiting.
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText('等待上传');

  // The platform operator imports the stick's file.
  const imported = await platform.usb.importResults(bytes);
  if (!imported.ok) throw new Error(imported.error.message);
  expect(imported.outcomes.map((o) => o.status)).toEqual([201]);
  const resultId = imported.outcomes[0]!.resultId;
  platform.admin.publishNow();
  const pub = await fetch(`${platform.url}/v1/public/enterprises/${task.enterprise.uscc}/results`);
  const listed = PublicResultsResponseSchema.parse(await pub.json()).results;
  expect(listed.map((r) => r.resultId)).toEqual([resultId]);

  // …and writes the receipts file, which goes back on the stick.
  const receipts = await platform.usb.receipts(imported.bundleId);
  if (!receipts.ok) throw new Error(receipts.error.message);
  const receiptsFile = join(platformDir, `receipts-${imported.bundleId}.sibundle`);
  writeFileSync(receiptsFile, receipts.bytes);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '传输（U盘）' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: '导入回执' }).click();
  await (await chooser).setFiles(receiptsFile);
  await expect(page.getByTestId('usb-receipts-outcome')).toHaveText(
    '回执已核验：1 条结果已被平台接收（其中 1 条已公示）。',
  );
  await expect(page.getByTestId('usb-pending')).toHaveText('待上传结果：0 条');
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText('已公示');
  await expect(page.getByRole('table', { name: '已上传的检查结果' }).getByTestId('log-verified')).toHaveText(
    /^平台日志已验证（第 \d+ 条）$/,
  );

  // The network comes back: nothing is sent again, the platform still has one result and one publication.
  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  // A drain ends with the log check: once it answered, the queue has been through and sent no result.
  const drained = page.waitForResponse((r) => r.url().endsWith('/v1/log/checkpoint'));
  await page.getByRole('button', { name: '立即上传' }).click();
  await drained;
  await expect(page.getByRole('button', { name: '立即上传' })).toBeEnabled();
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText('已公示');
  expect(puts).toEqual([]);
  expect(platform.admin.counts(resultId)).toEqual({ results: 1, publications: 1 });
});
