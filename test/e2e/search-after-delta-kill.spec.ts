/**
 * The search index after a delta, through a crash: the index of a delta is never written on its own.
 * What makes it again at the next start-up is the index blobs of the state before the delta and the
 * credit files' change log. The real app syncs and writes its index blobs; the platform changes and
 * removes credit files; the app syncs that delta and finds it at once; then the browser is SIGKILLed.
 * The relaunch reads the earlier blobs back, catches up from the log, and answers as the delta left
 * it: a removed enterprise is gone, a changed one is found once (not also as its old copy).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { readCache } from './cache-store.js';
import { signIn, syncAll } from './pages.js';

interface IndexState {
  /** The stamp the index blobs were built at (-1: none written). */
  blobStamp: number;
  /** The credit-file store's stamp and live count. */
  stamp: number;
  count: number;
  /** Entries in the change log. */
  logEntries: number;
}

/** The clear counters of the cache database (read from the page: cache-store.ts). */
async function indexState(page: Page): Promise<IndexState> {
  const got = await readCache(page, [
    { store: 'searchBlobs', key: 'meta', field: 'stamp' },
    { store: 'entMeta', key: 'summary' },
    { store: 'entLog', count: true },
  ]);
  if (!got) return { blobStamp: -1, stamp: 0, count: 0, logEntries: 0 };
  const [blobStamp, meta, logEntries] = got as [
    number | undefined,
    { stamp: number; count: number } | undefined,
    number,
  ];
  return { blobStamp: blobStamp ?? -1, stamp: meta?.stamp ?? 0, count: meta?.count ?? 0, logEntries };
}

/**
 * Searches the enterprise search screen and waits until it shows `found` hits for `query`. The
 * status line keeps the previous query's answer until the new one arrives, so each call here must
 * expect another count than the call before it (or the screen's first answer); a hit is checked by
 * its USCC in the list.
 */
async function expectFound(page: Page, query: string, found: 0 | 1): Promise<void> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业检索' }).click();
  await page.getByRole('searchbox').fill(query);
  await expect(page.getByRole('status').filter({ hasText: /^找到/ })).toHaveText(new RegExp(`^找到 ${found} 户`));
  if (found === 1) await expect(page.locator('ol.search-results li').filter({ hasText: query })).toHaveCount(1);
}

test('a delta found at once is found the same after a SIGKILL: earlier blobs caught up from the change log', async ({
  platform,
  app,
}) => {
  const who = platform.logins[0]!;
  const page = await app.open();
  await signIn(page, who.certNo, who.password);
  await syncAll(page);
  // The search worker writes the blobs once the index has been left alone for a few seconds.
  await expect
    .poll(
      async () => {
        const s = await indexState(page);
        return s.blobStamp === s.stamp && s.stamp > 0;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  const before = await indexState(page);

  const changed = platform.admin.mutateEnterprises(5);
  const removed = platform.admin.removeEnterprises(3);
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();
  await page.getByRole('button', { name: '开始同步' }).click();
  await expect.poll(async () => (await indexState(page)).count, { timeout: 60_000 }).toBe(before.count - 3);
  await expect(page.getByTestId('sync-phase')).toContainText('同步完成', { timeout: 60_000 });
  // Each check expects another count than the one before it (see expectFound).
  await expectFound(page, removed[0]!, 0);
  await expectFound(page, changed[0]!, 1);

  await app.kill(); // no clean shutdown: nothing the search worker held is written
  const again = await app.relaunch();
  await signIn(again, who.certNo, who.password);
  const after = await indexState(again);
  // The blobs are still those of the state before the delta; the store and its log are past them.
  expect(after.blobStamp).toBe(before.blobStamp);
  expect(after.stamp).toBeGreaterThan(after.blobStamp);
  expect(after.logEntries).toBeGreaterThan(0);
  await expectFound(again, removed[0]!, 0);
  await expectFound(again, changed[0]!, 1);
  await expectFound(again, removed[1]!, 0);
  await expectFound(again, changed[4]!, 1);
  // The whole cache, counted by the index: every live record once.
  await again.getByRole('searchbox').fill('');
  await expect(again.getByRole('status').filter({ hasText: '已缓存' })).toContainText(
    `已缓存 ${before.count - 3} 户企业档案`,
  );
});
