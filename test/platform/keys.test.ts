/**
 * Key escrow and the station cache key over real HTTP: one data key per inspector, released only to
 * that inspector soon after a password login and logged; the station key shared within a station.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  DataKeyResponseSchema,
  ErrorBodySchema,
  KEY_RELEASE_WINDOW_SECONDS,
  KeyExistsDetailsSchema,
  KeyReleaseListSchema,
  PutDataKeyResponseSchema,
  RefreshResponseSchema,
  StationCacheKeyResponseSchema,
} from '../../shared/protocol/index.js';
import type { DemoLogin, StartedPlatform } from './server.js';
import { startPlatform } from './server.js';
import { authed, login } from './testkit.js';

const dataDir = mkdtempSync(join(tmpdir(), 'platform-keys-'));
let clockOffsetMs = 0;
const now = (): Date => new Date(Date.now() + clockOffsetMs);
let platform: StartedPlatform;
let alice: DemoLogin;
let bob: DemoLogin;
let carol: DemoLogin;

beforeAll(async () => {
  platform = await startPlatform({ dataDir, seed: 3, enterprises: 300, port: 0, now });
  [alice, bob, carol] = platform.logins as [DemoLogin, DemoLogin, DemoLogin];
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const newKey = (): string => randomBytes(32).toString('base64url');

async function session(who: DemoLogin, deviceId = 'dev-keys-1') {
  const tokens = await login(platform.url, who.certNo, who.password, deviceId);
  return { tokens, call: authed(platform.url, tokens.accessToken) };
}

const putKey = (call: ReturnType<typeof authed>, body: unknown, raw?: string): Promise<Response> =>
  call(API.dataKey, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });

async function errorOf(res: Response): Promise<{ code: string; message: string; details?: unknown }> {
  return ErrorBodySchema.parse(await res.json()).error;
}

describe('data key escrow', () => {
  const aliceKey = newKey();

  it('stores a key and releases the same bytes to the same inspector; a retry is idempotent', async () => {
    const { call } = await session(alice);
    const put = await putKey(call, { keyId: 'dk-alice-1', key: aliceKey });
    expect(put.status).toBe(201);
    expect(PutDataKeyResponseSchema.parse(await put.json())).toEqual({ keyId: 'dk-alice-1', created: true });
    const again = await putKey(call, { keyId: 'dk-alice-1', key: aliceKey });
    expect(again.status).toBe(200);
    expect(PutDataKeyResponseSchema.parse(await again.json())).toEqual({ keyId: 'dk-alice-1', created: false });
    const got = await call(API.dataKey);
    expect(got.status).toBe(200);
    const body = DataKeyResponseSchema.parse(await got.json());
    expect(body.keyId).toBe('dk-alice-1');
    expect(Buffer.from(body.key, 'base64url').equals(Buffer.from(aliceKey, 'base64url'))).toBe(true);
  });

  it('refuses a different key with 409 KEY_EXISTS naming the held one, and keeps the held one', async () => {
    const { call } = await session(alice, 'dev-keys-2');
    for (const body of [
      { keyId: 'dk-alice-2', key: newKey() },
      { keyId: 'dk-alice-1', key: newKey() },
      { keyId: 'dk-alice-2', key: aliceKey },
    ]) {
      const res = await putKey(call, body);
      expect(res.status).toBe(409);
      const err = await errorOf(res);
      expect(err.code).toBe('KEY_EXISTS');
      expect(KeyExistsDetailsSchema.parse(err.details).keyId).toBe('dk-alice-1');
    }
    expect(DataKeyResponseSchema.parse(await (await call(API.dataKey)).json())).toEqual({
      keyId: 'dk-alice-1',
      key: aliceKey,
    });
  });

  it("never gives one inspector another inspector's key: 404 NO_KEY, then their own", async () => {
    const { call } = await session(bob);
    const none = await call(API.dataKey);
    expect(none.status).toBe(404);
    expect((await errorOf(none)).code).toBe('NO_KEY');
    const bobKey = newKey();
    expect((await putKey(call, { keyId: 'dk-alice-1', key: bobKey })).status).toBe(201);
    const got = DataKeyResponseSchema.parse(await (await call(API.dataKey)).json());
    expect(got.key).toBe(bobKey);
    expect(got.key).not.toBe(aliceKey);
  });

  it('logs every release with inspector and device, readable only with the admin secret', async () => {
    const url = `${platform.url}${API.adminKeyReleases}?inspectorId=${encodeURIComponent(alice.inspectorId)}`;
    const denied = await fetch(url);
    expect(denied.status).toBe(401);
    const res = await fetch(url, { headers: { 'x-admin-secret': platform.adminSecret } });
    expect(res.status).toBe(200);
    const releases = KeyReleaseListSchema.parse(await res.json()).releases.filter((r) => r.kind === 'data-key');
    // Released twice to Alice: once to each device (the PUTs released nothing).
    expect(releases.map((r) => [r.inspectorId, r.deviceId, r.keyId])).toEqual([
      [alice.inspectorId, 'dev-keys-1', 'dk-alice-1'],
      [alice.inspectorId, 'dev-keys-2', 'dk-alice-1'],
    ]);
    expect(releases.every((r) => !Number.isNaN(Date.parse(r.releasedAt)))).toBe(true);
  });

  it('refuses a session whose password login is older than the window, even freshly refreshed', async () => {
    const { tokens, call } = await session(alice, 'dev-keys-3');
    const logged = platform.admin.keyReleases(alice.inspectorId).length;
    clockOffsetMs += (KEY_RELEASE_WINDOW_SECONDS + 60) * 1000;
    try {
      const stale = await call(API.dataKey);
      expect(stale.status).toBe(403);
      expect((await errorOf(stale)).code).toBe('REAUTH_REQUIRED');
      const refreshed = await fetch(`${platform.url}${API.refresh}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      expect(refreshed.status).toBe(200);
      const callRefreshed = authed(platform.url, RefreshResponseSchema.parse(await refreshed.json()).accessToken);
      expect((await callRefreshed('/v1/sync/tasks?limit=1')).status).toBe(200);
      const stillStale = await callRefreshed(API.dataKey);
      expect(stillStale.status).toBe(403);
      expect((await errorOf(stillStale)).code).toBe('REAUTH_REQUIRED');
      // Escrow needs the same proof: a stolen session must not plant a key for an inspector without one.
      const { call: carolFresh } = await session(carol);
      clockOffsetMs += (KEY_RELEASE_WINDOW_SECONDS + 60) * 1000;
      const plant = await putKey(carolFresh, { keyId: 'dk-planted', key: newKey() });
      expect(plant.status).toBe(403);
      expect((await errorOf(plant)).code).toBe('REAUTH_REQUIRED');
      expect(platform.admin.keyReleases(alice.inspectorId)).toHaveLength(logged);
      const { call: fresh } = await session(alice, 'dev-keys-3');
      expect((await fresh(API.dataKey)).status).toBe(200);
      expect(platform.admin.keyReleases(alice.inspectorId)).toHaveLength(logged + 1);
      const { call: carolAgain } = await session(carol);
      expect((await carolAgain(API.dataKey)).status).toBe(404);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('rejects malformed keys with 422 and a clear message, storing nothing', async () => {
    const { call } = await session(carol);
    const cases: { body: unknown; status: number; says: RegExp }[] = [
      { body: { keyId: 'dk-c', key: randomBytes(31).toString('base64url') }, status: 422, says: /32字节/ },
      { body: { keyId: 'dk-c', key: randomBytes(33).toString('base64url') }, status: 422, says: /32字节/ },
      { body: { keyId: 'dk-c', key: randomBytes(32).toString('base64') }, status: 422, says: /base64url/ },
      { body: { keyId: 'dk-c', key: `${newKey().slice(0, 42)}B` }, status: 422, says: /base64url/ },
      { body: { keyId: 'dk-c', key: `${newKey()}=` }, status: 422, says: /base64url/ },
      { body: { key: newKey() }, status: 422, says: /keyId/ },
      { body: { keyId: 'dk-c' }, status: 422, says: /key/ },
      { body: { keyId: 'dk c/1', key: newKey() }, status: 422, says: /keyId/ },
      { body: { keyId: 'dk-c', key: newKey(), deviceId: 'dev-other' }, status: 422, says: /deviceId/ },
    ];
    for (const c of cases) {
      const res = await putKey(call, c.body);
      expect(res.status, JSON.stringify(c.body)).toBe(c.status);
      const err = await errorOf(res);
      expect(err.code).toBe('VALIDATION');
      expect(err.message).toMatch(c.says);
    }
    const notJson = await putKey(call, null, '{"keyId":');
    expect(notJson.status).toBe(400);
    expect((await errorOf(notJson)).message).toMatch(/JSON/);
    const none = await call(API.dataKey);
    expect(none.status).toBe(404);
  });

  it('keeps the escrowed key across a restart (the master key lives in the data directory)', async () => {
    await platform.close();
    platform = await startPlatform({ dataDir, seed: 3, enterprises: 300, port: 0, now });
    const { call } = await session(alice);
    expect(DataKeyResponseSchema.parse(await (await call(API.dataKey)).json())).toEqual({
      keyId: 'dk-alice-1',
      key: aliceKey,
    });
  });
});

describe('station cache key', () => {
  it('is the same for inspectors of one station and different for another station', async () => {
    const a = StationCacheKeyResponseSchema.parse(
      await (await (await session(alice)).call(API.stationCacheKey)).json(),
    );
    const bobLogin = await session(bob);
    const b = StationCacheKeyResponseSchema.parse(await (await bobLogin.call(API.stationCacheKey)).json());
    expect(b).toEqual(a);
    expect(bobLogin.tokens.inspector.stationId).toBe(a.stationId);
    expect(Buffer.from(a.key, 'base64url')).toHaveLength(32);

    const other = platform.admin.addInspector({
      id: 'insp-other-1',
      name: '孙立',
      certNo: '3710029990001',
      certExpiry: '2030-12-31',
      unit: '威海市文登区市场监督管理局',
      station: '威海市文登区市场监督管理局龙山市场监管所',
      stationId: 'st-wendeng-longshan',
      region: '371003',
      domains: ['登记'],
      expert: false,
    });
    const res = await login(platform.url, other.certNo, 'demo1234', 'dev-other-station');
    const c = StationCacheKeyResponseSchema.parse(
      await (await authed(platform.url, res.accessToken)(API.stationCacheKey)).json(),
    );
    expect(c.stationId).toBe('st-wendeng-longshan');
    expect(c.keyId).not.toBe(a.keyId);
    expect(c.key).not.toBe(a.key);
    // Stable on repeat: the station keeps one key.
    expect(
      StationCacheKeyResponseSchema.parse(
        await (await authed(platform.url, res.accessToken)(API.stationCacheKey)).json(),
      ),
    ).toEqual(c);
  });

  it('needs a signed-in caller', async () => {
    const res = await fetch(`${platform.url}${API.stationCacheKey}`);
    expect(res.status).toBe(401);
  });
});
