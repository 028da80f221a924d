/**
 * The deployment configuration: which platform this station talks to and who the station is.
 * Read once at start-up from a JSON file (first found wins):
 *   1. <userData>/smart-inspect.config.json        (per-user; e.g. written by an administrator)
 *   2. <directory of the executable>/smart-inspect.config.json   (station-wide, next to the exe)
 * validated with zod. No file → demo mode against the local demo platform, clearly flagged.
 * A file that exists but is invalid is an error (CONFIG_INVALID), never a silent fall-back to demo.
 * Unpacked (development) runs also honour SMART_INSPECT_PLATFORM_URL (set by `npm start`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DeploymentConfig } from '../../../shared/ipc/contract.js';
import { DEMO_PLATFORM_LOG_KEY } from '../../../shared/transparency/demo-log-key.js';
import { BUNDLE_KEY_PATTERN, DEMO_PLATFORM_BUNDLE_KEY } from '../../../shared/bundle/demo-bundle-key.js';
import { isAllowedPlatformUrl, parseUrl } from '../trusted-url.js';

export const CONFIG_FILE_NAME = 'smart-inspect.config.json';
export const DEMO_PLATFORM_URL = 'http://127.0.0.1:8787';
export const DEMO_STATION_NAME = '演示：威海市环翠区市场监管所（演示数据）';
export const DEFAULT_LOCK_IDLE_MINUTES = 10;
export const DEFAULT_OFFLINE_CREDENTIAL_DAYS = 30;

export const ConfigFileSchema = z
  .object({
    platformUrl: z.string().refine(isAllowedPlatformUrl, 'platformUrl 必须是 https 地址（http 仅限本机 127.0.0.1）'),
    publicityUrl: z
      .string()
      .refine((u) => parseUrl(u)?.protocol === 'https:', 'publicityUrl 必须是 https 地址')
      .optional(),
    station: z
      .object({
        name: z.string().trim().min(1, '请填写站点名称').max(60),
        code: z.string().trim().max(32).optional(),
      })
      .strict(),
    platformLogKey: z
      .string()
      // The shape only: the renderer checks the key hash when it verifies receipts.
      .regex(
        /^[^\s+]+\+[0-9a-f]{8}\+A[QRST][A-Za-z0-9+/]{42}$/,
        'platformLogKey 不是有效的平台日志公钥（名称+密钥哈希+公钥）',
      )
      .optional(),
    platformBundleKey: z
      .string()
      .regex(BUNDLE_KEY_PATTERN, 'platformBundleKey 不是有效的平台数据包公钥（64 位小写十六进制）')
      .optional(),
    lockIdleMinutes: z
      .number('lockIdleMinutes 必须是数字')
      .int('lockIdleMinutes 必须是整数')
      .min(1, 'lockIdleMinutes 至少 1 分钟')
      .max(240, 'lockIdleMinutes 最多 240 分钟')
      .optional(),
    offlineCredentialDays: z
      .number('offlineCredentialDays 必须是数字')
      .int('offlineCredentialDays 必须是整数')
      .min(1, 'offlineCredentialDays 至少 1 天')
      .max(365, 'offlineCredentialDays 最多 365 天')
      .optional(),
  })
  .strict();
export type ConfigFile = z.infer<typeof ConfigFileSchema>;

export type LoadedConfig =
  { readonly ok: true; readonly config: DeploymentConfig } | { readonly ok: false; readonly message: string };

export interface ConfigSources {
  readonly userDataDir: string;
  readonly exeDir: string;
  readonly packaged: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export function configCandidates(sources: ConfigSources): string[] {
  return [path.join(sources.userDataDir, CONFIG_FILE_NAME), path.join(sources.exeDir, CONFIG_FILE_NAME)];
}

export async function loadDeploymentConfig(sources: ConfigSources): Promise<LoadedConfig> {
  for (const file of configCandidates(sources)) {
    const text = await readIfExists(file);
    if (text !== null) return parseConfigFile(file, text);
  }
  const devUrl = sources.packaged ? undefined : sources.env['SMART_INSPECT_PLATFORM_URL']?.trim();
  if (devUrl !== undefined && devUrl !== '') return devConfig(devUrl, sources.env);
  return { ok: true, config: demoConfig() };
}

export function demoConfig(): DeploymentConfig {
  return {
    demo: true,
    platformUrl: DEMO_PLATFORM_URL,
    publicityUrl: null,
    stationName: DEMO_STATION_NAME,
    stationCode: null,
    source: null,
    platformLogKey: DEMO_PLATFORM_LOG_KEY,
    platformBundleKey: DEMO_PLATFORM_BUNDLE_KEY,
    lockIdleMinutes: DEFAULT_LOCK_IDLE_MINUTES,
    offlineCredentialDays: DEFAULT_OFFLINE_CREDENTIAL_DAYS,
  };
}

export function parseConfigFile(file: string, text: string): LoadedConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `配置文件 ${file} 不是有效的 JSON：${(error as Error).message}` };
  }
  const parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('；');
    return { ok: false, message: `配置文件 ${file} 无效：${detail}` };
  }
  const c = parsed.data;
  return {
    ok: true,
    config: {
      demo: false,
      platformUrl: c.platformUrl,
      publicityUrl: c.publicityUrl ?? null,
      stationName: c.station.name,
      stationCode: c.station.code ?? null,
      source: file,
      ...(c.platformLogKey ? { platformLogKey: c.platformLogKey } : {}),
      ...(c.platformBundleKey ? { platformBundleKey: c.platformBundleKey } : {}),
      lockIdleMinutes: c.lockIdleMinutes ?? DEFAULT_LOCK_IDLE_MINUTES,
      offlineCredentialDays: c.offlineCredentialDays ?? DEFAULT_OFFLINE_CREDENTIAL_DAYS,
    },
  };
}

/** `npm start` passes the platform URL; a loopback URL is the bundled simulator, i.e. demo data. */
function devConfig(url: string, env: ConfigSources['env']): LoadedConfig {
  if (!isAllowedPlatformUrl(url)) return { ok: false, message: `SMART_INSPECT_PLATFORM_URL 无效：${url}` };
  const host = parseUrl(url)?.hostname ?? '';
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  const demo = env['SMART_INSPECT_DEMO'] === undefined ? loopback : env['SMART_INSPECT_DEMO'] === '1';
  return {
    ok: true,
    config: { ...demoConfig(), demo, platformUrl: url, stationName: demo ? DEMO_STATION_NAME : '开发环境' },
  };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
