import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeSafeStorage, INSPECTOR, startFakePlatform, tokens, type FakePlatform } from '../../test-helpers/fakes.js';
import { createMainAuthService, type AuthServiceDeps } from './auth.service.js';
import { createPlatformAuthClient } from './platform-auth.client.js';
import { createSecretsService, type SafeStorageLike } from './secrets.js';
import { createSecretsFile } from './secrets-file.store.js';

vi.mock('electron', () => ({}));

let dir: string;
let file: string;
let platform: FakePlatform;
const SERVER_NOW = Date.parse('2026-05-06T02:00:00Z');
let clock = SERVER_NOW;
beforeEach(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'auth-test-'));
  file = path.join(dir, 'secrets.json');
  platform = await startFakePlatform();
  clock = SERVER_NOW;
});
afterEach(async () => {
  await platform.close();
  rmSync(dir, { recursive: true, force: true });
});

const login = { certNo: INSPECTOR.certNo, password: 'demo1234', deviceId: 'dev-1', deviceName: '终端' };
const refreshCalls = () => platform.requests.filter((r) => r.path === '/v1/auth/refresh');

function makeAuth(storage: SafeStorageLike = fakeSafeStorage(), over: Partial<AuthServiceDeps> = {}) {
  const lines: string[] = [];
  const secrets = createSecretsService(storage, createSecretsFile({ file, log: () => {} }), 'linux');
  const auth = createMainAuthService({
    client: createPlatformAuthClient({ baseUrl: platform.url, timeoutMs: 5_000 }),
    secrets,
    log: (m) => lines.push(m),
    now: () => clock,
    ...over,
  });
  return { auth, secrets, lines };
}

describe('login in main', () => {
  it('logs in against the platform, keeps the refresh token sealed and hands out only an access grant', async () => {
    const { auth } = makeAuth();
    const r = await auth.login(login);
    expect(r).toEqual({
      ok: true,
      value: {
        inspector: INSPECTOR,
        access: { accessToken: tokens(1)['accessToken'], expiresAtServer: SERVER_NOW + 900_000, skewMs: 0 },
        sealed: true,
      },
    });
    expect(JSON.stringify(r)).not.toContain('refresh-');
    expect(platform.requests[0]).toEqual({ path: '/v1/auth/login', body: login });
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).toContain('refresh-token:insp-1');
    expect(onDisk).not.toContain('refresh-1');
  });

  it('measures expiry on the server clock, not the device clock', async () => {
    clock = SERVER_NOW - 3_600_000; // the device is an hour behind
    const { auth } = makeAuth();
    const r = await auth.login(login);
    expect(r.ok && r.value.access).toMatchObject({ expiresAtServer: SERVER_NOW + 900_000, skewMs: 3_600_000 });
  });

  it.each<[string, () => void, string]>([
    ['a wrong password', () => {}, 'PLATFORM_REFUSED'],
    ['a 503', () => platform.handle(() => ({ status: 503, body: {} })), 'PLATFORM_UNREACHABLE'],
    [
      'a body that breaks the protocol',
      () => platform.handle(() => ({ status: 200, body: { accessToken: 'x' } })),
      'PLATFORM_INVALID',
    ],
    ['a body that is not JSON', () => platform.handle(() => ({ status: 200, raw: '<html>' })), 'PLATFORM_INVALID'],
    ['a 400', () => platform.handle(() => ({ status: 400, body: {} })), 'PLATFORM_INVALID'],
  ])('reports %s as %s and stores nothing', async (_name, arrange, kind) => {
    arrange();
    const { auth } = makeAuth();
    const r = await auth.login({ ...login, password: 'wrong' });
    expect(r.ok ? null : r.error.kind).toBe(kind);
    auth.markUnlocked(INSPECTOR.id);
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'NO_SESSION' } });
  });

  it('reports an unreachable platform', async () => {
    await platform.close();
    const { auth } = makeAuth();
    expect(await auth.login(login)).toMatchObject({ ok: false, error: { kind: 'PLATFORM_UNREACHABLE' } });
    platform = await startFakePlatform();
  });

  it('refuses to build a client for plain http to another machine', () => {
    expect(() => createPlatformAuthClient({ baseUrl: 'http://platform.example.gov.cn' })).toThrow('https');
  });

  it('a corrupt secrets file does not block sign-in', async () => {
    writeFileSync(file, '{"v":1,"entr');
    const { auth } = makeAuth();
    expect(await auth.login(login)).toMatchObject({ ok: true, value: { sealed: true } });
    expect(readFileSync(`${file}.bad`, 'utf8')).toBe('{"v":1,"entr');
  });

  it('a secrets file that cannot be written does not block sign-in either (token kept in memory)', async () => {
    const lines: string[] = [];
    // A plain file where the secrets directory should be: every write fails.
    writeFileSync(path.join(dir, 'blocker'), '');
    const blocked = createSecretsService(
      fakeSafeStorage(),
      createSecretsFile({ file: path.join(dir, 'blocker', 'secrets.json'), log: () => {} }),
      'linux',
    );
    const stuck = createMainAuthService({
      client: createPlatformAuthClient({ baseUrl: platform.url }),
      secrets: blocked,
      log: (m) => lines.push(m),
      now: () => clock,
    });
    expect(await stuck.login(login)).toMatchObject({ ok: true, value: { sealed: false } });
    expect(lines.join('\n')).toContain('not persisted');
    stuck.markUnlocked(INSPECTOR.id);
    expect(await stuck.refresh(INSPECTOR.id)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(2)['accessToken'] },
    });
  });

  it('without an OS keyring (basic_text) keeps the refresh token in memory only and says so', async () => {
    const { auth } = makeAuth(fakeSafeStorage('basic_text'));
    expect(await auth.login(login)).toMatchObject({ ok: true, value: { sealed: false } });
    auth.markUnlocked(INSPECTOR.id);
    expect((await auth.refresh(INSPECTOR.id)).ok).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain('refresh-');
    const restarted = makeAuth(fakeSafeStorage('basic_text')).auth;
    restarted.markUnlocked(INSPECTOR.id);
    expect(await restarted.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'NO_SESSION' } });
  });
});

describe('no access token while locked', () => {
  it('hands out nothing before the unlock report, after a lock, or for another inspector', async () => {
    const { auth } = makeAuth();
    await auth.login(login);
    const before = platform.requests.length;
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'LOCKED' } });
    expect(await auth.refresh(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'LOCKED' } });
    auth.markUnlocked(INSPECTOR.id);
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(1)['accessToken'] },
    });
    auth.lockAll();
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'LOCKED' } });
    auth.markUnlocked('insp-2');
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'LOCKED' } });
    expect(platform.requests.length).toBe(before);
  });

  it('a lock while a refresh is in flight withholds its token; after unlock it is handed out without asking again', async () => {
    const { auth } = makeAuth();
    await auth.login(login);
    auth.markUnlocked(INSPECTOR.id);
    let answer: () => void = () => {};
    platform.handle(() => new Promise((resolve) => (answer = () => resolve({ status: 200, body: tokens(7) }))));
    const pending = auth.refresh(INSPECTOR.id);
    await vi.waitFor(() => expect(refreshCalls()).toHaveLength(1));
    auth.lockAll();
    answer();
    expect(await pending).toMatchObject({ ok: false, error: { kind: 'LOCKED' } });
    auth.markUnlocked(INSPECTOR.id);
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(7)['accessToken'] },
    });
    expect(refreshCalls()).toHaveLength(1);
  });
});

describe('refresh in main', () => {
  it('is single-flight: concurrent forced refreshes make one platform call and share its token', async () => {
    const { auth } = makeAuth();
    await auth.login(login);
    auth.markUnlocked(INSPECTOR.id);
    const stale = tokens(1)['accessToken'] as string;
    const results = await Promise.all([
      auth.refresh(INSPECTOR.id, stale),
      auth.refresh(INSPECTOR.id, stale),
      auth.refresh(INSPECTOR.id),
    ]);
    expect(refreshCalls()).toHaveLength(1);
    expect(refreshCalls()[0]?.body).toEqual({ refreshToken: tokens(1)['refreshToken'] });
    expect(new Set(results.map((r) => r.ok && r.value.accessToken))).toEqual(new Set([tokens(2)['accessToken']]));
    // A caller still holding the old token gets the new one without another call.
    expect(await auth.refresh(INSPECTOR.id, stale)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(2)['accessToken'] },
    });
    expect(refreshCalls()).toHaveLength(1);
  });

  it('refreshes a token near its expiry before handing it out', async () => {
    const { auth } = makeAuth();
    await auth.login(login);
    auth.markUnlocked(INSPECTOR.id);
    clock = SERVER_NOW + 890_000;
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(2)['accessToken'] },
    });
    expect(refreshCalls()).toHaveLength(1);
  });

  it('after a restart, refreshes with the sealed token and stores the rotated one', async () => {
    await makeAuth().auth.login(login);
    const { auth } = makeAuth();
    auth.markUnlocked(INSPECTOR.id);
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({
      ok: true,
      value: { accessToken: tokens(2)['accessToken'] },
    });
    expect(refreshCalls()[0]?.body).toEqual({ refreshToken: tokens(1)['refreshToken'] });
    const again = makeAuth();
    expect(await again.secrets.get('refresh-token:insp-1')).toMatchObject({
      state: 'ok',
      value: tokens(2)['refreshToken'],
    });
  });

  it('a refused refresh ends the session; an unreachable platform keeps it', async () => {
    const { auth, secrets } = makeAuth();
    await auth.login(login);
    auth.markUnlocked(INSPECTOR.id);
    platform.handle(() => ({ status: 502, body: {} }));
    expect(await auth.refresh(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'PLATFORM_UNREACHABLE' } });
    expect((await secrets.get('refresh-token:insp-1')).state).toBe('ok');
    platform.handle(() => ({ status: 401, body: {} }));
    expect(await auth.refresh(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'PLATFORM_REFUSED' } });
    expect(await secrets.get('refresh-token:insp-1')).toEqual({ state: 'absent' });
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'NO_SESSION' } });
  });

  it('sign-out forgets the tokens, even if a refresh was in flight', async () => {
    const { auth, secrets } = makeAuth();
    await auth.login(login);
    auth.markUnlocked(INSPECTOR.id);
    let answer: () => void = () => {};
    platform.handle(() => new Promise((resolve) => (answer = () => resolve({ status: 200, body: tokens(9) }))));
    const pending = auth.refresh(INSPECTOR.id);
    await vi.waitFor(() => expect(refreshCalls()).toHaveLength(1));
    expect(await auth.signOut(INSPECTOR.id)).toBe(true);
    answer();
    expect((await pending).ok).toBe(false);
    expect(await secrets.get('refresh-token:insp-1')).toEqual({ state: 'absent' });
    auth.markUnlocked(INSPECTOR.id);
    expect(await auth.accessToken(INSPECTOR.id)).toMatchObject({ ok: false, error: { kind: 'NO_SESSION' } });
    expect(await auth.signOut(INSPECTOR.id)).toBe(false);
  });

  it('without a valid deployment config, says so', async () => {
    const { auth } = makeAuth(fakeSafeStorage(), { client: null });
    expect(await auth.login(login)).toMatchObject({ ok: false, error: { kind: 'CONFIG_INVALID' } });
  });
});
