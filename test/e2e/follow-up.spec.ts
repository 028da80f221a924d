/**
 * 复查 end to end, offline where the inspector would be: a finding ordered corrected (责令改正) with a
 * deadline → on finalize the follow-up task appears at once, offline, with its reminder → the 复查 is
 * done offline → reconnect → both uploaded → the public page shows the 后续处置 outcome beside the
 * original result. And the special-equipment 指令书: no clock until the unit's rectification report,
 * then 10 working days on the platform's calendar (holidays and make-up days).
 */
import { addWorkingDays, chinaDate } from '../../shared/domain/dates.js';
import { PublicResultsResponseSchema, type Task } from '../../shared/protocol/index.js';
import { CALENDAR } from '../platform/gen/calendar.js';
import { expect, test } from './fixtures.js';
import { itemGroup, setOutcome, signAll, tick, waitSaved } from './inspection-pages.js';
import { finalize, networkStatus, openMyTask, openTasks } from './pages.js';
import type { Page } from '@playwright/test';

async function publicResults(url: string, uscc: string) {
  const res = await fetch(`${url}/v1/public/enterprises/${uscc}/results`);
  expect(res.status).toBe(200);
  return PublicResultsResponseSchema.parse(await res.json());
}

/** The first item 不符合, ordered corrected by `deadline`; the others 符合; signed and finalized. */
async function inspectWithRectifyOrder(page: Page, task: Task, deadline: string): Promise<void> {
  const [first, ...rest] = task.items;
  await setOutcome(page, first!.name, '不符合');
  await itemGroup(page, first!.name).getByLabel('问题描述').fill('未按规定公示年度报告');
  await itemGroup(page, first!.name).getByLabel('整改期限').fill(deadline);
  // Most catalogue items are on the demo's 121-entry lenient list; this inspector orders a correction instead.
  const lenient = itemGroup(page, first!.name).getByRole('group', { name: '免罚清单' });
  if ((await lenient.count()) > 0) {
    await lenient.getByLabel('检查人员决定').selectOption('decline');
    await lenient.getByLabel('理由').fill('责令限期改正，不适用免罚');
  }
  for (const item of rest) await setOutcome(page, item.name, '符合');
  await page.getByLabel('发现问题情况').fill('未按规定公示年度报告，责令限期改正');
  await tick(page, '检查结果', '发现问题已责令改正');
  await tick(page, '核查方式', '实地检查');
  await signAll(page);
  await waitSaved(page);
  await finalize(page);
}

function followUpRow(page: Page, task: Task) {
  return page
    .getByRole('table', { name: '任务列表' })
    .getByRole('row')
    .filter({ hasText: `${task.taskNo}-复查` });
}

test('责令改正 → follow-up task offline with its reminder → 复查 offline → uploaded → 后续处置 published beside the result', async ({
  platform,
  probe,
  app,
}) => {
  const { who, task } = await probe.findTask(
    (t) => t.items.every((i) => !i.department.startsWith('TZSB')),
    'a task without special-equipment items',
  );
  // Two working days on the platform's calendar: inside the three-day reminder window.
  const deadline = addWorkingDays(chinaDate(new Date()), 2, CALENDAR);

  const page = await app.open();
  await openMyTask(page, who, task, { offline: app.context });
  await inspectWithRectifyOrder(page, task, deadline);

  // Still offline: the follow-up task is already on the list, reminding.
  await openTasks(page);
  const row = followUpRow(page, task);
  await expect(row.getByTestId('task-follow-up')).toContainText('即将到期');
  await row.getByRole('link', { name: task.enterprise.name }).click();
  await expect(page.getByTestId('follow-up-panel')).toContainText('未按规定公示年度报告');
  await expect(page.getByTestId('follow-up-deadline')).toHaveText(deadline);

  // The 复查, offline: the ordered item is corrected.
  await page.getByRole('button', { name: '开始检查' }).click();
  await setOutcome(page, task.items[0]!.name, '符合');
  await page.getByLabel('发现问题情况').fill('复查：已补报并公示年度报告');
  await tick(page, '检查结果', '未发现问题');
  await tick(page, '核查方式', '实地检查');
  await signAll(page);
  await waitSaved(page);
  await finalize(page);
  await openTasks(page);
  await expect(followUpRow(page, task).getByTestId('task-follow-up')).toContainText('已复查');
  expect((await publicResults(platform.url, task.enterprise.uscc)).results).toHaveLength(0);

  // Back online: the original goes first, then its 复查; the public page shows one result with its 后续处置.
  await app.context.setOffline(false);
  await expect.poll(() => networkStatus(page)).toBe('在线');
  await expect
    .poll(async () => (await publicResults(platform.url, task.enterprise.uscc)).results[0]?.followUp?.outcome, {
      timeout: 45_000,
    })
    .toBe('复查已改正，后续处置完结');
  const published = await publicResults(platform.url, task.enterprise.uscc);
  expect(published.results).toHaveLength(1);
  expect(published.results[0]!.result).toContain('发现问题已责令改正');
  expect(published.results[0]!.followUp?.findings).toEqual([{ item: task.items[0]!.name, state: '已改正' }]);
  const html = await (await fetch(`${platform.url}/public/enterprises/${task.enterprise.uscc}`)).text();
  const fuRow = /<tr class="follow-up" data-follow-up-of="([^"]+)">.*?<\/tr>/s.exec(html);
  expect(fuRow?.[1]).toBe(published.results[0]!.resultId);
  expect(fuRow?.[0]).toContain('后续处置');
});

test('特种设备 指令书: the 复查 clock starts from the recorded rectification report, 10 working days over National Day', async ({
  probe,
  app,
}) => {
  const { who, task } = await probe.findTask(
    (t) => t.items.every((i) => i.department === 'TZSB'),
    'a special-equipment task',
  );
  // The laptop's clock (only the page's) reads Monday 2026-09-28, just before the National Day holiday.
  const first = app.context.pages()[0] ?? (await app.context.newPage());
  await first.clock.install({ time: new Date('2026-09-28T09:00:00+08:00') });
  const page = await app.open();
  expect(page).toBe(first);
  await openMyTask(page, who, task, { offline: app.context });
  await inspectWithRectifyOrder(page, task, '2026-10-20');

  await openTasks(page);
  const row = followUpRow(page, task);
  await expect(row.getByTestId('task-follow-up')).toContainText('待单位提交整改报告');
  await row.getByRole('link', { name: task.enterprise.name }).click();
  await expect(page.getByTestId('follow-up-panel')).toContainText('特种设备监察指令书复查');

  // A report date after today is refused with the reason and changes nothing.
  await page.getByLabel('整改报告收到日期').fill('2026-09-29');
  await page.getByRole('button', { name: '登记整改报告' }).click();
  await expect(page.getByRole('alert')).toContainText('不能晚于今天');
  await expect(page.getByTestId('follow-up-deadline')).toContainText('自收到整改报告之日起 10 个工作日内');

  // Report received today (Mon 09-28): 09-29 1, 09-30 2, 10-01..07 off, 10-08 3, 10-09 4,
  // Sat 10-10 (make-up working day) 5, 10-12 6, 10-13 7, 10-14 8, 10-15 9, 10-16 10.
  await page.getByLabel('整改报告收到日期').fill('2026-09-28');
  await page.getByRole('button', { name: '登记整改报告' }).click();
  await expect(page.getByTestId('follow-up-deadline')).toHaveText('2026-10-16');
  await expect(page.getByTestId('follow-up-state')).toContainText('待复查（剩 10 个工作日）');
  await openTasks(page);
  await expect(followUpRow(page, task)).toContainText('2026-10-16');
});
