/**
 * Playwright fixtures: a fresh platform simulator, a static server for the built renderer that points
 * the app at that simulator, a probe that asks the simulator's API what the tests need to know, and
 * Chromium on a persistent profile (on-disk IndexedDB) that the test can crash for real (SIGKILL) or
 * quit and reopen. Everything listens on 127.0.0.1 and is torn down after each test.
 */
import { test as base, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';
import { launchChromium, quit, sigkill, VIEWPORT, type RunningChromium } from './chromium-process.js';
import { platformProbe, type PlatformProbe } from './platform-probe.js';

export { CHROMIUM_ARGS } from './chromium-process.js';

type Platform = Awaited<ReturnType<typeof startPlatform>>;

export interface Browser {
  /** The current browser's persistent context (a new one after every relaunch). */
  context: BrowserContext;
  page: Page;
  /** Open the app at a hash route. */
  open(route?: string): Promise<Page>;
  /** A crash: SIGKILL of the browser's processes, nothing flushed. Call `relaunch` afterwards. */
  kill(): Promise<void>;
  /** Start the browser again on the same profile (after `kill`) and open the app. */
  relaunch(): Promise<Page>;
  /** `kill` then `relaunch`: the app died mid-whatever and the inspector starts it again. */
  crash(): Promise<Page>;
  /** The inspector quits the browser normally (pending writes flushed) and starts it again. */
  closeAndReopen(): Promise<Page>;
  /** The inspector quits the browser normally and leaves it closed (the profile stays on disk). */
  close(): Promise<void>;
}

export const test = base.extend<{
  platform: Platform;
  web: StaticServer;
  app: Browser;
  profileDir: string;
  probe: PlatformProbe;
  /** The simulator's data directory (its sqlite database), for specs that check what it stored. */
  platformDir: string;
  /** A deployment that reviews results before publication (`test.use({ reviewBeforePublication: true })`). */
  reviewBeforePublication: boolean;
}>({
  reviewBeforePublication: [false, { option: true }],
  // eslint-disable-next-line no-empty-pattern
  platformDir: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-platform-'));
    await use(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  },
  platform: async ({ platformDir, reviewBeforePublication }, use) => {
    const platform = await startPlatform({
      dataDir: platformDir,
      seed: 7,
      enterprises: 300,
      port: 0,
      faults: true,
      review: reviewBeforePublication,
    });
    await use(platform);
    await platform.close();
  },
  probe: async ({ platform }, use) => {
    await use(platformProbe(platform));
  },
  web: async ({ platform }, use) => {
    const root = resolve('dist/renderer');
    if (!existsSync(join(root, 'index.html')))
      throw new Error('dist/renderer is missing: run `npm run build:renderer` first');
    const web = await serveStatic({
      root,
      appConfig: {
        platformUrl: platform.url,
        demo: true,
        stationName: '演示：威海市环翠区市场监管所',
        platformLogKey: platform.logKey,
        platformBundleKey: platform.bundleKey,
      },
    });
    await use(web);
    await web.close();
  },
  // eslint-disable-next-line no-empty-pattern
  profileDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'e2e-profile-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  app: async ({ web, profileDir }, use) => {
    let running: RunningChromium | null = await launchChromium(profileDir);
    const current = (): RunningChromium => {
      if (!running) throw new Error('the browser is not running (killed and not relaunched)');
      return running;
    };
    const state: Browser = {
      context: current().context,
      page: undefined as unknown as Page,
      async open(route = '') {
        const context = current().context;
        const page = context.pages()[0] ?? (await context.newPage());
        await page.setViewportSize(VIEWPORT);
        await page.goto(`${web.url}/${route ? '#' + route : ''}`);
        state.page = page;
        return page;
      },
      async kill() {
        const dying = current();
        running = null;
        await sigkill(dying);
      },
      async relaunch() {
        if (running) throw new Error('relaunch while the browser still runs: kill or close it first');
        running = await launchChromium(profileDir);
        state.context = running.context;
        return state.open();
      },
      async crash() {
        await state.kill();
        return state.relaunch();
      },
      async closeAndReopen() {
        await state.close();
        return state.relaunch();
      },
      async close() {
        const closing = current();
        running = null;
        await quit(closing);
      },
    };
    await use(state);
    if (running) await sigkill(running); // the profile is thrown away: no need to shut down cleanly
  },
});

export { expect } from '@playwright/test';
