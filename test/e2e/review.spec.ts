/**
 * A deployment that reviews results before publication: the result, finalized offline, goes up and
 * waits 待审核; the reviewer returns it on the review page with a note (审核退回); the inspector sees
 * the note in the outbox and on the task, corrects it in the form; the reviewer passes the correction;
 * the public page shows it, published once, and the returned result never.
 */
import { PublicResultsResponseSchema } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import { signAll, waitSaved } from './inspection-pages.js';
import { fillAllCompliant, finalize, networkStatus, openMyTask, openOutbox, openTask } from './pages.js';
import type { BrowserContext, Page } from '@playwright/test';

test.use({ reviewBeforePublication: true });

async function publicResults(url: string, uscc: string) {
  const res = await fetch(`${url}/v1/public/enterprises/${uscc}/results`);
  expect(res.status).toBe(200);
  return PublicResultsResponseSchema.parse(await res.json());
}

/** The reviewer's page: the reviewer types the admin secret and loads the results 待审核. */
async function reviewerPage(context: BrowserContext, url: string, secret: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/review`);
  await page.getByLabel('管理密钥').fill(secret);
  await page.getByRole('button', { name: '加载' }).click();
  await expect(page.getByRole('status')).toContainText(/待审核/);
  return page;
}

async function decide(page: Page, resultId: string, decision: '通过' | '退回', note = ''): Promise<void> {
  const row = page.locator(`tr[data-result-id="${resultId}"]`);
  if (note) await row.getByLabel(`审核意见 ${resultId}`).fill(note);
  await row.getByRole('button', { name: decision }).click();
  await expect(page.getByRole('status')).toContainText(decision === '通过' ? '已通过' : '已退回');
}

test('result → 审核退回 with a note → correction → 已公示 once', async ({ platform, probe, app }) => {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const note = '现场照片缺失，请补充营业执照照片后更正';

  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await finalize(page);
  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  await openOutbox(page);
  const uploaded = page.getByRole('table', { name: '已上传的检查结果' });
  await expect(uploaded).toContainText('已接收，待审核', { timeout: 30_000 });
  const firstId = (await uploaded.locator('tr[data-result-id]').first().getAttribute('data-result-id'))!;
  expect((await publicResults(platform.url, task.enterprise.uscc)).results).toHaveLength(0);

  // The reviewer returns it with a note.
  const reviewer = await reviewerPage(app.context, platform.url, platform.adminSecret);
  await decide(reviewer, firstId, '退回', note);

  // The inspector sees 审核退回 and the note in the outbox and on the task.
  await page.bringToFront();
  await page.getByRole('button', { name: '立即上传' }).click();
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  await expect(pending).toContainText('审核退回', { timeout: 15_000 });
  await expect(pending).toContainText(note);
  await openTask(page, task);
  await expect(page.getByTestId('task-review')).toContainText(note);

  // The correction, through the normal correction flow in the form.
  await openOutbox(page);
  await pending.getByRole('link', { name: '按审核意见更正' }).click();
  await page.getByRole('button', { name: '更正此记录' }).click();
  await page.getByLabel('发现问题情况').fill('现场核查营业执照、公示信息与实际一致，已补充营业执照照片。');
  await signAll(page);
  await waitSaved(page);
  await finalize(page);
  await openOutbox(page);
  await page.getByRole('button', { name: '立即上传' }).click();
  // The returned result stays listed for the record, answered by the correction (nothing to do any more).
  const answered = pending.locator(`tr[data-result-id="${firstId}"]`);
  await expect(answered).toContainText('已复核：已作为更正重新提交（备注：已按审核意见更正）');
  await expect(answered.getByRole('link', { name: '按审核意见更正' })).toHaveCount(0);
  const corrected = uploaded.locator('tr[data-result-id]').filter({ hasText: '更正记录' });
  await expect(corrected).toContainText('已接收，待审核', { timeout: 30_000 });
  const fixId = (await corrected.getAttribute('data-result-id'))!;
  expect(fixId).not.toBe(firstId);

  // The reviewer passes the correction: published once; the returned result never.
  await reviewer.getByRole('button', { name: '加载' }).click();
  await expect(reviewer.locator(`tr[data-result-id="${fixId}"]`)).toHaveCount(1);
  await expect(reviewer.locator(`tr[data-result-id="${firstId}"]`)).toHaveCount(0);
  await decide(reviewer, fixId, '通过');
  await expect
    .poll(async () => (await publicResults(platform.url, task.enterprise.uscc)).results.map((r) => r.resultId), {
      timeout: 20_000,
    })
    .toEqual([fixId]);
  expect(platform.admin.counts(fixId)).toEqual({ results: 1, publications: 1 });
  expect(platform.admin.counts(firstId)).toEqual({ results: 1, publications: 0 });
  await page.bringToFront();
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(uploaded.locator(`tr[data-result-id="${fixId}"]`)).toContainText('已公示', { timeout: 15_000 });
});
