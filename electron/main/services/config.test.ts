import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeploymentConfigSchema } from '../../../shared/ipc/contract.js';
import { DEMO_PLATFORM_BUNDLE_KEY } from '../../../shared/bundle/demo-bundle-key.js';
import { DEMO_PLATFORM_LOG_KEY } from '../../../shared/transparency/demo-log-key.js';
import { CONFIG_FILE_NAME, loadDeploymentConfig, type ConfigSources } from './config.js';

vi.mock('electron', () => ({}));

let base: string;
let sources: ConfigSources;
beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'config-test-'));
  sources = { userDataDir: path.join(base, 'userData'), exeDir: path.join(base, 'exe'), packaged: true, env: {} };
  mkdirSync(sources.userDataDir);
  mkdirSync(sources.exeDir);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const good = {
  platformUrl: 'https://platform.example.gov.cn',
  station: { name: '环翠区市场监管所', code: '371002-01' },
};

describe('deployment config', () => {
  it('is demo mode, clearly flagged, when nothing is configured', async () => {
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok && loaded.config).toMatchObject({
      demo: true,
      source: null,
      stationName: expect.stringContaining('演示'),
    });
    if (loaded.ok) expect(DeploymentConfigSchema.parse(loaded.config)).toEqual(loaded.config);
  });

  it('reads the file next to the executable', async () => {
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify(good));
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded).toEqual({
      ok: true,
      config: {
        demo: false,
        platformUrl: good.platformUrl,
        publicityUrl: null,
        stationName: '环翠区市场监管所',
        stationCode: '371002-01',
        source: path.join(sources.exeDir, CONFIG_FILE_NAME),
        lockIdleMinutes: 10,
        offlineCredentialDays: 30,
      },
    });
  });

  it('reads lockIdleMinutes and offlineCredentialDays, at their bounds', async () => {
    writeFileSync(
      path.join(sources.exeDir, CONFIG_FILE_NAME),
      JSON.stringify({ ...good, lockIdleMinutes: 240, offlineCredentialDays: 1 }),
    );
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok && loaded.config).toMatchObject({ lockIdleMinutes: 240, offlineCredentialDays: 1 });
  });

  it('prefers the per-user file in userData', async () => {
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify(good));
    writeFileSync(
      path.join(sources.userDataDir, CONFIG_FILE_NAME),
      JSON.stringify({ ...good, station: { name: '用户站点' } }),
    );
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok && loaded.config.stationName).toBe('用户站点');
  });

  it.each([
    ['not JSON', '{platformUrl:'],
    ['plain http to a remote host', JSON.stringify({ ...good, platformUrl: 'http://platform.example.gov.cn' })],
    ['a missing station', JSON.stringify({ platformUrl: good.platformUrl })],
    ['an unknown field', JSON.stringify({ ...good, debug: true })],
    ['lockIdleMinutes of 0', JSON.stringify({ ...good, lockIdleMinutes: 0 })],
    ['lockIdleMinutes over 240', JSON.stringify({ ...good, lockIdleMinutes: 241 })],
    ['a fractional lockIdleMinutes', JSON.stringify({ ...good, lockIdleMinutes: 2.5 })],
    ['lockIdleMinutes as text', JSON.stringify({ ...good, lockIdleMinutes: '10' })],
    ['offlineCredentialDays of 0', JSON.stringify({ ...good, offlineCredentialDays: 0 })],
    ['offlineCredentialDays over 365', JSON.stringify({ ...good, offlineCredentialDays: 366 })],
  ])('an invalid file (%s) is an error, never a silent fall-back to demo', async (_name, text) => {
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), text);
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.message).toContain(CONFIG_FILE_NAME);
  });

  it('pins the demo log key in demo mode, and reads or refuses a configured platformLogKey', async () => {
    const demo = await loadDeploymentConfig(sources);
    expect(demo.ok && demo.config.platformLogKey).toBe(DEMO_PLATFORM_LOG_KEY);
    const key = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify({ ...good, platformLogKey: key }));
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok && loaded.config.platformLogKey).toBe(key);
    writeFileSync(
      path.join(sources.exeDir, CONFIG_FILE_NAME),
      JSON.stringify({ ...good, platformLogKey: 'PeterNeumann+c74f20a3' }),
    );
    const bad = await loadDeploymentConfig(sources);
    expect(bad.ok ? null : bad.message).toContain('platformLogKey: platformLogKey 不是有效的平台日志公钥');
  });

  it('pins the demo bundle key in demo mode, and reads or refuses a configured platformBundleKey', async () => {
    const demo = await loadDeploymentConfig(sources);
    expect(demo.ok && demo.config.platformBundleKey).toBe(DEMO_PLATFORM_BUNDLE_KEY);
    const key = 'ab'.repeat(32);
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify({ ...good, platformBundleKey: key }));
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok && loaded.config.platformBundleKey).toBe(key);
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify({ ...good, platformBundleKey: 'AB12' }));
    const bad = await loadDeploymentConfig(sources);
    expect(bad.ok ? null : bad.message).toContain('platformBundleKey: platformBundleKey 不是有效的平台数据包公钥');
  });

  it('names the offending field and its bounds', async () => {
    writeFileSync(path.join(sources.exeDir, CONFIG_FILE_NAME), JSON.stringify({ ...good, lockIdleMinutes: 500 }));
    const loaded = await loadDeploymentConfig(sources);
    expect(loaded.ok ? null : loaded.message).toContain('lockIdleMinutes: lockIdleMinutes 最多 240 分钟');
  });

  it('honours SMART_INSPECT_PLATFORM_URL only in unpacked runs', async () => {
    const env = { SMART_INSPECT_PLATFORM_URL: 'http://127.0.0.1:9999' };
    const dev = await loadDeploymentConfig({ ...sources, packaged: false, env });
    expect(dev.ok && dev.config).toMatchObject({ demo: true, platformUrl: 'http://127.0.0.1:9999' });
    const packaged = await loadDeploymentConfig({ ...sources, packaged: true, env });
    expect(packaged.ok && packaged.config.platformUrl).toBe('http://127.0.0.1:8787');
  });
});
