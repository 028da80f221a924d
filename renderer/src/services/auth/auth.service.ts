/**
 * The session inside one inspector's partition: the password login at the platform, the session
 * row (sealed with the partition) and the tokens. Which partition is open, and whether the password
 * was right offline, is the vault service's business (vault.service.ts): by the time anything here
 * reads or writes a row, the partition's data key is in memory.
 */
import { CertNoSchema, type Inspector } from '../../../../shared/protocol/index.js';
import type { SessionRow } from '../../db/index.js';
import type { LoginOutcome } from '../../platform/tokens.js';
import type { Session, SignInError } from './auth.api.js';
import type { Runtime } from '../runtime.js';

type SignInResult = { ok: true; session: Session } | { ok: false; error: SignInError };

export interface PartitionAuth {
  current(): Promise<Session | null>;
  /** The password login (no row is written: the partition may still be locked). */
  login(url: string, certNo: string, password: string, deviceId: string): Promise<LoginOutcome>;
  /** After an online login, with the partition unlocked: session row, tokens to rest, paused uploads resumed. */
  completeOnline(certNo: string, inspector: Inspector, url: string): Promise<Session>;
  /** After an offline unlock: the stored session, marked offline; tokens as they were. */
  completeOffline(certNo: string, fallback: { inspector: Inspector; url: string } | null): Promise<Session | null>;
  /** Online sign-in in one step (tests and tools on a clear database). */
  signIn(certNo: string, password: string): Promise<SignInResult>;
  signOut(): Promise<void>;
}

export function signInErrorOf(e: LoginOutcome & { ok: false }): SignInError {
  const err = e.error;
  if (err.kind === 'network' || err.kind === 'timeout' || (err.kind === 'http' && err.status >= 500))
    return { kind: 'network', message: '无法连接监管平台' };
  if (err.kind === 'http' && err.status === 403 && err.code === 'DEVICE_REVOKED')
    return { kind: 'device-revoked', message: '设备已被停用：请联系管理员恢复本设备后再联网登录。' };
  if (err.kind === 'http' && (err.status === 401 || err.status === 403))
    return { kind: 'bad-credentials', message: '执法证号或密码错误' };
  return { kind: 'invalid-input', message: `登录失败：${err.message}` };
}

export function createAuthService(rt: Runtime): PartitionAuth {
  const { session: sessions, meta } = rt.repos;
  let restored = false;

  async function toSession(row: SessionRow): Promise<Session> {
    return {
      inspector: row.inspector,
      deviceId: await meta.deviceId(),
      platformUrl: row.platformUrl,
      offlineUnlocked: row.offlineUnlocked,
    };
  }

  async function current(): Promise<Session | null> {
    const row = await sessions.current();
    if (!row) return null;
    rt.setBaseUrl(row.platformUrl);
    if (!restored) {
      await rt.tokens.load();
      restored = true;
    }
    return toSession(row);
  }

  async function login(url: string, certNo: string, password: string, deviceId: string): Promise<LoginOutcome> {
    const body = { certNo, password, deviceId, deviceName: rt.deps.deviceName ?? '现场检查终端' };
    rt.setBaseUrl(url);
    // In Electron main performs the login and keeps the refresh token; the renderer gets an access token.
    return rt.tokens.login(url, body);
  }

  async function completeOnline(certNo: string, inspector: Inspector, url: string): Promise<Session> {
    const row: SessionRow = {
      key: 'current',
      certNo,
      inspector,
      platformUrl: url,
      tokens: null,
      offlineUnlocked: false,
      signedInAt: rt.now().toISOString(),
    };
    await sessions.save(row);
    rt.setBaseUrl(url);
    await rt.tokens.persist();
    await rt.tokens.unlocked(inspector.id);
    restored = true;
    if ((await rt.repos.outbox.resumePaused()) > 0) rt.emit('outbox');
    rt.emit('session');
    return toSession(row);
  }

  async function completeOffline(
    certNo: string,
    fallback: { inspector: Inspector; url: string } | null,
  ): Promise<Session | null> {
    const prev = await sessions.current();
    const base = prev ?? (fallback ? { inspector: fallback.inspector, platformUrl: fallback.url, tokens: null } : null);
    if (!base) return null;
    const row: SessionRow = {
      key: 'current',
      certNo,
      inspector: base.inspector,
      platformUrl: base.platformUrl,
      tokens: base.tokens,
      offlineUnlocked: true,
      signedInAt: rt.now().toISOString(),
    };
    await sessions.save(row);
    rt.setBaseUrl(row.platformUrl);
    await rt.tokens.unlocked(row.inspector.id);
    await rt.tokens.load();
    restored = true;
    rt.emit('session');
    return toSession(row);
  }

  async function signIn(certNo: string, password: string): Promise<SignInResult> {
    const cert = CertNoSchema.safeParse(certNo.trim());
    if (!cert.success)
      return {
        ok: false,
        error: { kind: 'invalid-input', message: cert.error.issues[0]?.message ?? '执法证号格式不正确' },
      };
    if (password.length === 0) return { ok: false, error: { kind: 'invalid-input', message: '请输入密码' } };
    let url: string | null = null;
    try {
      url = (await rt.deps.adapter.config()).platformUrl || null;
    } catch {
      url = (await sessions.current())?.platformUrl ?? null;
    }
    if (!url) return { ok: false, error: { kind: 'network', message: '未配置监管平台地址，无法登录' } };
    const res = await login(url, cert.data, password, await meta.deviceId());
    if (!res.ok) return { ok: false, error: signInErrorOf(res) };
    return { ok: true, session: await completeOnline(cert.data, res.inspector, url) };
  }

  return {
    current,
    login,
    completeOnline,
    completeOffline,
    signIn,
    async signOut() {
      await rt.tokens.clear();
      await sessions.clear();
      rt.emit('session');
    },
  };
}
