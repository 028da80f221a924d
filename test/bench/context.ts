/**
 * What every benchmark module gets from the runner (test/bench/run.ts), and the shared helpers:
 * a persistent Chromium profile per figure (on-disk IndexedDB; `browser.newPage()` would be an
 * in-memory incognito store, several times faster than what a user gets).
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchContext {
  /** Repository root. */
  readonly root: string;
  /** A scratch directory for this run (removed afterwards). */
  readonly tmpDir: string;
  log(msg: string): void;
}

/** A benchmark module: `export async function run(ctx)` returning dotted keys → numbers. */
export type BenchModule = { run(ctx: BenchContext): Promise<Record<string, number>> };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

/** Launches headless Chromium on `profileDir` (a fresh one under tmpDir when omitted). */
export async function launchProfile(
  ctx: BenchContext,
  profileDir?: string,
): Promise<{ context: BrowserContext; profileDir: string }> {
  const dir = profileDir ?? mkdtempSync(join(ctx.tmpDir, 'profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined,
    args: CHROMIUM_ARGS,
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return { context, profileDir: dir };
}
