/**
 * A damaged store at start-up, in Chromium against the simulator, on a persistent profile. A lost
 * store: the app's IndexedDB databases are deleted from the page (localStorage, with the store
 * marker and the receipt ledger, survives) and the page reloads: the recovery screen refuses a
 * silent fresh start, shows what the platform's receipts said was safe, warns that the unuploaded
 * result was lost, and re-syncs only after the inspector confirms. A tampered store: an audit entry
 * is edited in the on-disk store: the start-up alert appears and the result's upload pauses with
 * the reason.
 */
import type { Page } from '@playwright/test';
import type { Task } from '../../shared/protocol/index.js';
import type { StartedPlatform } from '../platform/server.js';
import { expect, test, type Browser } from './fixtures.js';
import { fillAllCompliant, finalize, openMyTask, openOutbox, openTasks, signIn, startInspection } from './pages.js';
import type { PlatformProbe } from './platform-probe.js';

async function finish(page: Page): Promise<void> {
  await fillAllCompliant(page, '现场核查一致。');
  await finalize(page);
}

async function inspect(page: Page, task: Task): Promise<void> {
  await openTasks(page);
  await startInspection(page, task.taskNo, task.enterprise.name);
  await finish(page);
}

/** Signs in, syncs and finalizes the first task (offline if asked); returns the other tasks too. */
async function firstResult(app: Browser, platform: StartedPlatform, probe: PlatformProbe, offline: boolean) {
  const who = platform.logins[0]!;
  // One enterprise may have several tasks: keep one task per enterprise so rows are unambiguous.
  const seen = new Set<string>();
  const tasks = (await probe.assignedTasks(who)).filter(
    (t) => !seen.has(t.enterprise.name) && seen.add(t.enterprise.name),
  );
  const page = await app.open();
  await openMyTask(page, who, tasks[0]!, offline ? { offline: app.context } : {});
  await finish(page);
  return { page, tasks };
}

/**
 * The receipt ledger as stored: one localStorage entry per inspector's store, sealed under their
 * data key (so its content is not readable here; that it changed, or is gone, is).
 */
const ledger = (page: Page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('smart-inspect.result-ledger.'));
    return key ? (localStorage.getItem(key) ?? '') : '';
  });

test('local DB deleted at start-up: recovery screen, receipts show what is safe, the unuploaded result is named as lost, re-sync only after confirming', async ({
  platform,
  probe,
  app,
}) => {
  const { page, tasks } = await firstResult(app, platform, probe, false);
  const [sent, lost] = [tasks[0]!, tasks[1]!];
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '已上传的检查结果' })).toContainText(/已接收|已公示/, {
    timeout: 30_000,
  });
  await app.context.setOffline(true);
  const before = await ledger(page);
  await inspect(page, lost);
  await openOutbox(page);
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText(lost.enterprise.name);
  // Sealed: the ledger's new content cannot be read here, only that it was rewritten after the result.
  await expect.poll(async () => (await ledger(page)) !== before && (await ledger(page)) !== '').toBe(true);

  const deleted = await page.evaluate(async () => {
    const names = (await indexedDB.databases()).flatMap((d) => (d.name ? [d.name] : []));
    for (const name of names) {
      await new Promise((resolve, reject) => {
        const req = indexedDB.deleteDatabase(name);
        req.onsuccess = () => resolve(null);
        req.onerror = () => reject(req.error ?? new Error('delete failed'));
      });
    }
    return names;
  });
  // Each inspector's data is its own database, `field-<random id>`.
  expect(deleted.some((name) => name.startsWith('field-'))).toBe(true);
  await page.reload();
  // Nothing opens without the password; online, the escrow restores the key that names the lost store's ledger.
  await app.context.setOffline(false);
  await signIn(page, platform.logins[0]!.certNo, platform.logins[0]!.password);

  await expect(page.getByRole('heading', { name: '本机数据异常，应用已暂停启动' })).toBeVisible();
  await expect(page.getByRole('alert').first()).toContainText('数据库已丢失');
  await expect(page.getByRole('heading', { name: '登录' })).toHaveCount(0); // no silent fresh start
  const receipts = page.getByRole('table', { name: '平台回执核对' });
  await expect(receipts.getByRole('row').filter({ hasText: sent.enterprise.name })).toContainText(
    '平台已接收（有回执），数据安全',
  );
  await expect(receipts.getByRole('row').filter({ hasText: lost.enterprise.name })).toContainText(
    '本机副本已随数据库丢失',
  );
  await expect(page.getByText('有 1 份检查结果尚未上传，已随本机数据一起丢失')).toBeVisible();

  const go = page.getByRole('button', { name: '重新同步并继续' });
  await expect(go).toBeDisabled();
  await page.getByRole('checkbox', { name: /我已了解/ }).check();
  await go.click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  expect(JSON.parse((await ledger(page)) || '[]')).toEqual([]); // the lost store's ledger was cleared (an audit entry of the new store names it)

  // Accepted once: the next start is normal, and the re-sync brings the tasks back.
  await page.reload();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '本机数据异常，应用已暂停启动' })).toHaveCount(0);
});

test('an audit entry edited in the on-disk store: alert at start-up, the result pauses with the reason, nothing reaches the platform', async ({
  platform,
  probe,
  app,
}) => {
  const { page } = await firstResult(app, platform, probe, true);
  await openOutbox(page);
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  const resultId = (await pending.locator('tr[data-result-id]').first().getAttribute('data-result-id')) ?? '';
  expect(resultId).not.toBe('');

  const edited = await page.evaluate(async () => {
    // The signed-in inspector's partition; its rows are sealed, so the edit flips a byte of the sealed row.
    const name = (await indexedDB.databases()).find((d) => d.name?.startsWith('field-'))?.name ?? 'missing';
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error('open failed'));
    });
    const seq = await new Promise<number>((resolve, reject) => {
      const tx = db.transaction('audit', 'readwrite');
      const store = tx.objectStore('audit');
      const cursor = store.openCursor(null, 'prev');
      cursor.onsuccess = () => {
        const c = cursor.result;
        if (!c) return reject(new Error('no audit entry'));
        const row = c.value as { seq: number; $s: Uint8Array };
        const sealed = new Uint8Array(row.$s);
        sealed[sealed.length - 20]! ^= 0x01;
        c.update({ ...row, $s: sealed });
        tx.oncomplete = () => resolve(row.seq);
      };
      tx.onerror = () => reject(tx.error ?? new Error('tx failed'));
    });
    db.close();
    return seq;
  });
  await page.reload();
  await signIn(page, platform.logins[0]!.certNo, platform.logins[0]!.password); // offline: the password opens the vault
  await expect(page.getByRole('alert').filter({ hasText: '审计日志异常' })).toContainText(
    `第 ${edited} 条及之后的记录被修改或删除`,
  );

  await app.context.setOffline(false);
  await openOutbox(page);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(pending).toContainText('审计日志校验失败', { timeout: 30_000 });
  await expect(page.getByRole('alert').filter({ hasText: '审计日志异常' })).toBeVisible();
  expect(platform.admin.counts(resultId).results).toBe(0);
});
