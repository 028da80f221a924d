/**
 * A finalized result edited in the on-disk IndexedDB of a real Chromium profile, by someone who has
 * the profile but not the inspector's device key. The app is locked (its partition closed, the key
 * dropped); the attacker runs code in a page of the same origin. Without the password the sealed row
 * cannot even be read. With it, the attacker rewrites the findings, fixes the content hash and
 * re-chains the audit log with plain SHA-256, so the chain alone verifies. After a restart the
 * device's signed checkpoint no longer matches: the start-up alert says so, 核验 on the task says so,
 * and the uploader pauses the result with the reason; nothing reaches the platform.
 */
import { buildSync } from 'esbuild';
import { resolve } from 'node:path';
import type * as Attacker from './disk-attacker.page.js';
import { expect, test } from './fixtures.js';
import { fillAllCompliant, finalize, openMyTask, openOutbox, openTask, signIn } from './pages.js';
import { lockNow } from './seal-pages.js';

const attackerKit = buildSync({
  entryPoints: [resolve(import.meta.dirname, 'disk-attacker.page.ts')],
  bundle: true,
  format: 'iife',
  globalName: 'diskAttacker',
  write: false,
}).outputFiles[0]!.text;

type Kit = typeof Attacker;
const ORIGINAL = '现场核查营业执照与实际一致。';
const FORGED = '事后改写：当事人未在现场，未发现问题';

test('a result edited on disk and re-chained with plain hashes: sealed without the password; with it, start-up, 核验 and the uploader all flag the broken device signature', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(120_000);
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  await fillAllCompliant(page, ORIGINAL);
  await finalize(page);
  await openOutbox(page);
  const pending = page.getByRole('table', { name: '待上传的检查结果' });
  const resultId = (await pending.locator('tr[data-result-id]').first().getAttribute('data-result-id')) ?? '';
  expect(resultId).not.toBe('');

  // The inspector locks the laptop and walks away; the attacker runs code in the app's origin.
  await lockNow(page);
  await page.evaluate(`${attackerKit}; globalThis.diskAttacker = diskAttacker;`);
  const sealed = await page.evaluate(
    ([id, text]) => (globalThis as unknown as { diskAttacker: Kit }).diskAttacker.tryWithoutPassword(id!, text!),
    [resultId, ORIGINAL],
  );
  // Only the key and the indexed paths are in clear; the findings are inside the sealed blob, and a
  // guessed key opens nothing.
  expect(sealed.storedFields).toContain('$s');
  expect(sealed.storedFields).not.toContain('payload');
  expect(sealed.findingsInClear).toBe(false);
  expect(sealed.guessedKeyRead).toMatch(/Vault/);

  const edit = await page.evaluate(
    ([id, password, text]) =>
      (globalThis as unknown as { diskAttacker: Kit }).diskAttacker.editAndRechain(password!, id!, text!),
    [resultId, who.password, FORGED],
  );
  expect(edit.contentHash).toMatch(/^[0-9a-f]{64}$/);

  // The inspector comes back; the app starts again and runs its start-up check after the password.
  await page.reload();
  await signIn(page, who.certNo, who.password);
  const alert = page.getByRole('alert').filter({ hasText: '审计日志异常' });
  await expect(alert).toContainText('设备签名校验失败');
  await expect(alert).toContainText(`结果 ${resultId}：设备签名无法验证`);

  // The re-chain fooled the chain itself: 核验 finds it intact but the signature broken.
  await openTask(page, task);
  const record = page.getByRole('region', { name: '执法过程记录' });
  await record.getByRole('button', { name: '核验' }).click();
  await expect(record.getByRole('status')).toContainText(/^链完整（共 \d+ 条记录），但 1 条定稿结果的设备签名校验失败/);

  // Back online, the uploader pauses it with the reason; the platform never gets the forged result.
  await app.context.setOffline(false);
  await openOutbox(page);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText('设备签名校验失败', {
    timeout: 30_000,
  });
  expect(platform.admin.counts(resultId).results).toBe(0);
});
