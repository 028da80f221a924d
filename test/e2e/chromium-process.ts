/**
 * Chromium as a process the tests own: launched on a persistent profile with a DevTools port,
 * attached to over CDP, and ended either the way a user quits it (Browser.close: pending writes are
 * flushed) or the way a crash or power cut ends it (SIGKILL of the whole process group: nothing is
 * flushed, closed or unloaded). Playwright's own launcher cannot do the second: its close is always
 * graceful, which is exactly what a crash test must not be.
 */
import { chromium, type Browser as CdpBrowser, type BrowserContext } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** What every test sees: a Chinese browser in China on a 1366×768 laptop screen. */
export const VIEWPORT = { width: 1366, height: 768 } as const;
const LOCALE = 'zh-CN';
const TIMEZONE = 'Asia/Shanghai';

export interface RunningChromium {
  readonly pid: number;
  readonly browser: CdpBrowser;
  /** The profile's own (persistent, on-disk) context. */
  readonly context: BrowserContext;
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

function executable(): string {
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : chromium.executablePath();
}

/**
 * The app ships inside Electron, which has no password manager and no autofill: a fresh profile is
 * told the same, so what the tests find on disk is what the app writes, not what a desktop browser
 * would add on its own (a saved login holding the 执法证号).
 */
function preparePreferences(profileDir: string): void {
  const file = join(profileDir, 'Default', 'Preferences');
  if (existsSync(file)) return;
  mkdirSync(join(profileDir, 'Default'), { recursive: true });
  const prefs = {
    credentials_enable_service: false,
    profile: { password_manager_enabled: false },
    autofill: { enabled: false, profile_enabled: false, credit_card_enabled: false },
  };
  writeFileSync(file, JSON.stringify(prefs));
}

/** Launches Chromium on the profile and attaches to it; the profile keeps IndexedDB, localStorage, everything. */
export async function launchChromium(profileDir: string): Promise<RunningChromium> {
  preparePreferences(profileDir);
  // A browser that was killed leaves its port file behind: a stale port must never be read.
  const portFile = join(profileDir, 'DevToolsActivePort');
  rmSync(portFile, { force: true });
  const proc: ChildProcess = spawn(
    executable(),
    [
      ...CHROMIUM_ARGS,
      '--headless=new',
      '--remote-debugging-port=0',
      `--user-data-dir=${profileDir}`,
      `--lang=${LOCALE}`,
      `--accept-lang=${LOCALE}`,
      `--window-size=${VIEWPORT.width},${VIEWPORT.height}`,
      'about:blank',
    ],
    // Its own process group, so a kill takes the renderers and utility processes with it at once.
    {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TZ: TIMEZONE, LANG: 'zh_CN.UTF-8', LANGUAGE: 'zh_CN:zh' },
    },
  );
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited: number | string | null = null;
  proc.once('exit', (code, signal) => {
    exited = signal ?? code;
  });
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not start ${executable()}`);
  let port = 0;
  for (let waited = 0; port === 0; waited += 50) {
    if (exited !== null) throw new Error(`chromium exited (${exited}) before opening its DevTools port:\n${stderr}`);
    if (waited > 60_000) {
      killGroup(pid);
      throw new Error(`chromium opened no DevTools port within a minute:\n${stderr}`);
    }
    if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').split('\n')[0]) || 0;
    if (port === 0) await sleep(50);
  }
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  const context = browser.contexts()[0];
  if (!context) throw new Error('chromium over CDP has no default context');
  return { pid, browser, context };
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** Live (not zombie) processes of the group, read from /proc. */
function liveInGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces or parentheses, so split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') out.push(Number(name));
  }
  return out;
}

/**
 * The crash: SIGKILL to the browser process and every process of its group, at once, then wait
 * until none of them runs any more (so the relaunch cannot meet a half-dead one holding the profile).
 */
export async function sigkill(running: RunningChromium): Promise<void> {
  killGroup(running.pid);
  for (let waited = 0; liveInGroup(running.pid).length > 0; waited += 20) {
    if (waited > 30_000) throw new Error(`chromium processes survived SIGKILL: ${liveInGroup(running.pid).join(', ')}`);
    await sleep(20);
  }
  await running.browser.close().catch(() => undefined); // drops the dead connection
}

/** The user quits: Browser.close lets Chromium flush and close everything, then the process exits. */
export async function quit(running: RunningChromium): Promise<void> {
  const session = await running.browser.newBrowserCDPSession();
  await session.send('Browser.close').catch(() => undefined); // the answer may not arrive: the browser is gone
  for (let waited = 0; liveInGroup(running.pid).length > 0; waited += 50) {
    if (waited > 30_000) {
      killGroup(running.pid);
      throw new Error('chromium did not quit within 30 s of Browser.close');
    }
    await sleep(50);
  }
  await running.browser.close().catch(() => undefined);
}
