/**
 * What every benchmark module gets from the runner (test/bench/run.ts), and the shared helpers:
 * a persistent Chromium profile per figure (on-disk IndexedDB; `browser.newPage()` would be an
 * in-memory incognito store, several times faster than what a user gets).
 */
import { chromium, type BrowserContext } from '@playwright/test';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
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

/**
 * A blank page at `url` and `script` at `url` + 'worker.js', on 127.0.0.1: for the benches that time
 * one browser primitive in a dedicated worker (an origin of its own, so IndexedDB and workers work).
 */
export async function serveWorkerPage(script: string): Promise<{ url: string; close(): void }> {
  const server = http.createServer((req, res) => {
    const worker = req.url === '/worker.js';
    res.setHeader('content-type', worker ? 'text/javascript' : 'text/html');
    res.end(worker ? script : '<!doctype html><title>bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, close: () => server.close() };
}

/** The median of `xs` (the upper one of an even count). */
export function median(xs: readonly number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}
