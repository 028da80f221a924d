/**
 * "Every keystroke autosaved; a crash loses at most the last moment" (issue 4 §7): type into the
 * inspection form and kill the browser at once — no waiting for 已保存 — then reopen the same
 * profile: the text is there. The keystrokes reach a synchronous journal (localStorage) before the
 * debounced IndexedDB save, and the journal is replayed into the draft on the next open.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { itemGroup, setOutcome } from './inspection-pages.js';
import { openTasks, signIn, startInspection, syncAll } from './pages.js';

async function firstTask(url: string, certNo: string, password: string, mine: Set<string>) {
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ certNo, password, deviceId: 'e2e-probe-autosave', deviceName: 'probe' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${url}/v1/sync/tasks?cursor=0&limit=200`, { headers: { Authorization: `Bearer ${accessToken}` } });
  const body = (await res.json()) as { changes: { task?: { id: string; taskNo: string; status: string; enterprise: { name: string }; items: { name: string }[] } }[] };
  const task = body.changes.flatMap((c) => (c.task && c.task.status === 'assigned' && mine.has(c.task.id) ? [c.task] : []))[0];
  if (!task) throw new Error('no assigned task for the demo inspector');
  return task;
}

/** After a relaunch: wait for the app to come up signed in, then go straight to the inspection. */
async function reopenInspection(page: Page, taskId: string): Promise<Page> {
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await page.goto(page.url().replace(/#.*$/, '') + `#/tasks/${encodeURIComponent(taskId)}/inspect`);
  await expect(page.getByRole('heading', { name: '检查事项' })).toBeVisible();
  return page;
}

test('typing and killing the browser at once (no wait for 已保存) keeps the text', async ({ platform, app }) => {
  const who = platform.logins[0]!;
  const task = await firstTask(platform.url, who.certNo, who.password, new Set(platform.admin.tasksOf(who.inspectorId)));
  let page = await app.open();
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await app.context.setOffline(true);
  await openTasks(page);
  await startInspection(page, task.taskNo, task.enterprise.name);
  const item = task.items[0]!;
  await setOutcome(page, item.name, '不涉及');
  await itemGroup(page, item.name).getByLabel('备注').pressSequentially('本单位无此业务');
  await page.getByLabel('发现问题情况').pressSequentially('现场发现台账记录不全，已要求补齐');
  // No wait for 已保存: the browser goes away with the last keystrokes still in the debounce window.
  page = await reopenInspection(await app.restart(), task.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue('现场发现台账记录不全，已要求补齐');
  await expect(itemGroup(page, item.name).getByLabel('备注')).toHaveValue('本单位无此业务');
  await expect(itemGroup(page, item.name).getByRole('radio', { name: '不涉及', exact: true })).toBeChecked();
  // The replayed text is stored in the draft too: after the save, another restart still has it.
  await expect(page.getByTestId('save-status')).toContainText('已保存');
  page = await reopenInspection(await app.restart(), task.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue('现场发现台账记录不全，已要求补齐');
  await expect(page.getByTestId('journal-restored')).toHaveCount(0);
});
