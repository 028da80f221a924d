/**
 * The inspector's round trip: sign in → sync → offline → inspect and finalize → reload (still
 * there, still offline) → online → uploaded → the public page shows the result exactly once.
 * The second test SIGKILLs the browser after the platform committed the upload but before the
 * answer arrived, and checks that the relaunch ends with exactly one result and one publication.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { PublicResultsResponseSchema } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import { fillAllCompliant, finalize, networkStatus, openMyTask, openOutbox, signIn } from './pages.js';

const SHOTS = 'test-results/screens';

async function publicResults(url: string, uscc: string) {
  const res = await fetch(`${url}/v1/public/enterprises/${uscc}/results`);
  expect(res.status).toBe(200);
  return PublicResultsResponseSchema.parse(await res.json());
}

test('sign in, sync, inspect offline, reload offline, reconnect: published exactly once; a later log rewrite is caught', async ({
  platform,
  probe,
  app,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);

  const page = await app.open();
  // Nothing real is configured in this run: the demo platform's data is marked as such on screen.
  await expect(page.getByRole('note').filter({ hasText: '演示数据' })).toBeVisible();
  await openMyTask(page, who, task, { offline: app.context });
  await expect(page.getByRole('banner').getByRole('note').filter({ hasText: '演示数据' })).toBeVisible();
  await fillAllCompliant(page, '现场核查营业执照、公示信息与实际一致。');
  await page.screenshot({ path: `${SHOTS}/inspection.png`, fullPage: true });
  const { contentHash } = await finalize(page);
  expect(contentHash).toMatch(/[0-9a-f]{64}/);

  // Reload with no network: the app, the session and the finalized result are all still there.
  await page.reload();
  await signIn(page, who.certNo, who.password); // the vault opens offline with the password
  await expect.poll(() => networkStatus(page)).toBe('离线');
  await expect(page.getByRole('heading', { name: '检查结果（已锁定）' })).toBeVisible();
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText(task.enterprise.name);
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText('等待上传');
  expect((await publicResults(platform.url, task.enterprise.uscc)).results).toHaveLength(0);

  // Back online: the outbox drains by itself on reconnect.
  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 30_000,
  });
  // Counted as accepted only after the receipt's signature and log proof verified against the pinned key.
  await expect(page.getByRole('table', { name: '已上传的检查结果' }).getByTestId('log-verified')).toHaveText(
    /^平台日志已验证（第 \d+ 条）$/,
  );
  await expect(page.getByTestId('log-alarm-status')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/outbox.png` });

  await expect
    .poll(async () => (await publicResults(platform.url, task.enterprise.uscc)).results.length, { timeout: 20_000 })
    .toBe(1);
  const published = await publicResults(platform.url, task.enterprise.uscc);
  expect(published.name).toBe(task.enterprise.name);
  expect(published.results[0]!.result).toContain('未发现问题');
  const counts = platform.admin.counts(published.results[0]!.resultId);
  expect(counts).toEqual({ results: 1, publications: 1 });

  // The public web page shows it under the enterprise's name.
  const html = await (await fetch(`${platform.url}/public/enterprises/${task.enterprise.uscc}`)).text();
  expect(html).toContain(task.enterprise.name);
  expect(html.split(published.results[0]!.resultId).length - 1).toBeLessThanOrEqual(1);

  // The platform later rewrites its log (drops the entry): the app's next consistency check catches
  // it, and the outbox and the status bar say so.
  platform.rewriteLog('drop', 0);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(page.getByTestId('log-alarm-status')).toHaveText('平台记录被改写，上传已停止');
  await expect(page.getByTestId('log-alarm')).toContainText('平台记录被改写：');

  // The review: both signed checkpoints, the evidence file, and resuming only with a reason.
  const review = page.getByTestId('log-alarm-review');
  const checkpoints = review.getByRole('table', { name: '相互矛盾的签名检查点' });
  await expect(checkpoints.getByRole('row', { name: /本机此前验证的检查点/ })).toContainText(/[0-9a-f]{64}/);
  await expect(checkpoints.getByRole('row', { name: /平台现在给出的检查点/ })).toContainText(/[0-9a-f]{64}/);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    review.getByRole('button', { name: '导出证据（JSON）' }).click(),
  ]);
  const evidence = JSON.parse(readFileSync(await file.path(), 'utf8')) as Record<string, unknown>;
  expect(evidence).toMatchObject({
    platformLogKey: platform.logKey,
    seen: { signedCheckpoint: expect.stringContaining('\n\u2014 ') },
    new: { signedCheckpoint: expect.stringContaining('\n\u2014 ') },
  });
  const form = review.getByRole('form', { name: '确认后恢复上传' });
  const resume = form.getByRole('button', { name: '确认并恢复上传' });
  await expect(resume).toBeDisabled();
  await form.getByRole('checkbox').check();
  await form.getByLabel(/恢复上传的原因/).fill('好');
  await resume.click();
  await expect(form.getByRole('alert')).toContainText('请填写恢复上传的原因');
  await expect(page.getByTestId('log-alarm-status')).toBeVisible();
  await form.getByLabel(/恢复上传的原因/).fill('管理员已核查：平台维护时回滚了日志，已书面说明');
  await resume.click();
  await expect(page.getByTestId('log-alarm-status')).toHaveCount(0);
  await expect(review).toHaveCount(0);
});

test('SIGKILLed after the platform committed but before the answer: one result after the relaunch', async ({
  platform,
  probe,
  app,
}) => {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);

  let page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  await fillAllCompliant(page, '经营场所与登记住所一致。');
  await finalize(page);

  // The platform commits the result, then holds the answer back long enough for us to kill the app.
  platform.admin.addFault({ kind: 'delay-after-commit', method: 'PUT', path: '^/v1/results/', ms: 20_000, times: 1 });
  const sent = page.waitForRequest((r) => r.method() === 'PUT' && r.url().includes('/v1/results/'));
  await app.context.setOffline(false);
  const request = await sent;
  const resultId = decodeURIComponent(new URL(request.url()).pathname.split('/').pop()!);
  await expect.poll(() => platform.admin.counts(resultId).results, { timeout: 15_000 }).toBe(1);

  // SIGKILL the whole browser mid-request and start it again on the same profile.
  page = await app.crash();
  await signIn(page, who.certNo, who.password);
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 45_000,
  });
  await expect
    .poll(async () => (await publicResults(platform.url, task.enterprise.uscc)).results.length, { timeout: 20_000 })
    .toBe(1);
  expect(platform.admin.counts(resultId)).toEqual({ results: 1, publications: 1 });
  expect((await publicResults(platform.url, task.enterprise.uscc)).results[0]!.resultId).toBe(resultId);
});
