/**
 * Faults of the result upload on the wire, in Chromium against the simulator (the Node suite in
 * test/reliability covers the same faults in the engine's logic): a connection reset mid-body
 * (exactly one result, same idempotency key), a task cancelled on the platform (需处理 with the
 * reason, kept with a note, never discarded), and 429 with Retry-After (nothing is resent
 * before the platform's delay, however many times the outbox drains meanwhile).
 */
import { BASE_BACKOFF_MS } from '../../renderer/src/sync/push-answers.js';
import { DRAIN_INTERVAL_MS } from '../../renderer/src/services/outbox/outbox.service.js';
import type { StartedPlatform } from '../platform/server.js';
import { expect, test, type Browser } from './fixtures.js';
import { fillAllCompliant, finalize, openMyTask, openOutbox } from './pages.js';
import type { PlatformProbe } from './platform-probe.js';

async function finalizeOffline(app: Browser, platform: StartedPlatform, probe: PlatformProbe) {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  await fillAllCompliant(page, '现场核查一致。');
  await finalize(page);
  await openOutbox(page);
  return { page, task };
}

test('TCP reset mid-body of PUT /results: nothing committed, the retry with the same key gives exactly 1 result', async ({
  platform,
  probe,
  app,
}) => {
  const { page, task } = await finalizeOffline(app, platform, probe);
  platform.admin.addFault({ kind: 'drop-mid-body', method: 'PUT', path: '^/v1/results/' });
  const keys: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && r.url().includes('/v1/results/')) keys.push(r.headers()['idempotency-key'] ?? '');
  });
  await app.context.setOffline(false);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect.poll(() => platform.admin.listFaults()[0]?.fired ?? 0).toBe(1);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 30_000,
  });
  expect(new Set(keys).size).toBe(1);
  const resultId =
    (await page
      .getByRole('table', { name: '已上传的检查结果' })
      .locator('tr[data-result-id]')
      .first()
      .getAttribute('data-result-id')) ?? '';
  expect(platform.admin.counts(resultId).results).toBe(1);
  expect(task.enterprise.name.length).toBeGreaterThan(0);
});

test('task cancelled while offline: 需处理 with the reason, kept with a note, not published', async ({
  platform,
  probe,
  app,
}) => {
  const { page, task } = await finalizeOffline(app, platform, probe);
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

// A client that ignored Retry-After would retry after its own backoff (at most BASE_BACKOFF_MS after
// the first failure) at the next drain; the outbox drains every DRAIN_INTERVAL_MS. Two intervals
// plus that backoff always hold a drain at which such a client would send again.
const WATCH_MS = 2 * DRAIN_INTERVAL_MS + 2 * BASE_BACKOFF_MS;

// 503 takes the same path through the push engine (the unit and reliability tests answer both with
// Retry-After); the real app's timers are watched here once, with 429, to keep the run short.
for (const status of [429] as const) {
  test(`${status} with Retry-After: nothing is resent before the platform's delay, through two drain intervals`, async ({
    platform,
    probe,
    app,
  }) => {
    test.setTimeout(90_000 + WATCH_MS);
    const { page } = await finalizeOffline(app, platform, probe);
    platform.admin.addFault({
      kind: 'status',
      method: 'PUT',
      path: '^/v1/results/',
      status,
      retryAfter: 3600,
      times: 100,
    });
    let puts = 0;
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/v1/results/')) puts += 1;
    });
    await app.context.setOffline(false);
    const pending = page.getByRole('table', { name: '待上传的检查结果' });
    await expect(pending).toContainText('平台繁忙', { timeout: 30_000 });
    await expect(pending).toContainText('等待上传');
    expect(puts).toBe(1);
    await page.waitForTimeout(WATCH_MS); // an observation window, not a timing assertion
    expect(puts).toBe(1);
    expect(platform.admin.listFaults()[0]?.fired).toBe(1);
  });
}
