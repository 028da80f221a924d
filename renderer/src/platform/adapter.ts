/**
 * The Electron-or-browser adapter. With the Electron preload's bridge (`globalThis.api`, typed by
 * shared/ipc/bridge.ts) the deployment config comes from main and tokens go to safeStorage through
 * `secrets:*`. Otherwise (browser build, tests): the platform URL from `?platform=<url>` (persisted)
 * or `./app-config.json` on the app's own origin, and tokens sealed with a non-extractable AES-GCM
 * key kept in IndexedDB.
 */
import { z } from 'zod';
import { BRIDGE_GLOBAL, type BridgeApi } from '../../../shared/ipc/bridge.js';
import type { SessionRepo } from '../db/index.js';
import { generateSealingKey, seal, unseal } from './crypto.js';

export interface AppConfig {
  readonly platformUrl: string;
  readonly demo: boolean;
  readonly stationName: string;
}

/** Where the refresh/access tokens live at rest (opaque JSON text). */
export interface TokenVault {
  save(json: string): Promise<void>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
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
});

const URL_KEY = 'smart-inspect.platform-url';
const TOKEN_SECRET = 'auth.tokens';
const SEALING_KEY = 'token-sealing';

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
      return { platformUrl: r.value.platformUrl, demo: r.value.demo, stationName: r.value.stationName };
    },
    vault() {
      return {
        async save(json) {
          const r = await api.setSecret({ key: TOKEN_SECRET, value: json });
          if (!r.ok) throw new Error(`无法安全保存登录凭据：${r.error.message}`);
        },
        async load() {
          const r = await api.getSecret({ key: TOKEN_SECRET });
          return r.ok ? r.value.value : null;
        },
        async clear() {
          await api.deleteSecret({ key: TOKEN_SECRET });
        },
      };
    },
  };
}

/** Browser vault: tokens sealed with AES-GCM; the key is non-extractable and stays in IndexedDB. */
export function sealedVault(sessions: SessionRepo): TokenVault {
  async function key(): Promise<CryptoKey> {
    return (await sessions.key(SEALING_KEY)) ?? sessions.putKeyIfAbsent(SEALING_KEY, await generateSealingKey());
  }
  return {
    async save(json) {
      const sealed = await seal(await key(), json);
      const current = await sessions.current();
      if (current) await sessions.updateTokens(sealed, current.offlineUnlocked);
    },
    async load() {
      const current = await sessions.current();
      if (!current?.tokens) return null;
      return unseal(await key(), current.tokens);
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
        if (!remembered) throw new Error(`未配置监管平台地址：${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
      return { platformUrl: remembered ?? file?.platformUrl ?? '', demo: file?.demo ?? false, stationName: file?.stationName ?? '' };
    },
    vault: sealedVault,
  };
}

export function detectAdapter(): PlatformAdapter {
  const api = bridge();
  return api ? electronAdapter(api) : browserAdapter();
}
