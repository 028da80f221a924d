/**
 * Token keeper: the access token in memory (and sealed at rest through the vault), the refresh
 * token only at rest, and a single-flight refresh. Expiry is tracked against the server's clock
 * (RELIABILITY.md row 11), not the device clock.
 */
import { z } from 'zod';
import { API, RefreshResponseSchema, type Tokens } from '../../../shared/protocol/index.js';
import type { TokenVault } from './adapter.js';
import { createHttpClient, type HttpClient, type RefreshOutcome, type TokenProvider } from './http.js';

const StoredTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Server-clock epoch ms at which the access token expires. */
  expiresAtServer: z.number(),
  /** serverTime − deviceTime at issue, ms. */
  skewMs: z.number(),
});
export type StoredTokens = z.infer<typeof StoredTokensSchema>;

export interface TokenKeeper extends TokenProvider {
  /** Loads tokens from the vault into memory; false when none can be read. */
  load(): Promise<boolean>;
  set(tokens: Tokens): Promise<void>;
  clear(): Promise<void>;
  hasTokens(): boolean;
  /** Called when a refresh is rejected (the user must sign in online again). */
  onExpired(listener: () => void): () => void;
}

export interface TokenKeeperDeps {
  readonly vault: TokenVault;
  readonly baseUrl: () => string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export function createTokenKeeper(deps: TokenKeeperDeps): TokenKeeper {
  const now = deps.now ?? (() => Date.now());
  const http: HttpClient = createHttpClient({ baseUrl: deps.baseUrl, ...(deps.fetch ? { fetch: deps.fetch } : {}), timeoutMs: 20_000 });
  let current: StoredTokens | null = null;
  let inflight: Promise<RefreshOutcome> | null = null;
  const expiredListeners = new Set<() => void>();

  async function set(tokens: Tokens): Promise<void> {
    const serverNow = Date.parse(tokens.serverTime);
    current = {
      accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
      expiresAtServer: serverNow + tokens.expiresIn * 1000, skewMs: serverNow - now(),
    };
    await deps.vault.save(JSON.stringify(current));
  }

  async function doRefresh(): Promise<RefreshOutcome> {
    if (!current) return 'rejected';
    const res = await http.request({
      method: 'POST', path: API.refresh, body: { refreshToken: current.refreshToken }, schema: RefreshResponseSchema, auth: false,
    });
    if (res.ok && !res.notModified) {
      await set(res.value);
      return 'refreshed';
    }
    // A network failure or 5xx keeps the tokens (try again later); a refusal ends the session.
    const e = res.ok ? null : res.error;
    if (e?.kind === 'http' && e.status >= 400 && e.status < 500 && e.status !== 429) {
      for (const l of expiredListeners) l();
      return 'rejected';
    }
    return 'unreachable';
  }

  return {
    accessToken: () => current?.accessToken ?? null,
    hasTokens: () => current !== null,
    refresh() {
      inflight ??= doRefresh().finally(() => { inflight = null; });
      return inflight;
    },
    async load() {
      const text = await deps.vault.load();
      if (!text) return false;
      try {
        const parsed = StoredTokensSchema.safeParse(JSON.parse(text));
        current = parsed.success ? parsed.data : null;
      } catch {
        current = null;
      }
      return current !== null;
    },
    set,
    async clear() {
      current = null;
      await deps.vault.clear();
    },
    onExpired(listener) {
      expiredListeners.add(listener);
      return () => expiredListeners.delete(listener);
    },
  };
}
