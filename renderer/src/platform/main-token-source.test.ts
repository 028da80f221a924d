import { describe, expect, it, vi } from 'vitest';
import type { BridgeApi } from '../../../shared/ipc/bridge.js';
import type { AccessGrant, IpcError } from '../../../shared/ipc/contract.js';
import type { SessionRepo } from '../db/index.js';
import { mainTokenSource } from './main-token-source.js';
import { createTokenKeeper } from './tokens.js';

const inspector = {
  id: 'insp-1',
  name: '王芳',
  certNo: '37100000001',
  certExpiry: '2030-01-01',
  unit: 'u',
  station: 's',
  region: '371000',
  domains: [],
  expert: false,
};
const grant = (n: number): AccessGrant => ({
  accessToken: `access-${n}`.padEnd(20, '.'),
  expiresAtServer: 1,
  skewMs: 0,
});
const fail = (code: IpcError['code']) => ({ ok: false as const, error: { code, message: code } });
const login = { certNo: '37100000001', password: 'pw', deviceId: 'dev-1', deviceName: '终端' };

/** A stand-in for window.api: only the members the token source uses, each a spy. */
function fakeBridge() {
  let lockListener: ((payload: unknown) => void) | null = null;
  const api = {
    login: vi.fn<BridgeApi['login']>(async () => ({ ok: true, value: { inspector, access: grant(1), sealed: true } })),
    accessToken: vi.fn<BridgeApi['accessToken']>(async () => ({ ok: true, value: { access: grant(2) } })),
    refreshAccess: vi.fn<BridgeApi['refreshAccess']>(async () => ({ ok: true, value: { access: grant(3) } })),
    signOut: vi.fn<BridgeApi['signOut']>(async () => ({ ok: true, value: { signedOut: true } })),
    reportUnlocked: vi.fn<BridgeApi['reportUnlocked']>(async () => ({ ok: true, value: { unlocked: true } })),
    reportLocked: vi.fn<BridgeApi['reportLocked']>(async () => ({ ok: true, value: { locked: true } })),
    onLock: vi.fn<BridgeApi['onLock']>((listener) => {
      lockListener = listener;
      return () => (lockListener = null);
    }),
  };
  return { api, bridge: api as unknown as BridgeApi, emitLock: (payload: unknown) => lockListener?.(payload) };
}

const sessions = (id: string | null) =>
  ({ current: async () => (id === null ? undefined : { inspector: { id } }) }) as unknown as SessionRepo;

function keeper(id: string | null = 'insp-1') {
  const fake = fakeBridge();
  const k = createTokenKeeper({
    vault: mainTokenSource(fake.bridge, sessions(id)),
    baseUrl: () => 'http://ignored.test',
  });
  return { ...fake, k };
}

describe('token keeper with tokens held by Electron main', () => {
  it('logs in through main and receives an access token only', async () => {
    const { api, k } = keeper();
    expect(await k.login('http://renderer-idea.test', login)).toEqual({ ok: true, inspector });
    expect(api.login).toHaveBeenCalledWith(login);
    expect(k.accessToken()).toBe(grant(1).accessToken);
    expect(k.hasTokens()).toBe(true);
    await expect(
      k.set({
        accessToken: 'a'.repeat(20),
        refreshToken: 'r'.repeat(20),
        expiresIn: 60,
        serverTime: '2026-05-06T02:00:00Z',
      }),
    ).rejects.toThrow('stays in main');
  });

  it.each<[IpcError['code'], string, number | null]>([
    ['PLATFORM_REFUSED', 'http', 401],
    ['PLATFORM_UNREACHABLE', 'network', null],
    ['PLATFORM_INVALID', 'invalid-response', 0],
    ['CONFIG_INVALID', 'invalid-response', 0],
  ])("maps a login failure %s to the HTTP client's %s", async (code, kind, status) => {
    const { api, k } = keeper();
    api.login.mockResolvedValueOnce(fail(code));
    const r = await k.login('x', login);
    expect(r.ok ? null : r.error).toMatchObject({ kind, ...(status === null ? {} : { status }) });
    expect(k.hasTokens()).toBe(false);
  });

  it('refreshes through main, naming the token that got the 401, single-flight on this side too', async () => {
    const { api, k } = keeper();
    await k.login('x', login);
    expect(await Promise.all([k.refresh(), k.refresh()])).toEqual(['refreshed', 'refreshed']);
    expect(api.refreshAccess).toHaveBeenCalledTimes(1);
    expect(api.refreshAccess).toHaveBeenCalledWith({ inspectorId: 'insp-1', rejected: grant(1).accessToken });
    expect(k.accessToken()).toBe(grant(3).accessToken);
  });

  it.each<[IpcError['code'], string, boolean]>([
    ['LOCKED', 'rejected', false],
    ['NO_SESSION', 'rejected', false],
    ['PLATFORM_REFUSED', 'rejected', false],
    ['PLATFORM_UNREACHABLE', 'unreachable', true],
    ['INTERNAL', 'unreachable', true],
  ])('a refresh answered %s is %s', async (code, outcome, stillSession) => {
    const { api, k } = keeper();
    await k.login('x', login);
    api.refreshAccess.mockResolvedValueOnce(fail(code));
    expect(await k.refresh()).toBe(outcome);
    expect(k.hasTokens()).toBe(stillSession);
  });

  it("loads the signed-in inspector's token from main; locked means no session here", async () => {
    const { api, k } = keeper();
    expect(await k.load()).toBe(true);
    expect(api.accessToken).toHaveBeenCalledWith({ inspectorId: 'insp-1' });
    expect(k.accessToken()).toBe(grant(2).accessToken);
    api.accessToken.mockResolvedValueOnce(fail('LOCKED'));
    expect(await k.load()).toBe(false);
    expect(k.accessToken()).toBeNull();
    api.accessToken.mockResolvedValueOnce(fail('PLATFORM_UNREACHABLE'));
    expect(await k.load()).toBe(true);
    expect(k.accessToken()).toBeNull();
    expect(await keeper(null).k.load()).toBe(false);
  });

  it('an OS lock from main drops the access token at once', async () => {
    const { k, emitLock } = keeper();
    await k.login('x', login);
    emitLock({ reason: 'suspend' });
    expect(k.accessToken()).toBeNull();
    expect(k.hasTokens()).toBe(false);
  });

  it('reports unlock and lock to main, and signs out there', async () => {
    const { api, k } = keeper();
    await k.unlocked('insp-1');
    expect(api.reportUnlocked).toHaveBeenCalledWith({ inspectorId: 'insp-1' });
    await k.load();
    await k.locked();
    expect(api.reportLocked).toHaveBeenCalledOnce();
    expect(k.accessToken()).toBeNull();
    await k.clear();
    expect(api.signOut).toHaveBeenCalledWith({ inspectorId: 'insp-1' });
  });
});
