import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';

// End-to-end tests drive the built renderer (dist/renderer) in Debian's Chromium against the
// platform simulator; each test starts its own simulator and static server on 127.0.0.1 and its own
// persistent browser profile (real on-disk IndexedDB). The `app` fixture launches that Chromium as
// its own process (so a crash test can SIGKILL it) with the same locale, time zone and viewport as
// below, see test/e2e/fixtures.ts; `use` applies to Playwright's built-in browser fixtures only.
const debianChromium = '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  // Two spec files at a time: each test has its own simulator, ports and browser profile, so files
  // never share state, and the longest (the 1 GB body-camera file) runs beside the others.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    launchOptions: {
      executablePath: existsSync(debianChromium) ? debianChromium : undefined,
    },
  },
});
