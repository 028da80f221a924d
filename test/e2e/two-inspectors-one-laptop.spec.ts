/**
 * Two inspectors share one laptop and never see each other's work: A finalizes a result offline
 * (it stays pending) and leaves a typed draft, signs out keeping the data; B signs in on the same
 * profile and syncs, and sees exactly B's own tasks, none of A's text, none of A's pending result,
 * and nothing of A's is uploaded under B's session. B signs out, A signs in again (offline): the
 * draft and the pending result are there, and once the network is back and A has given the
 * password online, the result reaches the platform under A's identity from this laptop.
 */
import type { Page } from '@playwright/test';
import type { Task } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import { gotoInspection, networkStatus, openOutbox, openTasks, signIn, startInspection, syncAll } from './pages.js';
import { devicesOf, storedResults } from './platform-records.js';
import { lockNow, pendingResultAndDraft, signOutKeepingData, unlock } from './seal-pages.js';

const A_FINDINGS = '甲检查员终稿：冷藏柜温度记录缺三日';
const A_DRAFT = '甲检查员草稿：尚未核对进货查验台账';

async function taskNosOnScreen(page: Page): Promise<string[]> {
  const cells = page.getByRole('table', { name: '任务列表' }).locator('tbody tr td:first-child');
  return (await cells.allInnerTexts()).map((t) => t.trim()).sort();
}

test('two inspectors on one laptop: each sees only their own tasks, drafts and results', async ({
  platform,
  probe,
  app,
  platformDir,
}) => {
  test.setTimeout(300_000);
  const [a, b] = platform.logins as [(typeof platform.logins)[0], (typeof platform.logins)[0]];
  const aTasks = await probe.assignedTasks(a);
  const bTasks = await probe.assignedTasks(b);
  const bIds = new Set(bTasks.map((t) => t.id));
  const bNames = new Set(bTasks.map((t) => t.enterprise.name));
  // A's finalized result is on a task B has nothing to do with; A's draft on one they share, so B opens it too.
  const finalTask = aTasks.find((t) => !bIds.has(t.id) && !bNames.has(t.enterprise.name));
  const sharedTask: Task | undefined = aTasks.find((t) => bIds.has(t.id));
  if (!finalTask || !sharedTask) throw new Error('the seed must give A a task of A alone and a task shared with B');
  expect(bTasks.length).toBeGreaterThan(0);

  // A: sign in, sync, go offline, finalize one result (pending), leave a draft on the shared task.
  const page = await app.open();
  const text = { findings: A_FINDINGS, draft: A_DRAFT };
  await pendingResultAndDraft(page, app.context, a, { final: finalTask, draft: sharedTask }, text);
  await signOutKeepingData(page);

  // B: online sign-in and sync on the same profile.
  await app.context.setOffline(false); // the sign-in screen has no status bar: the sign-in itself goes online
  await signIn(page, b.certNo, b.password);
  await syncAll(page);
  await openTasks(page);
  // The list fills in as the sync's last pages land: wait for it to settle on exactly B's tasks.
  await expect.poll(() => taskNosOnScreen(page), { timeout: 30_000 }).toEqual(bTasks.map((t) => t.taskNo).sort());
  await expect(page.locator('body')).not.toContainText(A_DRAFT);
  await expect(page.locator('body')).not.toContainText(A_FINDINGS);

  await openOutbox(page);
  await expect(page.locator('body')).not.toContainText(finalTask.enterprise.name);
  await expect(page.locator('body')).not.toContainText(A_FINDINGS);

  // B opens the task A left a draft on: B's form, not A's text.
  await openTasks(page);
  await startInspection(page, sharedTask.taskNo, sharedTask.enterprise.name);
  await expect(page.getByLabel('发现问题情况')).toBeVisible();
  expect(await page.getByLabel('发现问题情况').inputValue()).not.toContain(A_DRAFT);
  await expect(page.locator('body')).not.toContainText(A_DRAFT);
  // Nothing of A's went out under B's session.
  expect(storedResults(platformDir)).toEqual([]);

  // B leaves; A comes back with no network: the draft and the pending result are there.
  await app.context.setOffline(true);
  await expect.poll(() => networkStatus(page)).toBe('离线');
  await signOutKeepingData(page);
  await signIn(page, a.certNo, a.password);
  await gotoInspection(page, sharedTask.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue(A_DRAFT);
  await openOutbox(page);
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  await expect(pending).toContainText(finalTask.enterprise.name);
  await expect(pending).toContainText('等待上传');
  expect(storedResults(platformDir)).toEqual([]);

  // The network returns: A's result uploads as A's, from the device id A signs in with on this laptop
  // (whether B's sessions share that id or have their own is the app's choice, not checked here).
  await app.context.setOffline(false);
  // Signing out forgot A's refresh token and the sign-in just now was offline, so the platform needs
  // A's password once more: A locks and unlocks with the network there, which signs in online.
  await lockNow(page);
  await unlock(page, a.password);
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 60_000,
  });
  const laptop = devicesOf(platformDir, a.inspectorId);
  expect(laptop).toHaveLength(1);
  const stored = storedResults(platformDir);
  expect(stored.map((r) => ({ taskId: r.taskId, inspectorId: r.inspectorId, deviceId: r.deviceId }))).toEqual([
    { taskId: finalTask.id, inspectorId: a.inspectorId, deviceId: laptop[0] },
  ]);
  expect(stored[0]!.findings).toContain(A_FINDINGS);
});
