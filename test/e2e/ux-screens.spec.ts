/**
 * A walk through every screen as an inspector on a laptop sees it, at 1366×768 and at 1280×720:
 * 登录 (and its error), 同步, 任务列表, 任务详情 (with 现场文书), 检查表单 (a 不符合 finding with the
 * lenient box, evidence, signatures, result codes), the locked result, a correction, 待上传 with a
 * 需处理 row (the task cancelled on the platform before the upload) and 设置. Each screen is saved
 * as .tmp/screens/ux-<name>-<width>.png (for a person to look at) and checked for what a tired
 * inspector trips over: the page wider than the window, controls without an accessible name,
 * headings that skip a level.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { addPhotos, itemGroup, makeImages, setOutcome, signAll, tick, waitSaved } from './inspection-pages.js';
import { finalize, networkStatus, openMyTask, openOutbox, openTask, openTasks, signIn, syncAll } from './pages.js';

const SHOTS = '.tmp/screens';
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
] as const;

/** Problems a person would see on the current screen (empty when fine). */
async function screenProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const doc = document.documentElement;
    if (doc.scrollWidth > doc.clientWidth + 1)
      out.push(`page scrolls sideways (${doc.scrollWidth} > ${doc.clientWidth})`);
    const visible = (el: Element): boolean => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const nameOf = (el: HTMLElement): string => {
      const byIds = (el.getAttribute('aria-labelledby') ?? '')
        .split(/\s+/)
        .filter(Boolean)
        .map((id) => document.getElementById(id)?.textContent ?? '')
        .join(' ');
      const labels =
        'labels' in el
          ? Array.from((el as HTMLInputElement).labels ?? [])
              .map((l) => l.textContent ?? '')
              .join(' ')
          : '';
      return [
        el.getAttribute('aria-label') ?? '',
        byIds,
        labels,
        el.tagName === 'BUTTON' || el.tagName === 'A' ? (el.textContent ?? '') : '',
        el.getAttribute('title') ?? '',
      ]
        .join('')
        .trim();
    };
    for (const el of Array.from(
      document.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea, button, a[href]'),
    )) {
      if (!visible(el) && !(el instanceof HTMLInputElement && el.type === 'file')) continue;
      if (!nameOf(el))
        out.push(`no accessible name: <${el.tagName.toLowerCase()} ${el.getAttribute('type') ?? ''} id=${el.id}>`);
    }
    let last = 0;
    for (const h of Array.from(document.querySelectorAll('h1, h2, h3, h4'))) {
      const level = Number(h.tagName.slice(1));
      if (last > 0 && level > last + 1)
        out.push(`heading skips a level: h${last} → h${level} “${(h.textContent ?? '').slice(0, 20)}”`);
      last = level;
    }
    return out;
  });
}

async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50); // let layout settle after the resize (not an assertion)
    await page.screenshot({ path: `${SHOTS}/ux-${name}-${size.width}.png`, fullPage: opts.fullPage ?? false });
    expect(await screenProblems(page), `${name} at ${size.width}×${size.height}`).toEqual([]);
  }
  await page.setViewportSize(SIZES[0]);
}

async function scrollToHeading(page: Page, name: string): Promise<void> {
  await page
    .getByRole('heading', { name, exact: true })
    .first()
    .evaluate((h) => {
      h.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -90);
    });
}

test('every screen at 1366×768 and 1280×720: nothing off-screen, every control named, headings in order', async ({
  platform,
  probe,
  app,
}) => {
  test.setTimeout(240_000);
  mkdirSync(SHOTS, { recursive: true });
  // The screens are walked one by one (each is photographed), so the steps are the single ones.
  const { who, task } = await probe.findTask(
    (t) => t.plan.crossDept && t.items.some((i) => i.code === 'N010'),
    'a joint task holding N010',
  );

  const page = await app.open();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await shot(page, 'login');
  await page.getByLabel('执法证号').fill(who.certNo);
  await page.getByLabel('密码').fill('wrong-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await shot(page, 'login-error');

  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await shot(page, 'sync-done');

  await openTasks(page);
  await shot(page, 'tasks');
  await openTask(page, task);
  await shot(page, 'task-detail');
  await scrollToHeading(page, '现场文书');
  await shot(page, 'task-documents');

  await app.context.setOffline(true);
  await expect.poll(() => networkStatus(page)).toBe('离线');
  await page.getByRole('button', { name: /开始检查|继续检查/ }).click();
  await expect(page.getByRole('heading', { name: '检查事项' })).toBeVisible();
  await shot(page, 'form-top');
  // Dates read and show as YYYY-MM-DD with the weekday beside them, whatever the browser's UI language.
  await expect(page.getByLabel('检查日期')).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
  await expect(page.locator('.date-hint').first()).toContainText('星期');
  const n010 = task.items.find((i) => i.code === 'N010')!;
  for (const item of task.items) await setOutcome(page, item.name, item.code === 'N010' ? '不符合' : '符合');
  const failing = itemGroup(page, n010.name);
  await failing.getByLabel('问题描述').fill('营业执照未悬挂在经营场所醒目位置，现场已悬挂');
  await failing.getByLabel('处理方式').selectOption({ label: '当场改正' });
  const lenient = failing.getByRole('group', { name: '免罚清单' });
  await lenient.getByLabel('经现场核实，危害后果轻微').check();
  const firstNotMet = await lenient.locator('.cond-not-met').count();
  await lenient.getByLabel('检查人员决定').selectOption(firstNotMet > 0 ? 'decline' : 'apply');
  await lenient.getByLabel('理由').fill('当场改正，未造成危害后果');
  await failing.scrollIntoViewIfNeeded();
  await failing.evaluate((el) => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -90);
  });
  await shot(page, 'form-finding');

  const images = await makeImages(page);
  await addPhotos(page, [
    { name: 'licence.png', mimeType: 'image/png', buffer: images.png },
    { name: 'shop.jpg', mimeType: 'image/jpeg', buffer: images.jpeg },
  ]);
  await page.getByLabel('证据 1 的说明').fill('经营场所入口');
  await scrollToHeading(page, '现场证据');
  await shot(page, 'form-evidence');
  await page.getByLabel('发现问题情况').fill('营业执照未悬挂，已当场改正；其余事项符合。');
  await tick(page, '检查结果', '发现问题已责令改正');
  await tick(page, '核查方式', '实地检查');
  await scrollToHeading(page, '检查结果');
  await shot(page, 'form-result');
  await signAll(page);
  await scrollToHeading(page, '签名');
  await shot(page, 'form-signatures');
  await waitSaved(page);
  await finalize(page);
  const deadline = (await page.getByTestId('publication-deadline').innerText()).trim();
  expect(deadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  await shot(page, 'result');
  await shot(page, 'result-full', { fullPage: true });

  await page.getByRole('button', { name: '更正此记录' }).click();
  await expect(page.getByText(/正在更正已锁定的记录/)).toBeVisible();
  await shot(page, 'correction');

  await openTasks(page);
  await expect(
    page.getByRole('table', { name: '任务列表' }).getByRole('row').filter({ hasText: task.taskNo }),
  ).toContainText(`公示截止 ${deadline}`);
  await shot(page, 'tasks-finalized');
  await page
    .getByRole('table', { name: '任务列表' })
    .getByRole('row')
    .filter({ hasText: task.taskNo })
    .getByRole('link', { name: task.enterprise.name })
    .click();
  await expect(page.getByTestId('task-publication-deadline')).toHaveText(deadline);
  await shot(page, 'task-detail-finalized');

  platform.admin.cancelTask(task.id);
  await openOutbox(page);
  await shot(page, 'outbox-offline');
  await app.context.setOffline(false);
  await page.getByRole('button', { name: '立即上传' }).click();
  await expect(page.getByRole('table', { name: '待上传的检查结果' })).toContainText('需处理', { timeout: 30_000 });
  await shot(page, 'outbox-review');

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '设置' }).click();
  await expect(page.getByRole('heading', { name: '设置' })).toBeVisible();
  await shot(page, 'settings');
  await shot(page, 'settings-full', { fullPage: true });
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  await shot(page, 'sync-again');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '传输（U盘）' }).click();
  await expect(page.getByRole('heading', { name: '传输（U盘）', level: 1 })).toBeVisible();
  await shot(page, 'usb');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '存储空间' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('存储空间');
  await shot(page, 'storage');
  await openTasks(page);
  expect(await page.getByRole('table', { name: '任务列表' }).count()).toBe(1);
});

/** What has the keyboard focus: its accessible label text and, for radios, which group. */
async function focused(page: Page): Promise<{ label: string; group: string; type: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    const label = el
      ? Array.from(el.labels ?? [])
          .map((l) => l.textContent ?? '')
          .join('')
          .trim() ||
        (el.getAttribute('aria-label') ?? '')
      : '';
    const fieldset = el?.closest('fieldset[role="radiogroup"]');
    const legend = fieldset ? (fieldset.querySelector('legend')?.textContent ?? '') : '';
    return { label, group: legend, type: el?.getAttribute('type') ?? el?.tagName.toLowerCase() ?? '' };
  });
}

test('keyboard only: the checklist in Tab order, outcomes by arrow keys, result codes by Space', async ({
  platform,
  probe,
  app,
}) => {
  const who = platform.logins[0]!;
  const task = (await probe.assignedTasks(who)).find((t) => t.items.length >= 2);
  if (!task) throw new Error('no assigned task with two items');
  const [first, second] = [task.items[0]!, task.items[1]!];
  const page = await app.open();
  await openMyTask(page, who, task);
  await expect(page.getByRole('heading', { name: '检查事项' })).toBeVisible();

  await page.getByLabel('检查日期').focus();
  await page.keyboard.press('Tab');
  // One Tab stop per item: the checked outcome (未检查 until chosen).
  expect(await focused(page)).toEqual({ label: '未检查', group: first.name, type: 'radio' });
  await page.keyboard.press('ArrowDown'); // wraps to 符合 and checks it
  await expect(itemGroup(page, first.name).getByRole('radio', { name: '符合', exact: true })).toBeChecked();
  await page.keyboard.press('ArrowRight');
  await expect(itemGroup(page, first.name).getByRole('radio', { name: '不符合', exact: true })).toBeChecked();
  await page.keyboard.press('ArrowLeft');
  await expect(itemGroup(page, first.name).getByRole('radio', { name: '符合', exact: true })).toBeChecked();
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ label: '备注', group: first.name });
  await page.keyboard.type('钥匙开关正常');
  await page.keyboard.press('Tab');
  expect(await focused(page)).toMatchObject({ group: second.name, type: 'radio' });
  await expect(itemGroup(page, first.name).getByLabel('备注')).toHaveValue('钥匙开关正常');

  // The result codes: Tab into the group, Space ticks.
  const noProblem = page.getByRole('group', { name: '检查结果' }).getByRole('checkbox', { name: '未发现问题' });
  await noProblem.focus();
  await page.keyboard.press('Space');
  await expect(noProblem).toBeChecked();
  // The focus ring is drawn around the whole choice, not only the tiny box.
  const ring = await noProblem.evaluate((el) => getComputedStyle(el.closest('label') ?? el).outlineStyle);
  expect(ring).toBe('solid');
  await expect(page.getByTestId('save-status')).toHaveAttribute('aria-live', 'polite');
  await expect(page.getByTestId('save-status')).toContainText('已保存');
});
