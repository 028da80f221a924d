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

/** The clear counters of the cache database, read with plain IndexedDB (never creating it). */
function indexState(page: Page): Promise<IndexState> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase | null>((resolve, reject) => {
      const req = indexedDB.open('cache');
      req.onupgradeneeded = () => req.transaction?.abort();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () =>
        req.error?.name === 'AbortError' ? resolve(null) : reject(req.error ?? new Error('open failed'));
    });
    const none = { blobStamp: -1, stamp: 0, count: 0, logEntries: 0 };
    if (!db) return none;
    try {
      if (!db.objectStoreNames.contains('entLog')) return none;
      const tx = db.transaction(['searchBlobs', 'entMeta', 'entLog'], 'readonly');
      const ask = <T>(req: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error ?? new Error('read failed'));
        });
      const [header, meta, logEntries] = await Promise.all([
        ask(tx.objectStore('searchBlobs').get('meta')) as Promise<{ stamp: number } | undefined>,
        ask(tx.objectStore('entMeta').get('summary')) as Promise<{ stamp: number; count: number } | undefined>,
        ask(tx.objectStore('entLog').count()),
      ]);
      return { blobStamp: header?.stamp ?? -1, stamp: meta?.stamp ?? 0, count: meta?.count ?? 0, logEntries };
    } finally {
      db.close();
    }
  });
}

/** Searches the enterprise search screen and returns its status line once it answers for `query`. */
async function searchFor(page: Page, query: string): Promise<string> {
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '企业检索' }).click();
  const box = page.getByRole('searchbox');
  await box.fill(query);
  const status = page.getByRole('status').filter({ hasText: /^找到 \d+ 户/ });
  await expect(status).toBeVisible();
  return (await status.innerText()).trim();
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
  expect(await searchFor(page, removed[0]!)).toMatch(/^找到 0 户/);
  expect(await searchFor(page, changed[0]!)).toMatch(/^找到 1 户/);

  await app.kill(); // no clean shutdown: nothing the search worker held is written
  const again = await app.relaunch();
  await signIn(again, who.certNo, who.password);
  const after = await indexState(again);
  // The blobs are still those of the state before the delta; the store and its log are past them.
  expect(after.blobStamp).toBe(before.blobStamp);
  expect(after.stamp).toBeGreaterThan(after.blobStamp);
  expect(after.logEntries).toBeGreaterThan(0);
  expect(await searchFor(again, removed[0]!)).toMatch(/^找到 0 户/);
  expect(await searchFor(again, removed[1]!)).toMatch(/^找到 0 户/);
  expect(await searchFor(again, changed[0]!)).toMatch(/^找到 1 户/);
  expect(await searchFor(again, changed[4]!)).toMatch(/^找到 1 户/);
  // The whole cache, counted by the index: every live record once.
  await again.getByRole('searchbox').fill('');
  await expect(again.getByRole('status').filter({ hasText: '已缓存' })).toContainText(
    `已缓存 ${before.count - 3} 户企业档案`,
  );
});
