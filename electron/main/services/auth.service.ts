/**
 * Tokens stay in main. Main performs the password login and every refresh, keeps each inspector's
 * refresh token (sealed with safeStorage in the secrets file, or in memory only when the OS offers no
 * bound key) and hands the renderer short-lived access tokens only.
 *
 * Access tokens flow only for the ONE inspector whose vault the renderer reported unlocked in this
 * process, and not locked since (suspend, screen lock, idle, "lock now" all end it). This trusts the
 * renderer to report its own lock state truthfully: it is our code, sandboxed, loaded only from
 * app://bundle with a strict CSP, and DevTools are off in packaged builds. What the gate protects
 * against is the locked app on a shared laptop handing out a working session — without the password,
 * nobody can reach the unlock report, because the renderer sends it only after opening the vault.
 * The exception is `login`: its caller just proved the password to the platform.
 */
import type { AccessGrant } from '../../../shared/ipc/contract.js';
import type { Inspector, LoginRequest, Tokens } from '../../../shared/protocol/index.js';
import type { Log } from '../security.js';
import type { PlatformAuthClient, PlatformCallError } from './platform-auth.client.js';
import type { SecretsService } from './secrets.js';

export type AuthErrorKind =
  'LOCKED' | 'NO_SESSION' | 'PLATFORM_REFUSED' | 'PLATFORM_UNREACHABLE' | 'PLATFORM_INVALID' | 'CONFIG_INVALID';
export type AuthResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly kind: AuthErrorKind; readonly message: string } };

export interface LoginGrant {
  readonly inspector: Inspector;
  readonly access: AccessGrant;
  /** false: the refresh token is kept in memory only (no OS-bound storage, or the file failed). */
  readonly sealed: boolean;
}

export interface MainAuthService {
  login(request: LoginRequest): Promise<AuthResult<LoginGrant>>;
  /** A valid access token for the unlocked inspector; refreshes (single-flight) when near expiry. */
  accessToken(inspectorId: string): Promise<AuthResult<AccessGrant>>;
  /** Forced refresh after a 401 (single-flight); `rejected` is the token that got the 401. */
  refresh(inspectorId: string, rejected?: string): Promise<AuthResult<AccessGrant>>;
  signOut(inspectorId: string): Promise<boolean>;
  /** The renderer opened this inspector's vault. Replaces any earlier mark: one inspector at a time. */
  markUnlocked(inspectorId: string): void;
  /** Forgets every unlock mark and every access token held in memory. */
  lockAll(): void;
}

export interface AuthServiceDeps {
  /** The platform client, or null when the deployment config is invalid. */
  readonly client: PlatformAuthClient | null;
  readonly secrets: SecretsService;
  readonly log: Log;
  readonly now?: () => number;
}

/** An access token this close to expiry (server clock) is refreshed before it is handed out. */
export const ACCESS_MARGIN_MS = 30_000;

interface Held {
  /** In memory always; in the secrets file too when it could be sealed. */
  refreshToken: string;
  access: AccessGrant | null;
}

export const refreshTokenName = (inspectorId: string): string => `refresh-token:${inspectorId}`;

export function createMainAuthService(deps: AuthServiceDeps): MainAuthService {
  const now = deps.now ?? (() => Date.now());
  const held = new Map<string, Held>();
  /** Bumped by login and sign-out so a refresh that was in flight cannot bring back an old session. */
  const generation = new Map<string, number>();
  const inflight = new Map<string, Promise<AuthResult<AccessGrant>>>();
  let unlocked: string | null = null;
  let lockEpoch = 0;

  const gen = (id: string) => generation.get(id) ?? 0;
  const bump = (id: string) => generation.set(id, gen(id) + 1);
  const isUnlocked = (id: string) => unlocked === id;
  const locked = (): AuthResult<never> => err('LOCKED', '检查员数据已锁定，请先解锁');
  const fresh = (a: AccessGrant | null): a is AccessGrant =>
    a !== null && a.expiresAtServer - (now() + a.skewMs) > ACCESS_MARGIN_MS;

  function grantOf(tokens: Tokens): AccessGrant {
    const serverNow = Date.parse(tokens.serverTime);
    return {
      accessToken: tokens.accessToken,
      expiresAtServer: serverNow + tokens.expiresIn * 1000,
      skewMs: serverNow - now(),
    };
  }

  /** Seals the refresh token; never lets a secrets-file failure fail the sign-in itself. */
  async function persist(id: string, refreshToken: string): Promise<boolean> {
    try {
      if (await deps.secrets.putSealed(refreshTokenName(id), refreshToken)) return true;
      // No OS-bound key: keep the token in memory only, and drop an older sealed one.
      await deps.secrets.delete(refreshTokenName(id));
      deps.log('refresh token kept in memory only: no OS-bound secret storage', { inspectorId: id });
    } catch (error) {
      deps.log('refresh token not persisted', { inspectorId: id, error: String(error) });
    }
    return false;
  }

  async function storedRefreshToken(id: string): Promise<string | null> {
    const inMemory = held.get(id);
    if (inMemory) return inMemory.refreshToken;
    try {
      const read = await deps.secrets.get(refreshTokenName(id));
      if (read.state === 'ok') return read.value;
      if (read.state === 'unreadable') deps.log('refresh token unreadable (OS key changed?)', { inspectorId: id });
    } catch (error) {
      deps.log('secrets file unreadable', { error: String(error) });
    }
    return null;
  }

  async function forget(id: string): Promise<void> {
    bump(id);
    held.delete(id);
    try {
      await deps.secrets.delete(refreshTokenName(id));
    } catch (error) {
      deps.log('refresh token not deleted from the secrets file', { inspectorId: id, error: String(error) });
    }
  }

  async function platformRefresh(id: string): Promise<AuthResult<AccessGrant>> {
    const startGen = gen(id);
    const refreshToken = await storedRefreshToken(id);
    if (refreshToken === null) return err('NO_SESSION', '本机没有该检查员的登录凭据，请联网登录');
    if (deps.client === null) return err('CONFIG_INVALID', '部署配置无效，无法连接监管平台');
    const r = await deps.client.refresh(refreshToken);
    if (gen(id) !== startGen) {
      // Signed out or signed in again meanwhile: that newer state wins.
      const current = held.get(id)?.access ?? null;
      return current ? { ok: true, value: current } : err('NO_SESSION', '登录已结束，请重新登录');
    }
    if (!r.ok) {
      if (r.error.kind === 'refused') await forget(id);
      return platformErr(r.error);
    }
    const access = grantOf(r.value);
    held.set(id, { refreshToken: r.value.refreshToken, access });
    await persist(id, r.value.refreshToken);
    return { ok: true, value: access };
  }

  async function refresh(id: string, rejected?: string): Promise<AuthResult<AccessGrant>> {
    if (!isUnlocked(id)) return locked();
    const current = held.get(id)?.access ?? null;
    // Another caller refreshed since this token was sent: hand out the newer one.
    if (rejected !== undefined && fresh(current) && current.accessToken !== rejected)
      return { ok: true, value: current };
    const epoch = lockEpoch;
    let flight = inflight.get(id);
    if (flight === undefined) {
      flight = platformRefresh(id).finally(() => inflight.delete(id));
      inflight.set(id, flight);
    }
    const result = await flight;
    // Locked while the platform answered: the new token is kept for later, but not handed out now.
    if (lockEpoch !== epoch || !isUnlocked(id)) return locked();
    return result;
  }

  return {
    async login(request) {
      if (deps.client === null) return err('CONFIG_INVALID', '部署配置无效，无法连接监管平台');
      const r = await deps.client.login(request);
      if (!r.ok) return platformErr(r.error);
      const id = r.value.inspector.id;
      bump(id);
      const access = grantOf(r.value);
      held.set(id, { refreshToken: r.value.refreshToken, access });
      const sealed = await persist(id, r.value.refreshToken);
      return { ok: true, value: { inspector: r.value.inspector, access, sealed } };
    },
    async accessToken(id) {
      if (!isUnlocked(id)) return locked();
      const current = held.get(id)?.access ?? null;
      return fresh(current) ? { ok: true, value: current } : refresh(id);
    },
    refresh,
    async signOut(id) {
      const had = held.has(id) || (await storedRefreshToken(id)) !== null;
      if (unlocked === id) unlocked = null;
      await forget(id);
      return had;
    },
    markUnlocked(id) {
      unlocked = id;
    },
    lockAll() {
      unlocked = null;
      lockEpoch += 1;
      for (const entry of held.values()) entry.access = null;
    },
  };
}

function err(kind: AuthErrorKind, message: string): AuthResult<never> {
  return { ok: false, error: { kind, message } };
}

function platformErr(error: PlatformCallError): AuthResult<never> {
  const kind =
    error.kind === 'refused'
      ? 'PLATFORM_REFUSED'
      : error.kind === 'unreachable'
        ? 'PLATFORM_UNREACHABLE'
        : 'PLATFORM_INVALID';
  return err(kind, error.message);
}
