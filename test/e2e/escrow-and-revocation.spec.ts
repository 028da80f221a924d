/**
 * The key escrow keeps sealed work reachable, and revocation shuts a lost laptop out:
 * - a forgotten password: the station sets a new one on the platform, the inspector signs in online
 *   with it, and the work sealed under the old one opens (the draft) and goes out (the result);
 * - a revoked device: the app's next request meets 403, the app locks with 设备已被停用 and the
 *   platform holds nothing from it; once reinstated, an online sign-in recovers the key from escrow
 *   and the pending result uploads exactly once.
 */
import type { Page } from '@playwright/test';
import { ADMIN_SECRET_HEADER } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { StartedPlatform } from '../platform/server.js';
import { expect, test } from './fixtures.js';
import type { Login } from './platform-probe.js';
import { gotoInspection, openOutbox, signIn } from './pages.js';
import { devicesOf, storedResults } from './platform-records.js';
import { passwordScreenHeading, pendingResultAndDraft } from './seal-pages.js';

const FINDINGS = '复核：消防通道堆放杂物已清理';
const DRAFT = '草稿：待补充从业人员健康证照片';

async function admin(url: string, secret: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { [ADMIN_SECRET_HEADER]: secret, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`admin ${path}: HTTP ${res.status} ${await res.text()}`);
}

/** How often the platform has handed this inspector's data key out of escrow. */
function dataKeyReleases(platform: StartedPlatform, who: Login): number {
  return platform.admin.keyReleases(who.inspectorId).filter((r) => r.kind === 'data-key').length;
}

function twoTasks(tasks: readonly Task[]): { final: Task; draft: Task } {
  const [final, draft] = tasks;
  if (!final || !draft) throw new Error('the inspector needs two assigned tasks');
  return { final, draft };
}

async function expectUploadedOnce(page: Page, platformDir: string, who: Login, task: Task): Promise<void> {
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 60_000,
  });
  const stored = storedResults(platformDir);
  expect(stored.map((r) => ({ taskId: r.taskId, inspectorId: r.inspectorId }))).toEqual([
    { taskId: task.id, inspectorId: who.inspectorId },
  ]);
  expect(stored[0]!.findings).toContain(FINDINGS);
}

test('forgotten password: a new one set on the platform opens the sealed work and the result uploads', async ({
  platform,
  probe,
  app,
  platformDir,
}) => {
  test.setTimeout(300_000);
  const who = platform.logins[0]!;
  const tasks = twoTasks(await probe.assignedTasks(who));
  let page = await app.open();
  await pendingResultAndDraft(page, app.context, who, tasks, { findings: FINDINGS, draft: DRAFT });

  // The app is restarted and the inspector no longer knows the old password.
  page = await app.crash();
  await expect(passwordScreenHeading(page)).toBeVisible();
  const newPassword = 'reset-by-station-2026';
  await admin(platform.url, platform.adminSecret, `/v1/admin/inspectors/${who.inspectorId}/password`, {
    password: newPassword,
  });
  expect(storedResults(platformDir)).toEqual([]);
  const releasedBefore = dataKeyReleases(platform, who);

  await app.context.setOffline(false);
  if ((await passwordScreenHeading(page).innerText()).trim() === '已锁定')
    await page.getByRole('button', { name: '切换检查员' }).click();
  await signIn(page, who.certNo, newPassword);
  await gotoInspection(page, tasks.draft.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue(DRAFT);
  // The old password could not unwrap the local copy: the key came from the escrow.
  expect(dataKeyReleases(platform, who)).toBeGreaterThan(releasedBefore);
  await expectUploadedOnce(page, platformDir, who, tasks.final);
});

test('revoked laptop: the next request locks it with 设备已被停用; reinstated, the result uploads exactly once', async ({
  platform,
  probe,
  app,
  platformDir,
}) => {
  test.setTimeout(300_000);
  const who = platform.logins[0]!;
  const tasks = twoTasks(await probe.assignedTasks(who));
  const page = await app.open();
  await pendingResultAndDraft(page, app.context, who, tasks, { findings: FINDINGS, draft: DRAFT });
  const [deviceId, ...others] = devicesOf(platformDir, who.inspectorId);
  expect(deviceId).toBeDefined();
  expect(others).toEqual([]);

  await admin(platform.url, platform.adminSecret, `/v1/admin/devices/${encodeURIComponent(deviceId!)}/revoke`);
  // The network returns: the outbox tries to upload, and that request is the one that meets the revocation.
  await app.context.setOffline(false);
  await expect(page.getByRole('alert').filter({ hasText: '设备已被停用' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('heading', { name: '已锁定' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  expect(storedResults(platformDir)).toEqual([]);
  const releasedBefore = dataKeyReleases(platform, who);

  // The laptop is found: reinstated, the inspector signs in online and the escrow gives the key back.
  await admin(platform.url, platform.adminSecret, `/v1/admin/devices/${encodeURIComponent(deviceId!)}/reinstate`);
  await page.getByRole('button', { name: '切换检查员' }).click();
  await signIn(page, who.certNo, who.password);
  await gotoInspection(page, tasks.draft.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue(DRAFT);
  // The local key copies were destroyed at the revocation: the key came from the escrow.
  expect(dataKeyReleases(platform, who)).toBeGreaterThan(releasedBefore);
  await expectUploadedOnce(page, platformDir, who, tasks.final);
  const [stored] = storedResults(platformDir);
  expect(stored!.deviceId).toBe(deviceId);
  expect(platform.admin.counts(stored!.resultId).results).toBe(1);
});
