import { generateKeyPairSync } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createUpdateService, type UpdateDeps } from './update.js';
import { compareVersions } from './update-manifest.js';

vi.mock('electron', () => ({}));

const root = path.resolve(import.meta.dirname, '../../..');
const PACK = path.join(root, 'build/scripts/update-pack.mjs');

function keyPair(dir: string, name: string): { privatePath: string; publicPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const privatePath = path.join(dir, `${name}.pem`);
  writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { privatePath, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

let dir: string;
let trusted: { privatePath: string; publicPem: string };
let staging: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'update-test-'));
  trusted = keyPair(dir, 'trusted');
  staging = path.join(dir, 'userData', 'updates');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface PackOptions {
  version?: string;
  artifact?: string;
  key?: string;
  minVersion?: string;
  content?: string;
}

/** Builds a package with the real `npm run update:pack` script; returns its folder. */
function pack(options: PackOptions = {}): string {
  const version = options.version ?? '0.2.0';
  const artifact = options.artifact ?? `smart-inspect-${version}-linux-x64.deb`;
  const src = path.join(dir, 'src', version);
  mkdirSync(src, { recursive: true });
  const installer = path.join(src, artifact);
  writeFileSync(installer, options.content ?? `installer bytes of ${version} `.repeat(5000));
  const args = [
    PACK,
    '--key',
    options.key ?? trusted.privatePath,
    '--file',
    installer,
    '--version',
    version,
    '--out',
    path.join(dir, 'out'),
    '--any-key',
    '--released-at',
    '2026-03-01T08:00:00+08:00',
  ];
  if (options.minVersion !== undefined) args.push('--min-version', options.minVersion);
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const folder = /update:pack: (.+)\n/.exec(r.stdout)?.[1];
  if (folder === undefined) throw new Error(`no folder in ${r.stdout}`);
  return folder;
}

function service(overrides: Partial<UpdateDeps> = {}) {
  const deps: UpdateDeps = {
    running: { version: '0.1.0', platform: 'linux', arch: 'x64' },
    publicKeys: [trusted.publicPem],
    stagingDir: staging,
    openPath: vi.fn(async () => ''),
    showItemInFolder: vi.fn(),
    log: () => {},
    ...overrides,
  };
  return { deps, updates: createUpdateService(deps) };
}

const pick = (folder: string | null) => async () => folder;
const stagedFiles = (): string[] =>
  existsSync(staging) ? readdirSync(staging, { recursive: true, encoding: 'utf8' }).sort() : [];

describe('offline update package: accepted', () => {
  it('verifies, stages a byte-identical copy in userData/updates and reports what it verified', async () => {
    const folder = pack();
    const { updates } = service();
    const staged = await updates.pickAndStage(pick(folder));
    const file = 'smart-inspect-0.2.0-linux-x64.deb';
    expect(staged).toMatchObject({ version: '0.2.0', currentVersion: '0.1.0', platform: 'linux', arch: 'x64', file });
    expect(staged?.size).toBe(statSync(path.join(folder, file)).size);
    expect(staged?.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(readFileSync(path.join(staging, '0.2.0-linux-x64', file))).toEqual(readFileSync(path.join(folder, file)));
    expect(stagedFiles().filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('installs only after the separate install step, opening the staged copy', async () => {
    const { deps, updates } = service();
    const staged = await updates.pickAndStage(pick(pack()));
    expect(deps.openPath).not.toHaveBeenCalled();
    const outcome = await updates.installStaged(staged?.stagedId ?? '');
    const expected = path.join(staging, '0.2.0-linux-x64', 'smart-inspect-0.2.0-linux-x64.deb');
    expect(outcome).toEqual({ action: 'opened', path: expected });
    expect(deps.openPath).toHaveBeenCalledWith(expected);
  });

  it('makes an AppImage executable and shows it in its folder instead of opening it', async () => {
    const { deps, updates } = service();
    const staged = await updates.pickAndStage(pick(pack({ artifact: 'smart-inspect-0.2.0-linux-x64.AppImage' })));
    const outcome = await updates.installStaged(staged?.stagedId ?? '');
    expect(outcome.action).toBe('shown');
    expect(statSync(outcome.path).mode & 0o111).not.toBe(0);
    expect(deps.showItemInFolder).toHaveBeenCalledWith(outcome.path);
    expect(deps.openPath).not.toHaveBeenCalled();
  });

  it('accepts a Windows installer on win32-x64 and returns null when the picker is cancelled', async () => {
    const { updates } = service({ running: { version: '0.1.0', platform: 'win32', arch: 'x64' } });
    await expect(updates.pickAndStage(pick(null))).resolves.toBeNull();
    expect(stagedFiles()).toEqual([]);
    const staged = await updates.pickAndStage(pick(pack({ artifact: 'smart-inspect-0.2.0-win-x64.exe' })));
    expect(staged).toMatchObject({ platform: 'win32', file: 'smart-inspect-0.2.0-win-x64.exe' });
  });
});

describe('offline update package: refused, nothing changed', () => {
  async function expectRefused(folder: string, message: RegExp, deps: Partial<UpdateDeps> = {}): Promise<void> {
    const { updates } = service(deps);
    await expect(updates.pickAndStage(pick(folder))).rejects.toMatchObject({
      code: 'UPDATE_REJECTED',
      message: expect.stringMatching(message),
    });
    expect(stagedFiles()).toEqual([]);
  }

  it('refuses a package signed with a key the app does not trust', async () => {
    const other = keyPair(dir, 'other');
    await expectRefused(pack({ key: other.privatePath }), /签名无效/);
  });

  it('refuses a manifest changed after signing (version bumped by hand)', async () => {
    const folder = pack();
    const manifestPath = path.join(folder, 'update-manifest.json');
    writeFileSync(manifestPath, readFileSync(manifestPath, 'utf8').replace('"0.0.0"', '"0.0.1"'));
    await expectRefused(folder, /签名无效/);
  });

  it('refuses a package without a signature file', async () => {
    const folder = pack();
    rmSync(path.join(folder, 'update-manifest.json.sig'));
    await expectRefused(folder, /缺少签名文件/);
  });

  it('refuses an installer with the same size but changed bytes, and removes the partial copy', async () => {
    const folder = pack();
    const installer = path.join(folder, 'smart-inspect-0.2.0-linux-x64.deb');
    const bytes = readFileSync(installer);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(installer, bytes);
    await expectRefused(folder, /SHA-256 与签名清单不符/);
    expect(existsSync(staging)).toBe(true); // the copy was attempted in staging, then removed
  });

  it('refuses an installer whose size differs from the manifest', async () => {
    const folder = pack();
    writeFileSync(path.join(folder, 'smart-inspect-0.2.0-linux-x64.deb'), 'short');
    await expectRefused(folder, /大小不符/);
  });

  it.each([['0.0.9'], ['0.1.0']])('refuses version %s over 0.1.0 (no downgrade, no reinstall)', async (version) => {
    await expectRefused(pack({ version }), /不允许降级或重复安装/);
  });

  it('refuses a package for another architecture or platform', async () => {
    await expectRefused(
      pack({ artifact: 'smart-inspect-0.2.0-linux-arm64.deb' }),
      /适用于 linux-arm64，本机为 linux-x64/,
    );
    await expectRefused(pack({ artifact: 'smart-inspect-0.2.0-win-x64.exe' }), /适用于 win32-x64/);
  });

  it('refuses an update that requires a newer running version (minVersion)', async () => {
    await expectRefused(pack({ version: '0.3.0', minVersion: '0.2.0' }), /过旧.*0\.2\.0/);
  });

  it('refuses a folder that is not an update package', async () => {
    mkdirSync(path.join(dir, 'empty'));
    await expectRefused(path.join(dir, 'empty'), /不是更新包/);
  });

  it('keeps an earlier staged update when a later package is refused; the next good one clears stale partial copies', async () => {
    const { deps, updates } = service();
    const first = await updates.pickAndStage(pick(pack()));
    mkdirSync(path.join(staging, '.partial-crashed'));
    writeFileSync(path.join(staging, '.partial-crashed', 'x.deb'), 'left by a crash');
    const bad = pack({ version: '0.3.0' });
    writeFileSync(path.join(bad, 'update-manifest.json.sig'), Buffer.alloc(64).toString('base64'));
    await expect(updates.pickAndStage(pick(bad))).rejects.toMatchObject({ code: 'UPDATE_REJECTED' });
    expect(readdirSync(staging).sort()).toEqual(['.partial-crashed', '0.2.0-linux-x64']);
    await expect(updates.installStaged(first?.stagedId ?? '')).resolves.toMatchObject({ action: 'opened' });
    expect(deps.openPath).toHaveBeenCalledTimes(1);
    await expect(updates.pickAndStage(pick(pack({ version: '0.4.0' })))).resolves.toMatchObject({ version: '0.4.0' });
    expect(readdirSync(staging)).toEqual(['0.4.0-linux-x64']);
    await expect(updates.installStaged(first?.stagedId ?? '')).rejects.toMatchObject({ code: 'UPDATE_REJECTED' });
  });
});

describe('installing a staged update', () => {
  it('refuses an id it did not issue', async () => {
    const { deps, updates } = service();
    await expect(updates.installStaged('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'UPDATE_REJECTED',
    });
    expect(deps.openPath).not.toHaveBeenCalled();
  });

  it('re-hashes the staged copy and refuses (and discards) one modified after verification', async () => {
    const { deps, updates } = service();
    const staged = await updates.pickAndStage(pick(pack()));
    writeFileSync(path.join(staging, '0.2.0-linux-x64', 'smart-inspect-0.2.0-linux-x64.deb'), 'swapped');
    await expect(updates.installStaged(staged?.stagedId ?? '')).rejects.toMatchObject({
      message: expect.stringMatching(/被修改/),
    });
    expect(deps.openPath).not.toHaveBeenCalled();
    expect(stagedFiles()).toEqual([]);
  });

  it('reports the OS refusing to open the installer as UPDATE_FAILED', async () => {
    const { updates } = service({ openPath: async () => 'No application is associated' });
    const staged = await updates.pickAndStage(pick(pack()));
    await expect(updates.installStaged(staged?.stagedId ?? '')).rejects.toMatchObject({ code: 'UPDATE_FAILED' });
  });
});

describe('update:pack script and version order', () => {
  it('refuses to sign with a key that the app does not ship (without --any-key)', () => {
    const installer = path.join(dir, 'smart-inspect-0.2.0-linux-x64.deb');
    writeFileSync(installer, 'x');
    const r = spawnSync(
      process.execPath,
      [PACK, '--key', trusted.privatePath, '--file', installer, '--version', '0.2.0', '--out', dir],
      { encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not in electron\/main\/services\/update-public-key\.ts/);
  });

  it('orders versions numerically', () => {
    expect(compareVersions('0.10.0', '0.9.9')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(compareVersions('1.2.3', '1.3.0')).toBeLessThan(0);
  });
});
