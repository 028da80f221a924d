/**
 * The lock: a relaunched app opens on a password screen with nothing of the inspector's work in the
 * DOM; 锁定 locks at once and text typed just before it survives the lock and the unlock; the app
 * locks itself after the idle minutes (Playwright's clock moves time, nobody sleeps); wrong
 * passwords are answered at once three times, then the fourth costs a wait during which 解锁 is
 * disabled; and the right password unlocks with no network at all.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { gotoInspection, networkStatus, openMyTask, openTask, openTasks, signIn, syncAll } from './pages.js';
import { expectLocked, lockNow, unlock } from './seal-pages.js';

const IDLE_MINUTES = 10; // the default: the demo app-config.json sets no lockIdleMinutes

async function wrongPassword(page: Page): Promise<void> {
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '解锁' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
}

test('a relaunched app shows only a password screen: nothing of the task list is in the DOM', async ({
  platform,
  probe,
  app,
}) => {
  const who = platform.logins[0]!;
  const tasks = await probe.assignedTasks(who);
  let page = await app.open();
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await openTasks(page);
  await expect(page.getByRole('table', { name: '任务列表' })).toContainText(tasks[0]!.enterprise.name);

  page = await app.crash();
  await expect(page.getByRole('heading', { name: /^(登录|已锁定)$/ })).toBeVisible();
  await expect(page.getByLabel('密码')).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
  const html = await page.content();
  for (const t of tasks) {
    expect(html).not.toContain(t.enterprise.name);
    expect(html).not.toContain(t.taskNo);
  }
});

test('锁定 locks at once; text typed just before it is there after the unlock', async ({ platform, probe, app }) => {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task);
  const typed = '锁屏前刚输入尚未保存的文字';
  await page.getByLabel('发现问题情况').pressSequentially(typed);
  await lockNow(page); // no wait for 已保存: the lock itself must not lose the keystrokes
  await expect(page.getByText(typed)).toHaveCount(0);
  await unlock(page, who.password);
  await gotoInspection(page, task.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue(typed);
});

test('idle lock, back-off after the third wrong password, and an offline unlock', async ({ platform, probe, app }) => {
  test.setTimeout(240_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  // The fake clock goes in before the app's first script runs, so every timer of the app uses it.
  const first = app.context.pages()[0] ?? (await app.context.newPage());
  await first.clock.install();
  const page = await app.open();
  expect(page).toBe(first);
  await openMyTask(page, who, task, { view: 'detail' });

  // Idle: nothing happens for longer than the idle minutes.
  await expect(page.getByRole('heading', { name: task.enterprise.name })).toBeVisible();
  await page.clock.fastForward((IDLE_MINUTES * 60 + 30) * 1000);
  await expectLocked(page);

  // No network from here on: the unlock is local.
  await app.context.setOffline(true);
  await page.clock.fastForward(5_000); // the app's connectivity check runs on its timers
  for (let i = 1; i <= 3; i++) {
    await wrongPassword(page);
    await expect(page.getByRole('alert')).not.toContainText('秒后重试');
    await expect(page.getByRole('button', { name: '解锁' })).toBeEnabled();
  }
  // The fake clock flows with real time until paused: on a loaded machine the 2-s wait after the
  // fourth failure could run out before the alert is read. From here only the test moves time.
  await page.clock.pauseAt(await page.evaluate(() => Date.now() + 1_000));
  await wrongPassword(page);
  await expect(page.getByRole('alert')).toContainText('秒后重试');
  await expect(page.getByRole('button', { name: '解锁' })).toBeDisabled();

  // Time passes (on the fake clock) until the wait is over; then the right password opens it.
  for (let waited = 0; await page.getByRole('button', { name: '解锁' }).isDisabled(); waited += 10) {
    if (waited > 3600) throw new Error('解锁 still disabled an hour (of fake time) after the fourth wrong password');
    await page.clock.fastForward(10_000);
  }
  await page.clock.resume();
  await unlock(page, who.password);
  await expect.poll(() => networkStatus(page)).toBe('离线');
  await openTask(page, task);
});
