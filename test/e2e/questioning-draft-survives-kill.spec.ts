/**
 * A questioning typed on site survives a real crash: the inspector opens 询问笔录, types the person's
 * name and two question/answer pairs, waits for 已保存, and the browser is SIGKILLed (every process
 * of it, nothing flushed). After the relaunch on the same profile and the password, the reopened form
 * holds every character typed; once the document is generated the draft is gone and the form opens
 * from the task's defaults again. Locking right after the last keystroke (no wait for 已保存) loses
 * nothing either, and a draft damaged on disk is reported without breaking the form.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { docsPanel } from './document-pages.js';
import { openMyTask, openTask, signIn } from './pages.js';
import { lockNow, unlock } from './seal-pages.js';

const TYPED = {
  name: '林堃',
  age: '37',
  idNo: '330302198805121234',
  q1: '你在本单位担任什么职务？',
  a1: '我是生产副总经理，负责㙟头仓库。',
  q2: '仓库内这批产品何时进货？',
  a2: '2026年4月20日，共120箱。',
};

async function openQuestioning(page: Page): Promise<Locator> {
  await docsPanel(page).getByRole('button', { name: '出具询问笔录' }).click();
  const form = docsPanel(page).getByRole('form', { name: '询问笔录内容' });
  await expect(form.getByRole('button', { name: '生成文书' })).toBeEnabled();
  return form;
}

test('a questioning typed before a SIGKILL is in the form after the relaunch, and gone once issued', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(240_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  let page = await app.open();
  await openMyTask(page, who, task, { offline: app.context, view: 'detail' });

  let form = await openQuestioning(page);
  await form.getByLabel('姓名').fill(TYPED.name);
  await form.getByLabel('年龄（周岁）').fill(TYPED.age);
  await form.getByLabel('身份证件号码').fill(TYPED.idNo);
  await form.getByLabel('问（1）').fill(TYPED.q1);
  await form.getByLabel('答（1）').fill(TYPED.a1);
  await form.getByRole('button', { name: '添加一问一答' }).click();
  await form.getByLabel('问（2）').fill(TYPED.q2);
  await form.getByLabel('答（2）').pressSequentially(TYPED.a2, { delay: 10 });
  // 已保存 appears only after the draft's transaction committed.
  await expect(form.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();

  await app.kill();
  page = await app.relaunch();
  await signIn(page, who.certNo, who.password);
  await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
  await openTask(page, task);
  form = await openQuestioning(page);
  await expect(form).toContainText('已恢复本机保存的草稿');
  await expect(form.getByLabel('姓名')).toHaveValue(TYPED.name);
  await expect(form.getByLabel('年龄（周岁）')).toHaveValue(TYPED.age);
  await expect(form.getByLabel('身份证件号码')).toHaveValue(TYPED.idNo);
  await expect(form.getByLabel('问（1）')).toHaveValue(TYPED.q1);
  await expect(form.getByLabel('答（1）')).toHaveValue(TYPED.a1);
  await expect(form.getByLabel('问（2）')).toHaveValue(TYPED.q2);
  await expect(form.getByLabel('答（2）')).toHaveValue(TYPED.a2);

  await form.getByRole('button', { name: '生成文书' }).click();
  const preview = docsPanel(page).getByRole('region', { name: '预览：询问笔录' });
  await expect(preview.getByRole('img', { name: /预览第 1 页/ })).toBeVisible({ timeout: 30_000 });

  // The draft went with the issuing: the next questioning starts from the task's defaults.
  form = await openQuestioning(page);
  await expect(form).not.toContainText('已恢复本机保存的草稿');
  await expect(form.getByLabel('问（2）')).toHaveCount(0);
  await expect(form.getByLabel('答（1）')).toHaveValue('');
});

test('a draft damaged on disk is reported, the form opens from the defaults, and typing saves again', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(180_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context, view: 'detail' });

  let form = await openQuestioning(page);
  // Prefilled from the credit file: what the form must fall back to.
  const prefilled = await form.getByLabel('姓名').inputValue();
  expect(prefilled).not.toBe(TYPED.name);
  await form.getByLabel('姓名').fill(TYPED.name);
  await expect(form.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await form.getByRole('button', { name: '取消' }).click();

  const flipped = await page.evaluate(async () => {
    // The signed-in inspector's partition; its rows are sealed, so the damage is a flipped byte of the sealed draft.
    const name = (await indexedDB.databases()).find((d) => d.name?.startsWith('field-'))?.name ?? 'missing';
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('open failed'));
    });
    const count = await new Promise<number>((resolve, reject) => {
      const tx = db.transaction('docDrafts', 'readwrite');
      const cursor = tx.objectStore('docDrafts').openCursor();
      let n = 0;
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return;
        const row = c.value as { $s: Uint8Array };
        const sealed = new Uint8Array(row.$s);
        sealed[sealed.length - 20]! ^= 0x01;
        c.update({ ...row, $s: sealed });
        n += 1;
        c.continue();
      };
      tx.oncomplete = () => resolve(n);
      tx.onerror = () => reject(tx.error ?? new Error('tx failed'));
    });
    db.close();
    return count;
  });
  expect(flipped).toBe(1);

  form = await openQuestioning(page);
  await expect(form.getByRole('alert')).toContainText('本机保存的草稿无法打开');
  await expect(form.getByLabel('姓名')).toHaveValue(prefilled);
  await form.getByLabel('姓名').fill('陈犇');
  await expect(form.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await form.getByRole('button', { name: '取消' }).click();
  form = await openQuestioning(page);
  await expect(form).toContainText('已恢复本机保存的草稿');
  await expect(form.getByLabel('姓名')).toHaveValue('陈犇');
});

test('an answer typed just before 锁定 is in the questioning after the unlock', async ({ platform, probe, app }) => {
  test.setTimeout(180_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context, view: 'detail' });
  let form = await openQuestioning(page);
  await form.getByLabel('问（1）').fill(TYPED.q1);
  await form.getByLabel('答（1）').pressSequentially(TYPED.a1);
  await lockNow(page); // no wait for 已保存: the lock itself must save what the debounce still holds
  await expect(page.getByText(TYPED.q1)).toHaveCount(0);
  await unlock(page, who.password);
  await openTask(page, task);
  form = await openQuestioning(page);
  await expect(form.getByLabel('问（1）')).toHaveValue(TYPED.q1);
  await expect(form.getByLabel('答（1）')).toHaveValue(TYPED.a1);
});
