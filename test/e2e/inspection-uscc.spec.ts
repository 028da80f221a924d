/**
 * An enterprise whose 统一社会信用代码 fails its check (the platform holds one, as real registers do):
 * the inspection form flags it and asks how it compares with the business licence; locking is refused
 * until that note is written (the refusal's message goes away as the note is typed), and the locked
 * result then shows it was recorded.
 */
import { expect, test } from './fixtures.js';
import { fillAllCompliant, finalize, openMyTask } from './pages.js';

test('irregular USCC: the form asks for the licence check and will not lock without it', async ({ platform, app }) => {
  test.setTimeout(120_000);
  const who = platform.logins[0]!;
  const taskId = platform.admin.tasksOf(who.inspectorId)[0]!;
  const bad = platform.admin.generated().badUscc;
  const task = platform.admin.retargetTask(taskId, bad);

  const page = await app.open();
  await openMyTask(page, who, task);

  const section = page.getByRole('region', { name: '统一社会信用代码核对' });
  await expect(section.getByRole('alert')).toContainText('第18位校验码应为');
  // A first lock attempt with nothing filled in: the note is one of several problems.
  await page.getByRole('button', { name: '完成并锁定' }).click();
  const summary = page.getByRole('alert').filter({ hasText: '还不能锁定' });
  await expect(summary).toContainText('请填写与营业执照原件核对的情况');
  await expect(summary).toContainText('尚未检查');
  const note = section.getByLabel('营业执照核对说明');
  await expect(note).toHaveAttribute('aria-invalid', 'true');
  await expect(note).toHaveAccessibleDescription(/请填写与营业执照原件核对的情况/);

  // Writing the note clears its problem at once, in the field and in the summary, while the others
  // stay listed; the summary does not take the focus away from the typing inspector.
  await note.fill('与营业执照原件核对一致，系登记机关赋码问题');
  await expect(summary).not.toContainText('请填写与营业执照原件核对的情况');
  await expect(summary).toContainText('尚未检查');
  await expect(note).not.toHaveAttribute('aria-invalid', 'true');
  await expect(section.locator('.field-error')).toHaveCount(0);
  await expect(note).toBeFocused();
  await fillAllCompliant(page, '现场检查未发现问题');
  await expect(page.getByTestId('save-status')).toContainText('已保存');
  await section.screenshot({ path: 'test-results/screens/inspection-uscc.png' });
  await finalize(page);
  await expect(page.getByTestId('uscc-check')).toContainText('与营业执照原件核对一致，系登记机关赋码问题');
});
