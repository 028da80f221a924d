/**
 * Token keeper: the access token in memory for synchronous use by every request, a single-flight
 * refresh, and a seam — `TokenSource` — for where the refresh token lives:
 *  - browser build (`browserTokenSource`): the renderer holds its own tokens, sealed at rest by the
 *    vault it is given, and talks to the platform itself;
 *  - Electron (`mainTokenSource`, main-token-source.ts): main holds the refresh token and performs
 *    login and refresh; the renderer only ever receives short-lived access tokens.
 * Expiry is tracked against the server's clock, not the device clock.
 */
import { z } from 'zod';
import type { AccessGrant } from '../../../shared/ipc/contract.js';
import {
  API,
  LoginResponseSchema,
  RefreshResponseSchema,
  type Inspector,
  type LoginRequest,
  type Tokens,
} from '../../../shared/protocol/index.js';
import { createHttpClient, type HttpClient, type HttpError, type RefreshOutcome, type TokenProvider } from './http.js';

export type { AccessGrant };

const StoredTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Server-clock epoch ms at which the access token expires. */
  expiresAtServer: z.number(),
  /** serverTime − deviceTime at issue, ms. */
  skewMs: z.number(),
});
export type StoredTokens = z.infer<typeof StoredTokensSchema>;

/** Where a renderer-held token set lives at rest (opaque JSON text), e.g. sealed in IndexedDB. */
export interface SealedTokenStore {
  readonly holder: 'renderer';
  save(json: string): Promise<void>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
}

/** A password login in the HTTP client's error terms, so callers classify failures the same way in both builds. */
export type LoginOutcome =
  { readonly ok: true; readonly inspector: Inspector } | { readonly ok: false; readonly error: HttpError };

export type SourceLogin =
  | { readonly ok: true; readonly inspector: Inspector; readonly grant: AccessGrant }
  | { readonly ok: false; readonly error: HttpError };
export type SourceRefresh =
  | { readonly outcome: 'refreshed'; readonly grant: AccessGrant }
  | { readonly outcome: Exclude<RefreshOutcome, 'refreshed'> };
/** `session`: a refresh token exists for the current inspector, even if no access token could be had now. */
export type SourceLoad = { readonly grant: AccessGrant | null; readonly session: boolean };

/** Where the refresh token lives and who asks the platform for access tokens. */
export interface TokenSource {
  readonly holder: 'renderer' | 'main';
  /** `baseUrl` is the renderer's idea of the platform; main ignores it and uses its deployment config. */
  login(baseUrl: string, body: LoginRequest): Promise<SourceLogin>;
  load(): Promise<SourceLoad>;
  /** `rejected`: the access token that just got a 401, if any. */
  refresh(rejected: string | null): Promise<SourceRefresh>;
  /** Writes tokens kept since login to rest, once the session row exists. */
  persist(): Promise<void>;
  /** Takes a complete token set (tests, browser only): a refresh token never enters the renderer in Electron. */
  adopt(tokens: Tokens): Promise<AccessGrant>;
  /** The inspector proved their password in this process (until the vault lands: a sign-in). */
  unlocked(inspectorId: string): Promise<void>;
  locked(): Promise<void>;
  /** Ends the session: the refresh token is forgotten. */
  clear(): Promise<void>;
  /** Locks coming from outside the renderer (Electron: OS suspend or screen lock). */
  onExternalLock(listener: () => void): () => void;
}

/** Electron's source: main holds the refresh token. */
export type MainTokenSource = TokenSource & { readonly holder: 'main' };

/** What runtime hands the keeper: a renderer-side store (browser) or main's source (Electron). */
export type TokenVault = SealedTokenStore | MainTokenSource;

export interface TokenKeeper extends TokenProvider {
  login(baseUrl: string, body: LoginRequest): Promise<LoginOutcome>;
  /** Loads the current session's tokens; false when there is no usable session. */
  load(): Promise<boolean>;
  set(tokens: Tokens): Promise<void>;
  persist(): Promise<void>;
  unlocked(inspectorId: string): Promise<void>;
  locked(): Promise<void>;
  clear(): Promise<void>;
  hasTokens(): boolean;
  /** Called when a refresh is rejected (the user must sign in online again). */
  onExpired(listener: () => void): () => void;
  /**
   * Platform − device clock in ms, from the last token issued in this run (kept across a lock: the
   * clocks did not change); null when no token was issued or loaded yet. Evidence records it.
   */
  skewMs(): number | null;
}

export interface TokenKeeperDeps {
  readonly vault: TokenVault;
  readonly baseUrl: () => string;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

export function grantOf(tokens: Tokens, deviceNow: number): AccessGrant {
  const serverNow = Date.parse(tokens.serverTime);
  return {
    accessToken: tokens.accessToken,
    expiresAtServer: serverNow + tokens.expiresIn * 1000,
    skewMs: serverNow - deviceNow,
  };
}

/** Browser build: the renderer holds both tokens and asks the platform itself. */
export function browserTokenSource(store: SealedTokenStore, deps: Omit<TokenKeeperDeps, 'vault'>): TokenSource {
  const now = deps.now ?? (() => Date.now());
  const fetchOpt = deps.fetch ? { fetch: deps.fetch } : {};
  const http: HttpClient = createHttpClient({ baseUrl: deps.baseUrl, ...fetchOpt, timeoutMs: 20_000 });
  let current: StoredTokens | null = null;
  const access = (t: StoredTokens): AccessGrant => ({
    accessToken: t.accessToken,
    expiresAtServer: t.expiresAtServer,
    skewMs: t.skewMs,
  });
  const keep = (tokens: Tokens): AccessGrant => {
    const grant = grantOf(tokens, now());
    current = { ...grant, refreshToken: tokens.refreshToken };
    return grant;
  };

  return {
    holder: 'renderer',
    async login(baseUrl, body) {
      const client = createHttpClient({ baseUrl: () => baseUrl, ...fetchOpt, timeoutMs: 15_000 });
      const res = await client.request({
        method: 'POST',
        path: API.login,
        body,
        schema: LoginResponseSchema,
        auth: false,
      });
      if (!res.ok) return res;
      if (res.notModified)
        return {
          ok: false,
          error: { kind: 'invalid-response', status: res.status, message: '登录失败：平台返回异常' },
        };
      return { ok: true, inspector: res.value.inspector, grant: keep(res.value) };
    },
    async load() {
      const text = await store.load();
      let parsed: StoredTokens | null = null;
      try {
        const r = text ? StoredTokensSchema.safeParse(JSON.parse(text)) : null;
        parsed = r?.success ? r.data : null;
      } catch {
        parsed = null;
      }
      current = parsed;
      return { grant: current ? access(current) : null, session: current !== null };
    },
    async refresh() {
      if (!current) return { outcome: 'rejected' };
      const res = await http.request({
        method: 'POST',
        path: API.refresh,
        body: { refreshToken: current.refreshToken },
        schema: RefreshResponseSchema,
        auth: false,
      });
      if (res.ok && !res.notModified) {
        const grant = keep(res.value);
        await store.save(JSON.stringify(current));
        return { outcome: 'refreshed', grant };
      }
      // A network failure or 5xx keeps the tokens (try again later); a refusal ends the session.
      const e = res.ok ? null : res.error;
      if (e?.kind === 'http' && e.status >= 400 && e.status < 500 && e.status !== 429) return { outcome: 'rejected' };
      return { outcome: 'unreachable' };
    },
    async persist() {
      if (current) await store.save(JSON.stringify(current));
    },
    async adopt(tokens) {
      const grant = keep(tokens);
      await store.save(JSON.stringify(current));
      return grant;
    },
    // The browser build has no process to gate tokens in; its vault will seal them instead.
    unlocked: async () => {},
    locked: async () => {},
    async clear() {
      current = null;
      await store.clear();
    },
    onExternalLock: () => () => {},
  };
}

export function createTokenKeeper(deps: TokenKeeperDeps): TokenKeeper {
  const source: TokenSource = deps.vault.holder === 'main' ? deps.vault : browserTokenSource(deps.vault, deps);
  let grant: AccessGrant | null = null;
  let session = false;
  let inflight: Promise<RefreshOutcome> | null = null;
  const expiredListeners = new Set<() => void>();
  let skew: number | null = null;
  const hold = (g: AccessGrant | null, s: boolean) => {
    grant = g;
    session = s;
    if (g) skew = Math.round(g.skewMs);
  };
  source.onExternalLock(() => hold(null, false));

  async function doRefresh(): Promise<RefreshOutcome> {
    const r = await source.refresh(grant?.accessToken ?? null);
    if (r.outcome === 'refreshed') hold(r.grant, true);
    if (r.outcome === 'rejected') {
      hold(null, false);
      for (const l of expiredListeners) l();
    }
    return r.outcome;
  }

  return {
    accessToken: () => grant?.accessToken ?? null,
    hasTokens: () => session,
    refresh() {
      inflight ??= doRefresh().finally(() => {
        inflight = null;
      });
      return inflight;
    },
    async login(baseUrl, body) {
      const r = await source.login(baseUrl, body);
      if (!r.ok) return r;
      hold(r.grant, true);
      return { ok: true, inspector: r.inspector };
    },
    async load() {
      const r = await source.load();
      hold(r.grant, r.session);
      return session;
    },
    async set(tokens) {
      hold(await source.adopt(tokens), true);
    },
    persist: () => source.persist(),
    unlocked: (inspectorId) => source.unlocked(inspectorId),
    async locked() {
      hold(null, false);
      await source.locked();
    },
    async clear() {
      hold(null, false);
      await source.clear();
    },
    onExpired(listener) {
      expiredListeners.add(listener);
      return () => expiredListeners.delete(listener);
    },
    skewMs: () => skew,
  };
}
