/**
 * Sign-in: online once (tokens sealed at rest, a salted PBKDF2 verifier stored for the 执法证号),
 * offline afterwards against that verifier. The session persists across restarts until sign-out.
 */
import { CertNoSchema } from '../../../../shared/protocol/index.js';
import type { SessionRow } from '../../db/index.js';
import { checkVerifier, makeVerifier } from '../../platform/crypto.js';
import type { AuthService, Session, SignInError } from './auth.api.js';
import type { Runtime } from '../runtime.js';

type SignInResult = { ok: true; session: Session } | { ok: false; error: SignInError };

export function createAuthService(rt: Runtime): AuthService & { restore(): Promise<Session | null> } {
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

  async function restore(): Promise<Session | null> {
    const row = await sessions.current();
    if (!row) return null;
    rt.setBaseUrl(row.platformUrl);
    if (!restored) {
      await rt.tokens.load();
      restored = true;
    }
    return toSession(row);
  }

  async function platformUrl(certNo: string): Promise<string | null> {
    try {
      return (await rt.deps.adapter.config()).platformUrl || null;
    } catch {
      return (await sessions.credential(certNo))?.platformUrl ?? null;
    }
  }

  async function offlineUnlock(certNo: string, password: string, why: string): Promise<SignInResult> {
    const cred = await sessions.credential(certNo);
    if (!cred)
      return {
        ok: false,
        error: {
          kind: 'offline-never-signed-in',
          message: `${why}。本机尚未用该执法证号联网登录过，首次登录需要联网。`,
        },
      };
    if (!(await checkVerifier(password, cred.verifier)))
      return { ok: false, error: { kind: 'bad-credentials', message: '执法证号或密码错误（离线验证）' } };
    const prev = await sessions.current();
    const keepTokens = prev?.certNo === certNo ? prev.tokens : null;
    const row: SessionRow = {
      key: 'current',
      certNo,
      inspector: cred.inspector,
      platformUrl: cred.platformUrl,
      tokens: keepTokens,
      offlineUnlocked: true,
      signedInAt: rt.now().toISOString(),
    };
    await sessions.save(row);
    rt.setBaseUrl(row.platformUrl);
    await rt.tokens.unlocked(cred.inspector.id);
    // The row now holds this inspector's tokens or none, so loading picks up exactly those.
    await rt.tokens.load();
    restored = true;
    rt.emit('session');
    return { ok: true, session: await toSession(row) };
  }

  async function signIn(certNo: string, password: string): Promise<SignInResult> {
    const cert = CertNoSchema.safeParse(certNo.trim());
    if (!cert.success)
      return {
        ok: false,
        error: { kind: 'invalid-input', message: cert.error.issues[0]?.message ?? '执法证号格式不正确' },
      };
    if (password.length === 0) return { ok: false, error: { kind: 'invalid-input', message: '请输入密码' } };
    const url = await platformUrl(cert.data);
    if (!url) return { ok: false, error: { kind: 'network', message: '未配置监管平台地址，无法登录' } };
    const body = {
      certNo: cert.data,
      password,
      deviceId: await meta.deviceId(),
      deviceName: rt.deps.deviceName ?? '现场检查终端',
    };
    // In Electron main performs the login and keeps the refresh token; the renderer gets an access token.
    const res = await rt.tokens.login(url, body);
    if (!res.ok) {
      const e = res.error;
      if (e.kind === 'network' || e.kind === 'timeout' || (e.kind === 'http' && e.status >= 500))
        return offlineUnlock(cert.data, password, '无法连接监管平台');
      if (e.kind === 'http' && (e.status === 401 || e.status === 403))
        return { ok: false, error: { kind: 'bad-credentials', message: '执法证号或密码错误' } };
      return { ok: false, error: { kind: 'invalid-input', message: `登录失败：${e.message}` } };
    }
    const login = res;
    const at = rt.now().toISOString();
    const row: SessionRow = {
      key: 'current',
      certNo: cert.data,
      inspector: login.inspector,
      platformUrl: url,
      tokens: null,
      offlineUnlocked: false,
      signedInAt: at,
    };
    const verifier = await makeVerifier(password, rt.deps.verifierIterations);
    await sessions.saveLogin(row, {
      certNo: cert.data,
      inspector: login.inspector,
      verifier,
      platformUrl: url,
      updatedAt: at,
    });
    rt.setBaseUrl(url);
    await rt.tokens.persist();
    await rt.tokens.unlocked(login.inspector.id);
    restored = true;
    if ((await rt.repos.outbox.resumePaused()) > 0) rt.emit('outbox');
    rt.emit('session');
    return { ok: true, session: await toSession(row) };
  }

  return {
    restore,
    current: restore,
    signIn,
    async signOut() {
      await rt.tokens.clear();
      await sessions.clear();
      rt.emit('session');
    },
  };
}
