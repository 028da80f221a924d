/**
 * Electron's token source: main performs login and refresh and keeps the refresh token; this side
 * only ever receives short-lived access tokens, and only while main counts this inspector as
 * unlocked. Bridge failures are mapped onto the HTTP client's terms so the rest of the renderer
 * treats both builds alike.
 */
import type { BridgeApi } from '../../../shared/ipc/bridge.js';
import { IPC_EVENTS, type IpcError, type IpcResult } from '../../../shared/ipc/contract.js';
import type { SessionRepo } from '../db/index.js';
import type { HttpError } from './http.js';
import type { AccessGrant, MainTokenSource, SourceRefresh } from './tokens.js';

/** Codes after which only a new sign-in (or unlock) helps; anything else is worth retrying later. */
const SESSION_OVER: ReadonlySet<IpcError['code']> = new Set(['LOCKED', 'NO_SESSION', 'PLATFORM_REFUSED']);

export function loginError(error: IpcError): HttpError {
  switch (error.code) {
    case 'PLATFORM_REFUSED':
      return {
        kind: 'http',
        status: 401,
        code: 'UNAUTHORIZED',
        message: error.message,
        retryAfterMs: null,
        serverDate: null,
        missing: [],
      };
    case 'PLATFORM_UNREACHABLE':
      return { kind: 'network', message: error.message };
    default:
      return { kind: 'invalid-response', status: 0, message: error.message };
  }
}

export function mainTokenSource(api: BridgeApi, sessions: SessionRepo): MainTokenSource {
  let inspectorId: string | null = null;

  async function whoIsSignedIn(): Promise<string | null> {
    inspectorId ??= (await sessions.current())?.inspector.id ?? null;
    return inspectorId;
  }

  const granted = (r: IpcResult<{ access: AccessGrant }>): SourceRefresh =>
    r.ok
      ? { outcome: 'refreshed', grant: r.value.access }
      : { outcome: SESSION_OVER.has(r.error.code) ? 'rejected' : 'unreachable' };

  return {
    holder: 'main',
    async login(_baseUrl, body) {
      const r = await api.login(body);
      if (!r.ok) return { ok: false, error: loginError(r.error) };
      inspectorId = r.value.inspector.id;
      return { ok: true, inspector: r.value.inspector, grant: r.value.access };
    },
    async load() {
      inspectorId = null;
      const id = await whoIsSignedIn();
      if (id === null) return { grant: null, session: false };
      const r = await api.accessToken({ inspectorId: id });
      if (r.ok) return { grant: r.value.access, session: true };
      // Unreachable now is still a session: requests will refresh through main once it answers.
      return { grant: null, session: !SESSION_OVER.has(r.error.code) };
    },
    async refresh(rejected) {
      const id = await whoIsSignedIn();
      if (id === null) return { outcome: 'rejected' };
      return granted(await api.refreshAccess(rejected === null ? { inspectorId: id } : { inspectorId: id, rejected }));
    },
    // Main sealed the refresh token at login already.
    persist: async () => {},
    adopt() {
      throw new Error('In Electron the refresh token stays in main; the renderer cannot adopt a token set.');
    },
    async unlocked(id) {
      inspectorId = id;
      const r = await api.reportUnlocked({ inspectorId: id });
      if (!r.ok) throw new Error(`无法向主进程报告解锁：${r.error.message}`);
    },
    async locked() {
      await api.reportLocked();
    },
    async clear() {
      const id = await whoIsSignedIn();
      inspectorId = null;
      if (id !== null) await api.signOut({ inspectorId: id });
    },
    onExternalLock(listener) {
      return api.onLock((payload) => {
        // Any lock event locks (the safe direction); a malformed payload is still a bug worth seeing.
        if (!IPC_EVENTS['vault:lock'].payload.safeParse(payload).success) console.warn('unexpected lock event payload');
        listener();
      });
    },
  };
}
