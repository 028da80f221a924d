/**
 * A station without a network gets its work on a USB stick: the inspector has signed in on this laptop
 * (which gives it the station key) but nothing was ever synced — the platform's sync routes failed —
 * then, with the network off, the station bundle the platform exported is imported: the tasks are
 * listed and 企业检索 finds a credit file. With the network back, the next sync asks for the task and
 * credit-file feeds from the imported cursors and never for the snapshot: a delta, not a new download.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_STATION_BUNDLE_PATH, StationInfoSchema, type StationInfo } from '../../shared/bundle/index.js';
import { ADMIN_SECRET_HEADER, API, SNAPSHOT_PATH } from '../../shared/protocol/index.js';
import { expect, test } from './fixtures.js';
import { networkStatus, openTasks, signIn, syncAll } from './pages.js';

test('station bundle on a fresh profile, network off: tasks and search work; network on: the next sync is a delta', async ({
  platform,
  probe,
  app,
}) => {
  const who = platform.logins[0]!;
  const dir = mkdtempSync(join(tmpdir(), 'e2e-station-'));
  // What the platform holds, asked before its sync routes go down: a task, and a name fragment of its
  // enterprise that few other credit files share.
  const task = await probe.myTask(who);
  const all = await probe.enterprises(who);
  const name = task.enterprise.name;
  let fragment = name;
  for (let i = 0; i + 3 <= name.length; i++) {
    const f = name.slice(i, i + 3);
    if (
      all.filter((e) => e.name.includes(f)).length < all.filter((e) => e.name.includes(fragment)).length ||
      fragment === name
    )
      fragment = f;
  }
  try {
    // Signed in once, but no sync ever got through: a profile with no tasks and no credit files.
    platform.admin.addFault({ kind: 'status', method: '*', path: '^/v1/(sync|reference)', status: 503, times: 10_000 });
    const page = await app.open();
    await signIn(page, who.certNo, who.password);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
    // The sign-in starts a sync; start one only if none ran (as syncAll does), and see it fail.
    const phase = page.getByTestId('sync-phase');
    await expect(phase).not.toHaveText('', { timeout: 5_000 });
    if ((await phase.innerText()).includes('未开始')) await page.getByRole('button', { name: '开始同步' }).click();
    // It fails (and, the failure being the link's, waits to retry): nothing of it was stored.
    await expect(phase).toContainText(/同步出错|同步中断/, { timeout: 60_000 });
    await app.context.setOffline(true);
    await expect.poll(() => networkStatus(page)).toBe('离线');

    // The platform exports the bundle (an admin route; `npm run platform -- station` writes the same).
    const res = await fetch(`${platform.url}${ADMIN_STATION_BUNDLE_PATH}?inspectors=${who.inspectorId}`, {
      headers: { [ADMIN_SECRET_HEADER]: platform.adminSecret },
    });
    expect(res.status).toBe(200);
    const file = join(dir, 'station.sibundle');
    writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    // The cursors the file carries (a second export: same tasks and snapshot, its bytes left unsealed).
    const info: StationInfo = StationInfoSchema.parse(
      (await platform.stationBundle({ inspectorIds: [who.inspectorId] })).info,
    );

    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '传输（U盘）' }).click();
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: '选择站所数据包文件…' }).click();
    await (await chooser).setFiles(file);
    await expect(page.getByTestId('station-import-result')).toContainText('导入完成', { timeout: 60_000 });
    await expect(page.getByTestId('station-import-result')).toContainText(
      `企业档案 ${info.enterprises.records.toLocaleString('zh-CN')} 条`,
    );

    // Offline: the tasks are there, and a credit file is found by a fragment of its name.
    await openTasks(page);
    const table = page.getByRole('table', { name: '任务列表' });
    await expect(table.getByRole('row').filter({ hasText: task.taskNo })).toBeVisible();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业检索' }).click();
    await page.getByRole('searchbox').pressSequentially(fragment, { delay: 30 });
    await expect(page.getByRole('link', { name, exact: true }).first()).toBeVisible();

    // Network back: the sync continues from the imported cursors.
    platform.admin.clearFaults();
    const asked: URL[] = [];
    app.context.on('request', (r) => asked.push(new URL(r.url())));
    await app.context.setOffline(false);
    await expect.poll(() => networkStatus(page)).not.toBe('离线');
    await syncAll(page);
    const cursors = (path: string) => asked.filter((u) => u.pathname === path).map((u) => u.searchParams.get('cursor'));
    expect(cursors(API.tasks)[0]).toBe(info.inspectors[0]!.tasksCursor);
    expect(cursors(API.enterprises)[0]).toBe(info.enterprises.cursor);
    expect(cursors(API.enterprises)).not.toContain('0');
    expect(asked.some((u) => u.pathname.startsWith(SNAPSHOT_PATH))).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
