/**
 * "Every keystroke autosaved; a crash loses at most the last moment": type into the inspection form
 * and SIGKILL the browser at once (no waiting for 已保存), then relaunch on the same profile: the
 * text is there. The keystrokes reach the journal in IndexedDB before the debounced draft save, and
 * the journal is replayed into the draft on the next open.
 */
import { expect, test } from './fixtures.js';
import { itemGroup, setOutcome } from './inspection-pages.js';
import { gotoInspection, openMyTask, signIn } from './pages.js';

test('typing and killing the browser at once (no wait for 已保存) keeps the text', async ({ platform, probe, app }) => {
  const who = platform.logins[0]!;
  const task = await probe.myTask(who);
  let page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  const item = task.items[0]!;
  await setOutcome(page, item.name, '不涉及');
  await itemGroup(page, item.name).getByLabel('备注').pressSequentially('本单位无此业务');
  await page.getByLabel('发现问题情况').pressSequentially('现场发现台账记录不全，已要求补齐');
  // No wait for 已保存: the browser dies with the last keystrokes still in the debounce window. The
  // promise is that nothing typed 50 ms before a kill is lost (a kill on the very keystroke races
  // the journal's commit; typing-survives-kill.spec.ts measures that case).
  await new Promise((done) => setTimeout(done, 50));
  page = await app.crash();
  await signIn(page, who.certNo, who.password);
  await gotoInspection(page, task.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue('现场发现台账记录不全，已要求补齐');
  await expect(itemGroup(page, item.name).getByLabel('备注')).toHaveValue('本单位无此业务');
  await expect(itemGroup(page, item.name).getByRole('radio', { name: '不涉及', exact: true })).toBeChecked();
  // The replayed text is stored in the draft too: after the save, another crash still has it, and
  // the journal was cleared (nothing is replayed a second time).
  await expect(page.getByTestId('save-status')).toContainText('已保存');
  page = await app.crash();
  await signIn(page, who.certNo, who.password);
  await gotoInspection(page, task.id);
  await expect(page.getByLabel('发现问题情况')).toHaveValue('现场发现台账记录不全，已要求补齐');
  await expect(page.getByTestId('journal-restored')).toHaveCount(0);
});
