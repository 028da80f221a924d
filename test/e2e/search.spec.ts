/**
 * 企业检索 after a sync, offline: a 2-character fragment from the middle of a known
 * enterprise's name finds it as the user types; the credit-class filter keeps it and only that
 * class; its credit file opens with the risk class first and the internal data marked 内部信息，不公开.
 * Screenshots of both screens go to $SCREENS_DIR (default test-results/screens).
 */
import { mkdirSync } from 'node:fs';
import type { Enterprise } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import { networkStatus, signIn, syncAll } from './pages.js';

const SHOTS = process.env['SCREENS_DIR'] ?? 'test-results/screens';

/** An enterprise and a 2-character fragment from the middle of its name that few other names share. */
function pickTarget(all: readonly Enterprise[]): { e: Enterprise; fragment: string } {
  let best: { e: Enterprise; fragment: string; hits: number } | null = null;
  for (const e of all.slice(0, 60)) {
    for (let i = 2; i + 2 <= e.name.length - 2; i++) {
      const fragment = e.name.slice(i, i + 2);
      const hits = all.filter((x) => x.name.includes(fragment)).length;
      if (!best || hits < best.hits) best = { e, fragment, hits };
    }
  }
  if (!best) throw new Error('no enterprise with a name long enough for a middle fragment');
  return best;
}

test('offline: a middle-of-name fragment finds the enterprise, the class filter keeps it, the credit file marks internal data', async ({
  platform,
  probe,
  app,
}) => {
  mkdirSync(SHOTS, { recursive: true });
  const who = platform.logins[0]!;
  const { e, fragment } = pickTarget(await probe.enterprises(who));
  expect(e.name.startsWith(fragment)).toBe(false);

  const page = await app.open();
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  await app.context.setOffline(true);
  await expect.poll(() => networkStatus(page)).toBe('离线');

  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业检索' }).click();
  await expect(page.getByRole('heading', { name: '企业检索' })).toBeVisible();
  await page.getByRole('searchbox').pressSequentially(fragment, { delay: 50 });
  const results = page
    .getByRole('list')
    .filter({ has: page.locator('li') })
    .last();
  const link = page.getByRole('link', { name: e.name, exact: true });
  await expect(link).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '找到' })).toBeVisible();

  // Filter by the enterprise's credit class: it stays, and every hit carries that class.
  const cls = e.internal.creditClass;
  await page.getByRole('group', { name: '信用风险分类' }).getByLabel(`${cls} 类`).check();
  await expect(link).toBeVisible();
  const badges = results.getByLabel(/^信用风险分类 [A-E] 类/);
  await expect.poll(async () => (await badges.allInnerTexts()).every((t) => t.trim() === `${cls} 类`)).toBe(true);
  expect(await badges.count()).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/enterprise-search.png`, fullPage: true });

  // A different class hides it.
  const other = cls === 'A' ? 'B' : 'A';
  await page.getByRole('group', { name: '信用风险分类' }).getByLabel(`${cls} 类`).uncheck();
  await page.getByRole('group', { name: '信用风险分类' }).getByLabel(`${other} 类`).check();
  await expect(link).toBeHidden();
  await page.getByRole('group', { name: '信用风险分类' }).getByLabel(`${other} 类`).uncheck();

  await link.click();
  const banner = page.getByLabel('风险概览');
  await expect(banner.getByRole('heading', { name: e.name })).toBeVisible();
  await expect(banner.getByText(e.uscc)).toBeVisible();
  await expect(banner.getByLabel(new RegExp(`^信用风险分类 ${cls} 类`))).toBeVisible();
  await expect(banner.getByText('内部信息，不公开')).toBeVisible();
  await expect(page.getByText('内部信息，不公开').first()).toBeVisible();
  // A valid code raises no USCC warning.
  await expect(page.getByTestId('uscc-issue')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/credit-file.png`, fullPage: true });

  // The platform's one irregular code (bad check character) is flagged, never shown as if valid.
  const bad = platform.admin.generated().badUscc;
  await page.goto(`${page.url().split('#')[0]}#/enterprises/${bad}`);
  await expect(page.getByLabel('风险概览').getByRole('alert')).toContainText('统一社会信用代码校验异常');
  await expect(page.getByLabel('风险概览').getByRole('alert')).toContainText('第18位校验码应为');
});
