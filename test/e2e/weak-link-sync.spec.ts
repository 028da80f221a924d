/**
 * A sync over a weak link that drops: the app talks to the simulator through the link emulator
 * (20 Mbit/s each way, 80 ms round trip), which cuts the connection carrying the 2,000,000th
 * downloaded byte, in the middle of the credit files. The inspector starts the sync again if it
 * stopped, and the cache ends with exactly the platform's live records: none missing, none twice.
 */
import Database from 'better-sqlite3';
import { join, resolve } from 'node:path';
import { serveStatic } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';
import { startLinkEmulator, type LinkEmulator } from '../net/link-emulator.js';
import { storedCredits } from './cache-store.js';
import { expect, test as base } from './fixtures.js';
import { signIn } from './pages.js';

const RECORDS = 20_000;
/**
 * Where the link cuts: the sign-in, reference data and tasks are a few hundred kB and the credit
 * files of 20,000 records ≈4.5 MB on the wire, so the 2,000,000th byte is inside a credit-file page.
 */
const DROP_AT_BYTES = 2_000_000;
const MBIT = 1_000_000;

const test = base.extend<{ link: LinkEmulator }>({
  platform: async ({ platformDir }, use) => {
    const platform = await startPlatform({ dataDir: platformDir, seed: 23, enterprises: RECORDS, port: 0 });
    await use(platform);
    await platform.close();
  },
  link: async ({ platform }, use) => {
    const link = await startLinkEmulator({
      target: platform.url,
      downBitsPerSecond: 20 * MBIT,
      upBitsPerSecond: 20 * MBIT,
      rttMs: 80,
    });
    await use(link);
    await link.close();
  },
  // The app's platform URL is the emulator's: every API request crosses the weak link.
  web: async ({ link }, use) => {
    const web = await serveStatic({ root: resolve('dist/renderer'), appConfig: { platformUrl: link.url, demo: true } });
    await use(web);
    await web.close();
  },
});

/** The simulator's live credit files, from its own database. */
function liveOnPlatform(dataDir: string): number {
  const db = new Database(join(dataDir, 'platform.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM enterprises WHERE deleted = 0').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('a 20 Mbit/s, 80 ms link that drops once mid-sync: the sync completes with exactly the platform’s records', async ({
  platform,
  platformDir,
  link,
  app,
}) => {
  const who = platform.logins[0]!;
  const page = await app.open();
  link.setDrop({ direction: 'down', afterBytes: DROP_AT_BYTES });
  await signIn(page, who.certNo, who.password); // signing in starts the sync
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '同步' }).click();

  // Mid-sync: the cut is inside the credit files, with pages committed before it and still to come.
  await expect.poll(() => link.counters().drops, { timeout: 60_000, intervals: [10] }).toBe(1);
  const atDrop = await storedCredits(page);
  expect(atDrop.count).toBeLessThan(RECORDS);

  // Nobody presses anything: a run the drop broke is tried again by the app, from its committed cursor.
  const phase = page.getByTestId('sync-phase');
  const first = (await phase.innerText()).trim();
  await expect(phase).toContainText('同步完成', { timeout: 90_000 });
  expect(link.counters().drops).toBe(1);

  const final = await storedCredits(page);
  const live = liveOnPlatform(platformDir);
  expect(final.total).toBe(live);
  expect(final.count + final.quarantined).toBe(live);
  expect(final.quarantined).toBe(0);
  // count is the directory's live records, each USCC once: as many stored means none stored twice.
  expect(final.stored).toBe(final.count);
  const c = link.counters();
  expect(c.drops).toBe(1);
  console.info(
    `weak link: dropped at ${atDrop.count} of ${live} records (${first}); ${final.count} stored; ` +
      `${(c.down / 1e6).toFixed(2)} MB down, ${(c.up / 1e6).toFixed(2)} MB up over ${c.connections} connections`,
  );
});
