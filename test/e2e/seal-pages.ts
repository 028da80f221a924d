/**
 * Page objects for the sealed-partition screens: sign-out (keep or delete this laptop's data), the
 * lock screen and unlocking it. Named by what the inspector sees, like pages.ts.
 */
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { Task } from '../../shared/protocol/index.js';
import { fillAllCompliant, finalize, openMyTask, openTasks, startInspection } from './pages.js';

export const KEEP_DATA = '保留本机数据（加密保存）';
export const DELETE_DATA = '删除本机数据';

export function signOutDialog(page: Page) {
  return page.getByRole('dialog', { name: '退出登录' });
}

/** 设置 → 退出登录, up to the dialog that asks what happens to this laptop's data. */
export async function openSignOut(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '设置' }).click();
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(signOutDialog(page)).toBeVisible();
}

/** Signs out keeping this laptop's data sealed (the default), and waits for the sign-in screen. */
export async function signOutKeepingData(page: Page): Promise<void> {
  await openSignOut(page);
  const dialog = signOutDialog(page);
  await expect(dialog.getByRole('radio', { name: KEEP_DATA })).toBeChecked();
  await dialog.getByRole('button', { name: '确认退出' }).click();
  await expect(page.getByRole('heading', { name: '登录', exact: true })).toBeVisible();
}

/** The lock screen is up and nothing of the app behind it is in the DOM. */
export async function expectLocked(page: Page): Promise<void> {
  await expect(page.getByRole('heading', { name: '已锁定' })).toBeVisible();
  await expect(page.getByLabel('密码')).toBeVisible();
  await expect(page.getByRole('button', { name: '解锁' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主导航' })).toHaveCount(0);
  await expect(page.getByRole('table')).toHaveCount(0);
}

/** The header's 锁定 button: the app locks at once. */
export async function lockNow(page: Page): Promise<void> {
  await page.getByRole('banner').getByRole('button', { name: '锁定', exact: true }).click();
  await expectLocked(page);
}

export async function unlock(page: Page, password: string): Promise<void> {
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '解锁' }).click();
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
}

/** The heading of either password screen: 已锁定 (a lock) or 登录 (at launch, after sign-out). */
export function passwordScreenHeading(page: Page) {
  return page.getByRole('heading', { name: /^(登录|已锁定)$/ });
}

/**
 * The inspector's unfinished business on this laptop: one result finalized with no network (so it
 * waits in the outbox) and a draft with typed text on another task. Signs in online and syncs first;
 * leaves the browser offline on the draft's form.
 */
export async function pendingResultAndDraft(
  page: Page,
  offline: BrowserContext,
  who: { certNo: string; password: string },
  tasks: { final: Task; draft: Task },
  text: { findings: string; draft: string },
): Promise<void> {
  await openMyTask(page, who, tasks.final, { offline });
  await fillAllCompliant(page, text.findings);
  await finalize(page);
  await openTasks(page);
  await startInspection(page, tasks.draft.taskNo, tasks.draft.enterprise.name);
  await page.getByLabel('发现问题情况').fill(text.draft);
  await expect(page.getByTestId('save-status')).toContainText('已保存');
}
