import { FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import afterPack, { PLACEHOLDER_MARKER } from '../build/after-pack.mjs';
import { FUSES, fuseConfigFor } from '../build/fuses.mjs';

describe('fuse configuration (build/fuses.mjs)', () => {
  it('has the values the security checklist requires', () => {
    expect(FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableCookieEncryption]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    });
  });

  it('resets the ad-hoc signature only for macOS arm64', () => {
    expect(fuseConfigFor('darwin', 'arm64')).toMatchObject({
      version: FuseVersion.V1,
      resetAdHocDarwinSignature: true,
    });
    expect(fuseConfigFor('win32', 'x64').resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfigFor('linux', 'arm64')).toMatchObject({ [FuseV1Options.RunAsNode]: false });
  });
});

describe('afterPack hook (build/after-pack.mjs)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'afterpack-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const context = () => ({
    appOutDir: dir,
    electronPlatformName: 'linux',
    arch: 1,
    packager: { executableName: 'smart-inspect', appInfo: { productFilename: '智慧监管现场检查' } },
  });

  /** A file with Electron's fuse sentinel, version 1 and a wire of 9 fuses, all "enabled" ('1'). */
  function fakeElectron(): string {
    const file = path.join(dir, 'smart-inspect');
    const wire = Buffer.concat([
      Buffer.from('padding'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, 9]),
      Buffer.from('111111111'),
      Buffer.from('tail'),
    ]);
    writeFileSync(file, wire);
    return file;
  }

  it('flips every configured fuse on the packed binary and verifies them', async () => {
    const binary = fakeElectron();
    await afterPack(context());
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(48);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(48);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(48);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(48);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(49);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(49);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(49);
  });

  it('skips the marked placeholder Electron and leaves it untouched', async () => {
    writeFileSync(path.join(dir, 'smart-inspect'), 'placeholder');
    writeFileSync(path.join(dir, PLACEHOLDER_MARKER), '');
    await afterPack(context());
    expect(readFileSync(path.join(dir, 'smart-inspect'), 'utf8')).toBe('placeholder');
  });

  it('fails a real build whose binary has no fuse wire', async () => {
    writeFileSync(path.join(dir, 'smart-inspect'), 'not electron');
    await expect(afterPack(context())).rejects.toThrow();
  });
});
