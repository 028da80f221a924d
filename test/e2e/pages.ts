/**
 * Page objects: the inspector's steps by what they are called on screen (roles and labels), so the
 * specs read like the inspector's day and survive layout changes.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import { signAll, type PartySigner } from './inspection-pages.js';

export async function signIn(page: Page, certNo: string, password: string): Promise<void> {
  await expect(page.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
  await page.getByLabel('执法证号').fill(certNo);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export async function syncAll(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  // Signing in starts a sync by itself; start one only if none ran (the button is disabled while running).
  const phase = page.getByTestId('sync-phase');
  const start = page.getByRole('button', { name: '开始同步' });
  await expect(phase).not.toHaveText('', { timeout: 5_000 });
  if (!/正在同步|同步完成/.test(await phase.innerText()) && (await start.isEnabled())) await start.click();
  await expect(page.getByTestId('sync-phase')).toContainText('同步完成', { timeout: 60_000 });
}

export async function networkStatus(page: Page): Promise<string> {
  return (await page.getByTestId('network-status').innerText()).trim();
}

export async function openTasks(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '任务', exact: true }).click();
  await expect(page.getByRole('table', { name: '任务列表' })).toBeVisible();
}

/** Opens the task of the enterprise with this name and starts (or continues) the inspection. */
export async function startInspection(page: Page, taskNo: string, enterpriseName: string): Promise<void> {
  // One enterprise may appear in several tasks (different plans): pick the row by its task number.
  const row = page.getByRole('table', { name: '任务列表' }).getByRole('row').filter({ hasText: taskNo });
  await row.getByRole('link', { name: enterpriseName }).click();
  await expect(page.getByRole('heading', { name: enterpriseName })).toBeVisible();
  await page.getByRole('button', { name: /开始检查|继续检查/ }).click();
}

/** Marks every check item 符合, ticks 未发现问题 and 实地检查, signs, and waits for the autosave. */
export async function fillAllCompliant(page: Page, findings: string, party?: PartySigner): Promise<void> {
  const groups = page.getByRole('radiogroup');
  await expect(groups.first()).toBeVisible();
  const n = await groups.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) await groups.nth(i).getByRole('radio', { name: '符合', exact: true }).check();
  await page.getByLabel('发现问题情况').fill(findings);
  await page.getByRole('group', { name: '检查结果' }).getByRole('checkbox', { name: '未发现问题' }).check();
  await page.getByRole('group', { name: '核查方式' }).getByRole('checkbox', { name: '实地检查' }).check();
  await signAll(page, party); // finalize requires the inspectors' and the party's signatures
  await expect(page.getByTestId('save-status')).toContainText('已保存');
}

/** Opens the task's page (its detail) from the task list. */
export async function openTask(page: Page, task: { taskNo: string; enterprise: { name: string } }): Promise<void> {
  await openTasks(page);
  const row = page.getByRole('table', { name: '任务列表' }).getByRole('row').filter({ hasText: task.taskNo });
  await row.getByRole('link', { name: task.enterprise.name }).click();
  await expect(page.getByRole('heading', { name: task.enterprise.name })).toBeVisible();
}

/**
 * Straight to a task's inspection form by its route (after a relaunch the app comes up signed in
 * on its home screen; the inspector would click their way back, the test takes the route).
 */
export async function gotoInspection(page: Page, taskId: string): Promise<void> {
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await page.goto(page.url().replace(/#.*$/, '') + `#/tasks/${encodeURIComponent(taskId)}/inspect`);
  await expect(page.getByRole('heading', { name: '检查事项' })).toBeVisible();
}

export interface OpenMyTaskOptions {
  /** Take the browser offline after the sync (and wait until the app says 离线). */
  readonly offline?: BrowserContext;
  /** 'inspect' (default) starts or continues the inspection; 'detail' stays on the task's page. */
  readonly view?: 'inspect' | 'detail';
}

/** The inspector's usual start: sign in, sync everything, then open their task. */
export async function openMyTask(
  page: Page,
  who: { certNo: string; password: string },
  task: { taskNo: string; enterprise: { name: string } },
  options: OpenMyTaskOptions = {},
): Promise<void> {
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  if (options.offline) {
    await options.offline.setOffline(true);
    await expect.poll(() => networkStatus(page)).toBe('离线');
  }
  if ((options.view ?? 'inspect') === 'inspect') {
    await openTasks(page);
    await startInspection(page, task.taskNo, task.enterprise.name);
  } else {
    await openTask(page, task);
  }
}

export async function finalize(page: Page): Promise<{ contentHash: string }> {
  await page.getByRole('button', { name: '完成并锁定' }).click();
  await expect(page.getByRole('heading', { name: '检查结果（已锁定）' })).toBeVisible();
  return { contentHash: (await page.getByTestId('content-hash').innerText()).trim() };
}

export async function openOutbox(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: '主导航' })
    .getByRole('link', { name: /^待上传/ })
    .click();
  await expect(page.getByRole('heading', { name: '待上传' })).toBeVisible();
}
