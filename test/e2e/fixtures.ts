/**
 * Playwright fixtures: a fresh platform simulator, a static server for the built renderer that points
 * the app at that simulator, and a persistent Chromium profile (on-disk IndexedDB, so a "restart" is a
 * real browser relaunch on the same profile). Everything listens on 127.0.0.1 and is torn down after
 * each test.
 */
import { test as base, chromium, type BrowserContext, type Page } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveStatic, type StaticServer } from '../helpers/static-server.js';
import { startPlatform } from '../platform/server.js';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const DEBIAN_CHROMIUM = '/usr/bin/chromium';

type Platform = Awaited<ReturnType<typeof startPlatform>>;

export interface Browser {
  /** The current context (replaced by `restart`). */
  context: BrowserContext;
  page: Page;
  /** Close the whole browser (like killing the app) and relaunch it on the same profile. */
  restart(): Promise<Page>;
  /** Open the app at a hash route. */
  open(route?: string): Promise<Page>;
}

export const test = base.extend<{ platform: Platform; web: StaticServer; app: Browser; profileDir: string }>({
  // eslint-disable-next-line no-empty-pattern
  platform: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'e2e-platform-'));
    const platform = await startPlatform({ dataDir, seed: 7, enterprises: 300, port: 0, faults: true });
    await use(platform);
    await platform.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
  web: async ({ platform }, use) => {
    const root = resolve('dist/renderer');
    if (!existsSync(join(root, 'index.html'))) throw new Error('dist/renderer is missing: run `npm run build:renderer` first');
    const web = await serveStatic({ root, appConfig: { platformUrl: platform.url, demo: true, stationName: '演示：威海市环翠区市场监管所' } });
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
    const launch = () =>
      chromium.launchPersistentContext(profileDir, {
        executablePath: existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined,
        args: CHROMIUM_ARGS,
        headless: true,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width: 1366, height: 768 },
      });
    const state: Browser = {
      context: await launch(),
      page: undefined as unknown as Page,
      async open(route = '') {
        const page = state.context.pages()[0] ?? (await state.context.newPage());
        await page.goto(`${web.url}/${route ? '#' + route : ''}`);
        state.page = page;
        return page;
      },
      async restart() {
        await state.context.close();
        state.context = await launch();
        return state.open();
      },
    };
    await use(state);
    await state.context.close().catch(() => undefined);
  },
});

export { expect } from '@playwright/test';
