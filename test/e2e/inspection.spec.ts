/**
 * The complete on-site inspection, offline after the sync: a joint inspection (items of two
 * departments), one 不符合 finding that matches the lenient list, two photos from files, three
 * signatures drawn with the mouse (the party refuses; a witness signs), result codes, finalize.
 * Then the browser is quit mid-way through a second inspection (after its autosave) and reopened:
 * every field is still there.
 */
import { mkdirSync } from 'node:fs';
import type { Task } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import {
  addPhotos,
  drawSignature,
  itemGroup,
  makeImages,
  setOutcome,
  signatureCards,
  tick,
  waitSaved,
} from './inspection-pages.js';
import { finalize, openMyTask, openTasks, signIn, startInspection } from './pages.js';

const SHOTS = 'test-results/screens';

test('joint inspection offline: finding on the lenient list, photos, three signatures, finalize; quitting the browser mid-way and reopening keeps every field', async ({
  probe,
  app,
}) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  // An inspector with a joint (联合抽查) task that includes N010 (on the lenient list) and another task.
  const secondTask = (joint: Task, all: readonly Task[]) =>
    all.find((t) => t.id !== joint.id && t.enterprise.uscc !== joint.enterprise.uscc);
  const { who, task: joint } = await probe.findTask(
    (t, all) => t.plan.crossDept && t.items.some((i) => i.code === 'N010') && secondTask(t, all) !== undefined,
    'a joint task holding N010 and a second task',
  );
  const other = secondTask(joint, await probe.assignedTasks(who))!;
  expect(new Set(joint.items.map((i) => i.department)).size).toBeGreaterThanOrEqual(2);

  let page = await app.open();
  // ---- the joint inspection
  await openMyTask(page, who, joint, { offline: app.context });
  for (const dept of new Set(joint.items.map((i) => i.departmentName)))
    await expect(page.getByRole('heading', { name: dept })).toBeVisible();
  const n010 = joint.items.find((i) => i.code === 'N010')!;
  for (const item of joint.items) await setOutcome(page, item.name, item.code === 'N010' ? '不符合' : '符合');
  const failing = itemGroup(page, n010.name);
  await failing.getByLabel('问题描述').fill('营业执照未悬挂在经营场所醒目位置，现场已悬挂');
  await failing.getByLabel('处理方式').selectOption({ label: '当场改正' });
  const lenient = failing.getByRole('group', { name: '免罚清单' });
  await expect(lenient).toContainText('SD-QW-001');
  await expect(lenient.getByRole('list', { name: '适用条件' })).toContainText('首次违法');
  const firstNotMet = await lenient.locator('.cond-not-met').count();
  await lenient.getByLabel('经现场核实，危害后果轻微').check();
  await lenient.getByLabel('检查人员决定').selectOption(firstNotMet > 0 ? 'decline' : 'apply');
  await lenient.getByLabel('理由').fill(firstNotMet > 0 ? '此前已有同类问题，不适用' : '当场改正，未造成危害后果');
  await page.getByLabel('发现问题情况').fill('营业执照未悬挂，已当场改正；其余事项符合。');
  await tick(page, '检查结果', '发现问题已责令改正');
  await tick(page, '核查方式', '实地检查');
  await tick(page, '后续处置措施', '责令改正，由日常监管跟进');
  await page.getByRole('heading', { name: '检查事项' }).scrollIntoViewIfNeeded();
  await page.evaluate(() => {
    document.getElementById('checklist-title')?.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -120);
  });
  await page.screenshot({ path: `${SHOTS}/checklist.png`, fullPage: false });
  await failing.screenshot({ path: `${SHOTS}/lenient.png` });

  const images = await makeImages(page);
  await addPhotos(page, [
    { name: 'licence.png', mimeType: 'image/png', buffer: images.png },
    { name: 'shop.jpg', mimeType: 'image/jpeg', buffer: images.jpeg },
  ]);
  await page.getByLabel('证据 1 的说明').fill('经营场所入口');
  await page.getByLabel('证据 2 的说明').fill('营业执照已悬挂');
  await page.getByTestId('evidence-panel').screenshot({ path: `${SHOTS}/evidence.png` });

  const cards = signatureCards(page);
  await expect(cards).toHaveCount(3);
  await drawSignature(page, cards.nth(0));
  await drawSignature(page, cards.nth(1));
  const party = cards.nth(2);
  await party.getByLabel('当事人拒绝签名').check();
  await party.getByLabel('拒签情况').fill('当事人拒绝在现场笔录上签字');
  await party.getByLabel('见证人姓名').fill('王见证');
  await party.getByLabel('见证人身份证号').fill('371002199001011234');
  await drawSignature(page, party);
  await page.getByTestId('signature-panel').screenshot({ path: `${SHOTS}/signatures.png` });
  await waitSaved(page);

  const { contentHash } = await finalize(page);
  expect(contentHash).toMatch(/^[0-9a-f]{64}$/);
  await expect(page.getByTestId('publication-deadline')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.getByTestId('lenient-decision')).toContainText('SD-QW-001');
  await expect(page.getByTestId('result-signatures').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('result-signatures')).toContainText('当事人拒绝签名，见证人 王见证');
  await expect(page.getByRole('cell', { name: '营业执照已悬挂' })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/result.png`, fullPage: true });

  // ---- a second inspection, the browser quit mid-way (after the autosave)
  await openTasks(page);
  await startInspection(page, other.taskNo, other.enterprise.name);
  const [firstItem, secondItem] = other.items;
  await setOutcome(page, firstItem!.name, '不符合');
  await itemGroup(page, firstItem!.name).getByLabel('问题描述').fill('台账记录不全');
  if (secondItem) {
    await setOutcome(page, secondItem.name, '不涉及');
    await itemGroup(page, secondItem.name).getByLabel('备注').fill('本单位无此业务');
  }
  await addPhotos(page, [{ name: 'desk.png', mimeType: 'image/png', buffer: images.png }]);
  await page.getByLabel('证据 1 的说明').fill('前台台账');
  const cards2 = signatureCards(page);
  await drawSignature(page, cards2.nth(0));
  await cards2.nth(2).getByLabel('当事人姓名').fill('赵经理');
  await cards2.nth(2).getByLabel('职务').fill('店长');
  await cards2.nth(2).getByLabel('身份证件号码').fill('371002198805052222');
  await page.getByLabel('发现问题情况').fill('台账记录不全，待整改');
  await waitSaved(page);

  page = await app.closeAndReopen();
  await app.context.setOffline(true);
  await page.goto(page.url().replace(/#.*$/, '') + `#/tasks/${encodeURIComponent(other.id)}/inspect`);
  await signIn(page, who.certNo, who.password); // offline: the password opens the vault, back on the same form
  await expect(itemGroup(page, firstItem!.name).getByRole('radio', { name: '不符合', exact: true })).toBeChecked();
  await expect(itemGroup(page, firstItem!.name).getByLabel('问题描述')).toHaveValue('台账记录不全');
  if (secondItem) {
    await expect(itemGroup(page, secondItem.name).getByRole('radio', { name: '不涉及', exact: true })).toBeChecked();
    await expect(itemGroup(page, secondItem.name).getByLabel('备注')).toHaveValue('本单位无此业务');
  }
  await expect(page.getByLabel('证据 1 的说明')).toHaveValue('前台台账');
  await expect(page.getByTestId('evidence-panel').getByRole('img')).toHaveCount(1);
  await expect(signatureCards(page).nth(0).getByText('已签名')).toBeVisible();
  await expect(signatureCards(page).nth(0).getByRole('img')).toBeVisible();
  await expect(signatureCards(page).nth(2).getByLabel('当事人姓名')).toHaveValue('赵经理');
  await expect(signatureCards(page).nth(2).getByLabel('职务')).toHaveValue('店长');
  await expect(signatureCards(page).nth(2).getByLabel('身份证件号码')).toHaveValue('371002198805052222');
  await expect(page.getByLabel('发现问题情况')).toHaveValue('台账记录不全，待整改');
});
