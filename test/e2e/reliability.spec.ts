/**
 * RELIABILITY.md rows whose fault is on the wire or in the browser, in Chromium against the
 * simulator (the Node suite in test/reliability covers the same rows in the engine's logic):
 * row 5 (connection reset mid-body), row 12 (task cancelled: 需处理 with the reason, kept with a
 * note, never discarded) and row 20 (429 Retry-After honoured: no tight loop).
 */
import type { StartedPlatform } from '../platform/server.js';
import { expect, test, type Browser } from './fixtures.js';
import { fillAllCompliant, finalize, openOutbox, openTasks, signIn, startInspection, syncAll } from './pages.js';

type Platform = StartedPlatform;

async function myTask(platform: Platform) {
  const who = platform.logins[0]!;
  const login = await fetch(`${platform.url}/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ certNo: who.certNo, password: who.password, deviceId: 'e2e-probe', deviceName: 'probe' }),
  });
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const res = await fetch(`${platform.url}/v1/sync/tasks?cursor=0&limit=100`, { headers: { Authorization: `Bearer ${token}` } });
  const body = (await res.json()) as { changes: { task?: { id: string; taskNo: string; status: string; enterprise: { uscc: string; name: string } } }[] };
  const mine = new Set(platform.admin.tasksOf(who.inspectorId));
  const task = body.changes.flatMap((c) => (c.task && c.task.status === 'assigned' && mine.has(c.task.id) ? [c.task] : []))[0];
  if (!task) throw new Error('no assigned task');
  return { who, task };
}

async function finalizeOffline(app: Browser, platform: Platform) {
  const { who, task } = await myTask(platform);
  const page = await app.open();
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await app.context.setOffline(true);
  await openTasks(page);
  await startInspection(page, task.taskNo, task.enterprise.name);
  await fillAllCompliant(page, '现场核查一致。');
  await finalize(page);
  await openOutbox(page);
  return { page, task };
}

test('row 5: TCP reset mid-body of PUT /results: nothing committed, the retry with the same key gives exactly 1 result', async ({ platform, app }) => {
  const { page, task } = await finalizeOffline(app, platform);
  platform.admin.addFault({ kind: 'drop-mid-body', method: 'PUT', path: '^/v1/results/' });
  const keys: string[] = [];
  page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/v1/results/')) keys.push(r.headers()['idempotency-key'] ?? ''); });
  await app.context.setOffline(false);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect.poll(() => platform.admin.listFaults()[0]?.fired ?? 0).toBe(1);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, { timeout: 30_000 });
  expect(new Set(keys).size).toBe(1);
  const resultId = (await page.getByRole('table', { name: '已上传的检查结果' }).locator('tr[data-result-id]').first().getAttribute('data-result-id')) ?? '';
  expect(platform.admin.counts(resultId).results).toBe(1);
  expect(task.enterprise.name.length).toBeGreaterThan(0);
});

test('row 12: task cancelled while offline: 需处理 with the reason, kept with a note, not published', async ({ platform, app }) => {
  const { page, task } = await finalizeOffline(app, platform);
  platform.admin.cancelTask(task.id);
  await app.context.setOffline(false);
  await page.getByRole('button', { name: '立即上传' }).click();
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  await expect(pending).toContainText('需处理', { timeout: 30_000 });
  await expect(pending).toContainText('撤销');
  const review = page.getByRole('group', { name: `复核 ${task.enterprise.name}` });
  await expect(review.getByRole('button', { name: '作为更正重新提交' })).toHaveCount(0);
  await review.getByLabel('复核备注').fill('已与科室确认，本次检查记录留存备查。');
  await review.getByRole('button', { name: '保留并备注' }).click();
  await expect(pending).toContainText('已复核：保留本地记录');
  const resultId = (await pending.locator('tr[data-result-id]').first().getAttribute('data-result-id')) ?? '';
  platform.admin.publishNow();
  expect(platform.admin.counts(resultId)).toEqual({ results: 1, publications: 0 });
});

test('row 20: 429 with Retry-After: the delay is honoured, no tight loop', async ({ platform, app }) => {
  const { page } = await finalizeOffline(app, platform);
  platform.admin.addFault({ kind: 'status', method: 'PUT', path: '^/v1/results/', status: 429, retryAfter: 3600, times: 100 });
  let puts = 0;
  page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/v1/results/')) puts += 1; });
  await app.context.setOffline(false);
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  await expect(pending).toContainText('平台繁忙', { timeout: 30_000 });
  await expect(pending).toContainText('等待上传');
  await page.waitForTimeout(2000);
  expect(puts).toBe(1);
});
