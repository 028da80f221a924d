/**
 * The Electron-or-browser adapter. With the Electron preload's bridge (`globalThis.api`, typed by
 * shared/ipc/bridge.ts) the deployment config comes from main and main holds the refresh token
 * (main-token-source.ts): the renderer gets access tokens only. Otherwise (browser build, tests): the
 * platform URL from `?platform=<url>` (persisted) or `./app-config.json` on the app's own origin, and
 * the renderer keeps its tokens in the session row, which the inspector's partition seals whole.
 */
import { z } from 'zod';
import { BUNDLE_KEY_PATTERN } from '../../../shared/bundle/demo-bundle-key.js';
import { BRIDGE_GLOBAL, type BridgeApi } from '../../../shared/ipc/bridge.js';
import type { SessionRepo } from '../db/index.js';
import { mainTokenSource } from './main-token-source.js';
import type { SealedTokenStore, TokenVault } from './tokens.js';

export type { TokenVault };

export interface AppConfig {
  readonly platformUrl: string;
  readonly demo: boolean;
  readonly stationName: string;
  /** The pinned transparency-log verifier key of the platform; null when the deployment names none. */
  readonly platformLogKey: string | null;
  /** The platform's USB bundle key (raw X25519, hex) results bundles are encrypted to; null when none. */
  readonly platformBundleKey: string | null;
  /** Minutes without input before the vault locks (deployment config; default 10). */
  readonly lockIdleMinutes: number;
  /** Days an offline unlock stays allowed after the last online sign-in (default 30). */
  readonly offlineCredentialDays: number;
}

export interface PlatformAdapter {
  readonly kind: 'electron' | 'browser';
  config(): Promise<AppConfig>;
  vault(sessions: SessionRepo): TokenVault;
}

const AppConfigFileSchema = z.object({
  platformUrl: z.string().url('app-config.json 中的 platformUrl 不是有效网址'),
  demo: z.boolean().default(false),
  stationName: z.string().default(''),
  platformLogKey: z.string().max(300).optional(),
  platformBundleKey: z.string().regex(BUNDLE_KEY_PATTERN, 'platformBundleKey 应为 64 位小写十六进制').optional(),
  lockIdleMinutes: z.number().int().min(1).max(240).default(10),
  offlineCredentialDays: z.number().int().min(1).max(365).default(30),
});

const URL_KEY = 'smart-inspect.platform-url';

export function bridge(): BridgeApi | null {
  const candidate = (globalThis as Record<string, unknown>)[BRIDGE_GLOBAL];
  return candidate && typeof candidate === 'object' ? (candidate as BridgeApi) : null;
}

function electronAdapter(api: BridgeApi): PlatformAdapter {
  return {
    kind: 'electron',
    async config() {
      const r = await api.getConfig();
      if (!r.ok) throw new Error(`无法读取部署配置：${r.error.message}`);
      return {
        platformUrl: r.value.platformUrl,
        demo: r.value.demo,
        stationName: r.value.stationName,
        platformLogKey: r.value.platformLogKey ?? null,
        platformBundleKey: r.value.platformBundleKey ?? null,
        lockIdleMinutes: r.value.lockIdleMinutes,
        offlineCredentialDays: r.value.offlineCredentialDays,
      };
    },
    vault: (sessions) => mainTokenSource(api, sessions),
  };
}

/**
 * Electron only: the vault's wrapped data key, kept by main sealed with safeStorage (bound to the OS
 * account). `bound:false` means the OS offered no real keyring and the UI should say so. null in the
 * browser build, where the wrapped key lives in IndexedDB only.
 */
export interface WrappedKeyBinding {
  store(inspectorId: string, wrappedKey: string): Promise<{ bound: boolean }>;
  read(inspectorId: string): Promise<{ wrappedKey: string | null; bound: boolean }>;
  forget(inspectorId: string): Promise<void>;
}

export function wrappedKeyBinding(api: BridgeApi | null = bridge()): WrappedKeyBinding | null {
  if (api === null) return null;
  const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }, what: string): T => {
    if (!r.ok) throw new Error(`${what}：${r.error.message}`);
    return r.value;
  };
  return {
    store: async (inspectorId, wrappedKey) =>
      must(await api.storeWrappedKey({ inspectorId, wrappedKey }), '无法保存数据密钥'),
    read: async (inspectorId) => must(await api.readWrappedKey({ inspectorId }), '无法读取数据密钥'),
    forget: async (inspectorId) => void must(await api.forgetWrappedKey({ inspectorId }), '无法删除数据密钥'),
  };
}

/**
 * Browser token store: the token set as JSON in the session row. The row lives in the signed-in
 * inspector's partition, which seals every row under their data key, so tokens never rest in clear
 * and are unreadable while the vault is locked.
 */
export function sealedVault(sessions: SessionRepo): SealedTokenStore {
  return {
    holder: 'renderer',
    async save(json) {
      const current = await sessions.current();
      if (current) await sessions.updateTokens(json, current.offlineUnlocked);
    },
    async load() {
      return (await sessions.current())?.tokens ?? null;
    },
    async clear() {
      const current = await sessions.current();
      if (current) await sessions.updateTokens(null, current.offlineUnlocked);
    },
  };
}

export interface BrowserEnv {
  readonly search: string;
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null;
  readonly fetchConfig: () => Promise<unknown>;
}

function defaultBrowserEnv(): BrowserEnv {
  return {
    search: typeof location === 'undefined' ? '' : location.search,
    storage: typeof localStorage === 'undefined' ? null : localStorage,
    fetchConfig: async () => {
      const res = await fetch('./app-config.json', { cache: 'no-store' });
      if (!res.ok) throw new Error(`读取 app-config.json 失败（HTTP ${res.status}）`);
      return res.json() as Promise<unknown>;
    },
  };
}

export function browserAdapter(env: BrowserEnv = defaultBrowserEnv()): PlatformAdapter {
  return {
    kind: 'browser',
    async config() {
      const fromQuery = new URLSearchParams(env.search).get('platform');
      if (fromQuery && URL.canParse(fromQuery)) env.storage?.setItem(URL_KEY, fromQuery);
      const remembered = env.storage?.getItem(URL_KEY) ?? null;
      let file: z.infer<typeof AppConfigFileSchema> | null = null;
      try {
        file = AppConfigFileSchema.parse(await env.fetchConfig());
      } catch (e) {
        if (!remembered)
          throw new Error(`未配置监管平台地址：${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      return {
        platformUrl: remembered ?? file?.platformUrl ?? '',
        demo: file?.demo ?? false,
        stationName: file?.stationName ?? '',
        platformLogKey: file?.platformLogKey ?? null,
        platformBundleKey: file?.platformBundleKey ?? null,
        lockIdleMinutes: file?.lockIdleMinutes ?? 10,
        offlineCredentialDays: file?.offlineCredentialDays ?? 30,
      };
    },
    vault: sealedVault,
  };
}

export function detectAdapter(): PlatformAdapter {
  const api = bridge();
  return api ? electronAdapter(api) : browserAdapter();
}
