/**
 * The vault against the real platform simulator, in Node with fake-indexeddb: the key hierarchy
 * through the auth service (first sign-in creates and escrows the key, another laptop gets it from
 * escrow, offline unlock with back-off, expiry, forgotten password → escrow → re-wrap), two
 * inspectors on one laptop, revocation, sign-out, and a raw scan of every stored value.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API } from '../../shared/protocol/index.js';
import {
  CacheDb,
  DeviceDb,
  deviceDbName,
  FieldDb,
  legacyFieldDbName,
  partitionDbName,
  vaultsRepo,
} from '../../renderer/src/db/index.js';
import { createAppServices, type AppServices } from '../../renderer/src/services/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { testAdapter } from '../../renderer/src/testing/builders.js';
import { rewrapDataKey } from '../../renderer/src/vault/index.js';
import { signDraft } from '../../renderer/src/testing/inspection.testkit.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';
import { finalizePassing } from './simulator-kit.js';

let platform: StartedPlatform;
let dataDir: string;
const kdfParams = { N: 2 ** 10, r: 8, p: 1 };
let clock = Date.parse('2026-05-06T02:00:00Z');
const opened: AppServices[] = [];

function laptop(prefix: string, url = platform.url): AppServices {
  const app = createAppServices({
    prefix,
    cache: new CacheDb(`${prefix}cache`),
    adapter: testAdapter(url),
    binding: null,
    network: manualNetwork(true),
    now: () => new Date(clock),
    kdfParams,
  });
  opened.push(app);
  return app;
}

const admin = (path: string) =>
  fetch(`${platform.url}${path}`, { method: 'POST', headers: { 'x-admin-secret': platform.adminSecret } });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vault-'));
  platform = await startPlatform({ dataDir, seed: 11, enterprises: 40, port: 0 });
});
afterAll(async () => {
  for (const a of opened) await a.auth.close();
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function rawValues(dbName: string): Promise<string> {
  const db = new Dexie(dbName);
  await db.open();
  const parts: string[] = [];
  for (const t of db.tables)
    for (const v of await t.toArray())
      parts.push(
        JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('latin1') : x)),
      );
  db.close();
  return parts.join('\n');
}

describe('vault: key hierarchy, partitions, lock', () => {
  it('first sign-in creates and escrows the key; another laptop gets the same key from escrow', async () => {
    const a = platform.logins[0]!;
    const one = laptop('v1-');
    const r = await one.auth.signIn(a.certNo, a.password);
    expect(r.ok).toBe(true);
    expect(one.auth.state().phase).toBe('unlocked');
    const keyIdOne = (await vaultsRepo(new DeviceDb(deviceDbName('v1-'))).get(a.inspectorId))?.keyId;
    expect(keyIdOne).toBeTruthy();

    const two = laptop('v2-');
    expect((await two.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const keyIdTwo = (await vaultsRepo(new DeviceDb(deviceDbName('v2-'))).get(a.inspectorId))?.keyId;
    expect(keyIdTwo).toBe(keyIdOne);
  });

  it("the station's credit-file cache key opens with the unlock and is dropped at the lock", async () => {
    const a = platform.logins[0]!;
    const cache = new CacheDb('vs-cache');
    const app = createAppServices({
      prefix: 'vs-',
      cache,
      adapter: testAdapter(platform.url),
      binding: null,
      network: manualNetwork(true),
      now: () => new Date(clock),
      kdfParams,
    });
    opened.push(app);
    const login = (await (
      await fetch(`${platform.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          certNo: a.certNo,
          password: a.password,
          deviceId: 'dev-station-probe',
          deviceName: 'probe',
        }),
      })
    ).json()) as { accessToken: string };
    const station = (await (
      await fetch(`${platform.url}/v1/keys/station-cache`, {
        headers: { authorization: `Bearer ${login.accessToken}` },
      })
    ).json()) as { keyId: string; key: string };
    expect(cache.cacheKey).toBeNull();
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect(await app.auth.keyProtection()).toBe('browser');
    expect(cache.cacheKey?.keyId).toBe(station.keyId);
    expect(Buffer.from(cache.cacheKey!.key).toString('base64url')).toBe(station.key);
    await app.auth.lock('manual');
    expect(cache.cacheKey).toBeNull();
    expect((await app.auth.unlock(a.password)).ok).toBe(true);
    expect(cache.cacheKey?.keyId).toBe(station.keyId);
  });

  it('online: wrong passwords back off too, and a waiting attempt never reaches the platform', async () => {
    const a = platform.logins[1]!;
    const app = laptop('vo-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await app.auth.lock('manual');
    for (let i = 1; i <= 3; i++)
      expect(await app.auth.unlock(`wrong-online-${i}`)).toMatchObject({
        ok: false,
        error: { kind: 'bad-credentials' },
      });
    expect(await app.auth.unlock('wrong-online-4')).toMatchObject({ ok: false, error: { kind: 'wait' } });
    // The right password inside the wait is refused here, before any login request is sent.
    expect(await app.auth.unlock(a.password)).toMatchObject({ ok: false, error: { kind: 'wait' } });
    clock += 2_001;
    expect((await app.auth.unlock(a.password)).ok).toBe(true);
    const row = await vaultsRepo(new DeviceDb(deviceDbName('vo-'))).get(a.inspectorId);
    expect(row).toMatchObject({ failedAttempts: 0, lastFailureAt: null });
  });

  it('offline: wrong passwords back off, ten need an online sign-in; the right one opens', async () => {
    const a = platform.logins[0]!;
    const off = laptop('v1-', 'http://127.0.0.1:9');
    const first = await off.auth.signIn(a.certNo, 'wrong-1');
    expect(first).toMatchObject({ ok: false, error: { kind: 'bad-credentials' } });
    for (let i = 2; i <= 3; i++) expect((await off.auth.signIn(a.certNo, `wrong-${i}`)).ok).toBe(false);
    // The fourth failure costs a wait, said at once, and it holds even for the right password.
    expect(await off.auth.signIn(a.certNo, 'wrong-4')).toMatchObject({ ok: false, error: { kind: 'wait' } });
    const wait = await off.auth.signIn(a.certNo, a.password);
    expect(wait).toMatchObject({ ok: false, error: { kind: 'wait' } });
    if (!wait.ok) expect(wait.error.message).toContain('秒后再试');
    for (let i = 5; i <= 10; i++) {
      clock += 10 * 60_000;
      await off.auth.signIn(a.certNo, `wrong-${i}`);
    }
    clock += 10 * 60_000;
    const blocked = await off.auth.signIn(a.certNo, a.password);
    expect(blocked).toMatchObject({ ok: false, error: { kind: 'online-required' } });
    if (!blocked.ok) expect(blocked.error.message).toContain('联网登录');

    // Online clears it; offline then opens with the right password.
    const on = laptop('v1-');
    expect((await on.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await on.auth.lock('manual');
    expect(on.auth.state()).toMatchObject({ phase: 'locked', certNo: a.certNo });
    const offAgain = laptop('v1-', 'http://127.0.0.1:9');
    const ok = await offAgain.auth.signIn(a.certNo, a.password);
    expect(ok).toMatchObject({ ok: true, session: { offlineUnlocked: true } });
    await offAgain.auth.lock('manual');
  });

  it('locks after the idle minutes without activity, not before', async () => {
    const a = platform.logins[0]!;
    const app = laptop('v1-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    clock += 9 * 60_000;
    expect(await app.auth.checkIdle()).toBe(false);
    app.auth.activity();
    clock += 9 * 60_000;
    expect(await app.auth.checkIdle()).toBe(false);
    clock += 2 * 60_000;
    expect(await app.auth.checkIdle()).toBe(true);
    expect(app.auth.state()).toMatchObject({ phase: 'locked', reason: 'idle' });
    expect(app.auth.scope()).toBeNull();
  });

  it('the offline credential expires after the configured days without an online sign-in', async () => {
    const a = platform.logins[0]!;
    clock += 31 * 86_400_000;
    const off = laptop('v1-', 'http://127.0.0.1:9');
    const r = await off.auth.signIn(a.certNo, a.password);
    expect(r).toMatchObject({ ok: false, error: { kind: 'online-required' } });
    if (!r.ok) expect(r.error.message).toContain('30 天');
    expect((await laptop('v1-').auth.signIn(a.certNo, a.password)).ok).toBe(true);
  });

  it('a forgotten password: the online sign-in recovers the key from escrow, re-wraps it, old data opens', async () => {
    const a = platform.logins[0]!;
    const app = laptop('v3-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await app.storage.health();
    const marker = (await app.auth.scope()!.field.meta.get('marker'))?.value;
    expect(marker).toMatch(/^store-/);
    await app.auth.lock('manual');
    // The local wrap is under a password the inspector no longer knows (changed on another device).
    const repo = vaultsRepo(new DeviceDb(deviceDbName('v3-')));
    const row = (await repo.get(a.inspectorId))!;
    const rewrapped = await rewrapDataKey(
      { wrapped: row.wrapped, password: a.password, inspectorId: a.inspectorId },
      'forgotten-old',
      { params: kdfParams },
    );
    if (!rewrapped.ok) throw new Error('rewrap failed');
    await repo.put({ ...row, wrapped: rewrapped.wrapped });

    const again = laptop('v3-');
    expect((await again.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect((await again.auth.scope()!.field.meta.get('marker'))?.value).toBe(marker);
    const after = (await repo.get(a.inspectorId))!;
    expect(after.keyId).toBe(row.keyId);
    expect(after.wrapped?.kdf.salt).not.toBe(rewrapped.wrapped.kdf.salt);
    await again.auth.lock('manual');
  });

  it('two inspectors on one laptop see only their own rows, cursors and outbox', async () => {
    const [a, b] = [platform.logins[0]!, platform.logins[1]!];
    const app = laptop('v4-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await app.sync.start();
    const tasksA = await app.tasks.list();
    expect(tasksA.length).toBeGreaterThan(0);
    await app.auth.lock('manual');
    expect(() => app.tasks.list()).toThrow(/锁定/);

    expect((await app.auth.signIn(b.certNo, b.password)).ok).toBe(true);
    expect(await app.tasks.list()).toEqual([]);
    await app.sync.start();
    const tasksB = await app.tasks.list();
    expect(tasksB.length).toBeGreaterThan(0);
    const idsA = new Set(tasksA.map((t) => t.id));
    // Team tasks may be on both lists; the lists as a whole are each inspector's own.
    expect(tasksB.map((t) => t.id).sort()).not.toEqual([...idsA].sort());
    expect(await app.outbox.list()).toEqual([]);
    await app.auth.signOut('keep');

    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect((await app.tasks.list()).map((t) => t.id).sort()).toEqual([...idsA].sort());
    await app.auth.lock('manual');
  });

  it('stores nothing readable: after a round trip a raw scan of every value finds no marker', async () => {
    const a = platform.logins[0]!;
    const app = laptop('v4-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const task = (await app.tasks.list()).find((t) => t.taskStatus === 'assigned')!;
    const enterpriseName = task.enterpriseName;
    const draft = await app.inspection.openDraft(task.id);
    const signed = await signDraft(app.inspection, {
      ...draft,
      items: draft.items.map((i) => ({ ...i, outcome: 'pass' })),
      findings: '现场发现货架标签缺失FINDINGS-MARKER',
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
      followUps: ['NONE'],
    });
    expect(await app.inspection.journal.write({ ...signed, findings: '键入中JOURNAL-MARKER' }, new Date(clock))).toBe(
      true,
    );
    await app.inspection.saveDraft(signed);
    const finalized = await app.inspection.finalize(task.id);
    expect(finalized.ok).toBe(true);
    await app.outbox.pushNow();
    expect((await app.outbox.list())[0]?.state).toMatch(/^(accepted|published)$/);
    // A second draft that stays a draft, with its journal, so both are on disk at the scan.
    const other = (await app.tasks.list()).find((t) => t.taskStatus === 'assigned' && t.id !== task.id);
    if (other) {
      const d = await app.inspection.openDraft(other.id);
      await app.inspection.journal.write({ ...d, findings: '未保存JOURNAL-MARKER' }, new Date(clock));
    }
    await app.auth.lock('manual');

    const device = await rawValues(deviceDbName('v4-'));
    expect(device).not.toContain(a.certNo);
    const row = (await vaultsRepo(new DeviceDb(deviceDbName('v4-'))).get(a.inspectorId))!;
    const partition = await rawValues(partitionDbName('v4-', row.partitionId));
    expect(partition.length).toBeGreaterThan(1000);
    const markers = [a.certNo, a.name, 'refreshToken', 'FINDINGS-MARKER', 'JOURNAL-MARKER', '370000199001011234'];
    for (const marker of [...markers, enterpriseName]) expect(partition).not.toContain(marker);
    expect(device).not.toContain(enterpriseName);
  });

  it('revocation destroys the key copies and locks; data stays sealed; reinstated, escrow recovers it', async () => {
    const a = platform.logins[0]!;
    const app = laptop('v5-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const session = await app.auth.current();
    await app.sync.start();
    const tasks = (await app.tasks.list()).length;
    expect(tasks).toBeGreaterThan(0);
    const revoked = await admin(API.adminRevokeDevice(session!.deviceId));
    expect(revoked.status).toBe(200);
    await app.sync.start();
    await app.auth.settled();
    expect(app.auth.state()).toMatchObject({ phase: 'locked', reason: 'revoked' });
    const st = app.auth.state();
    if (st.phase === 'locked') expect(st.notice).toContain('设备已被停用');
    const row = (await vaultsRepo(new DeviceDb(deviceDbName('v5-'))).get(a.inspectorId))!;
    expect(row).toMatchObject({ destroyed: true, wrapped: null, stationKey: null });
    const offline = laptop('v5-', 'http://127.0.0.1:9');
    expect(await offline.auth.signIn(a.certNo, a.password)).toMatchObject({
      ok: false,
      error: { kind: 'online-required' },
    });
    expect(await app.auth.signIn(a.certNo, a.password)).toMatchObject({ ok: false, error: { kind: 'device-revoked' } });

    expect((await admin(API.adminReinstateDevice(session!.deviceId))).status).toBe(200);
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect((await vaultsRepo(new DeviceDb(deviceDbName('v5-'))).get(a.inspectorId))?.destroyed).toBe(false);
    expect((await app.tasks.list()).length).toBe(tasks);
  });

  it('a device revoked while the laptop was away: the next online sign-in destroys the copies it kept', async () => {
    const a = platform.logins[2]!;
    const app = laptop('v7-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const session = await app.auth.current();
    await app.auth.lock('manual');
    const vaults = vaultsRepo(new DeviceDb(deviceDbName('v7-')));
    expect((await vaults.get(a.inspectorId))?.wrapped).not.toBeNull();
    expect((await admin(API.adminRevokeDevice(session!.deviceId))).status).toBe(200);
    // Nothing ran on this laptop while it was revoked: the login's own answer is the first it hears.
    expect(await app.auth.signIn(a.certNo, a.password)).toMatchObject({ ok: false, error: { kind: 'device-revoked' } });
    expect(await vaults.get(a.inspectorId)).toMatchObject({ destroyed: true, wrapped: null, stationKey: null });
    const offline = laptop('v7-', 'http://127.0.0.1:9');
    expect(await offline.auth.signIn(a.certNo, a.password)).toMatchObject({
      ok: false,
      error: { kind: 'online-required' },
    });
    expect((await admin(API.adminReinstateDevice(session!.deviceId))).status).toBe(200);
  });

  it('offline: the right password clears the count, so earlier wrong ones cost no wait later', async () => {
    const a = platform.logins[2]!;
    expect((await laptop('v8-').auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const off = laptop('v8-', 'http://127.0.0.1:9');
    for (let i = 1; i <= 3; i++)
      expect(await off.auth.signIn(a.certNo, `wrong-${i}`)).toMatchObject({
        ok: false,
        error: { kind: 'bad-credentials' },
      });
    expect(await off.auth.signIn(a.certNo, a.password)).toMatchObject({ ok: true, session: { offlineUnlocked: true } });
    const vaults = vaultsRepo(new DeviceDb(deviceDbName('v8-')));
    expect(await vaults.get(a.inspectorId)).toMatchObject({ failedAttempts: 0, lastFailureAt: null });
    await off.auth.lock('manual');
    // A fourth wrong password in a row would wait; after the reset it is the first.
    expect(await off.auth.signIn(a.certNo, 'wrong-4')).toMatchObject({ ok: false, error: { kind: 'bad-credentials' } });
  });

  it('sign-out with removal is refused while results are unsent, and removes everything when allowed', async () => {
    const a = platform.logins[2]!;
    const app = laptop('v6-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await app.sync.start();
    const task = (await app.tasks.list()).find((t) => t.taskStatus === 'assigned')!;
    const resultId = await finalizePassing(app, task.id);
    const row = (await vaultsRepo(new DeviceDb(deviceDbName('v6-'))).get(a.inspectorId))!;

    const refused = await app.auth.signOut('remove');
    expect(refused).toMatchObject({
      ok: false,
      error: { kind: 'unsent', unsent: [{ resultId, enterpriseName: task.enterpriseName }] },
    });
    expect(app.auth.state().phase).toBe('unlocked');
    expect(await Dexie.exists(partitionDbName('v6-', row.partitionId))).toBe(true);

    await app.outbox.pushNow();
    expect(await app.auth.unsent()).toEqual([]);
    expect(await app.auth.signOut('remove')).toEqual({ ok: true });
    expect(app.auth.state().phase).toBe('signed-out');
    expect(await Dexie.exists(partitionDbName('v6-', row.partitionId))).toBe(false);
    expect(await vaultsRepo(new DeviceDb(deviceDbName('v6-'))).get(a.inspectorId)).toBeNull();
  });

  it('adopts a legacy clear database for the inspector named in it, and only for them', async () => {
    const [a, b] = [platform.logins[0]!, platform.logins[1]!];
    const legacy = new FieldDb(legacyFieldDbName('v7-'));
    await legacy.session.put({
      key: 'current',
      certNo: a.certNo,
      inspector: { id: a.inspectorId, name: a.name } as never,
      platformUrl: platform.url,
      tokens: null,
      offlineUnlocked: false,
      signedInAt: 'x',
    });
    await legacy.drafts.put({ taskId: 'legacy-task', resultId: 'r-legacy', findings: 'LEGACY-FINDINGS' } as never);
    await legacy.meta.put({ key: 'deviceSeq', value: 41 });
    legacy.close();

    const app = laptop('v7-');
    expect((await app.auth.signIn(b.certNo, b.password)).ok).toBe(true);
    expect(await Dexie.exists(legacyFieldDbName('v7-'))).toBe(true);
    expect(await app.auth.scope()!.field.drafts.get('legacy-task')).toBeUndefined();
    await app.auth.signOut('keep');

    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect(await Dexie.exists(legacyFieldDbName('v7-'))).toBe(false);
    const field = app.auth.scope()!.field;
    expect(await field.drafts.get('legacy-task')).toMatchObject({ resultId: 'r-legacy' });
    expect((await field.meta.get('deviceSeq'))?.value).toBe(41);
    const row = (await vaultsRepo(new DeviceDb(deviceDbName('v7-'))).get(a.inspectorId))!;
    await app.auth.lock('manual');
    expect(await rawValues(partitionDbName('v7-', row.partitionId))).not.toContain('LEGACY-FINDINGS');
  });

  it('a lock waits for a journal write in flight before the key is dropped', async () => {
    const a = platform.logins[0]!;
    const app = laptop('v8-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    await app.sync.start();
    const task = (await app.tasks.list())[0]!;
    const draft = await app.inspection.openDraft(task.id);
    // Two writes: the second queues behind the first's commit, so it has not started when the lock comes.
    const earlier = app.inspection.journal.write({ ...draft, findings: '锁定前倒数第二笔' }, new Date(clock));
    // Let the first write start its transaction; the next one then waits behind its commit.
    for (let i = 0; i < 3; i++) await Promise.resolve();
    const writing = app.inspection.journal.write({ ...draft, findings: '锁定前最后一笔' }, new Date(clock + 1));
    await app.auth.lock('manual');
    expect(await earlier).toBe(true);
    expect(await writing).toBe(true);
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    expect((await app.inspection.journal.read(draft))?.findings).toBe('锁定前最后一笔');
  });

  it('Electron: the wrap lives in main (OS-bound) and is read back from there; bound:false keeps it here too; revocation forgets it', async () => {
    const a = platform.logins[0]!;
    for (const bound of [true, false]) {
      const held = new Map<string, string>();
      const forgotten: string[] = [];
      const binding = {
        store: async (id: string, w: string) => (held.set(id, w), { bound }),
        read: async (id: string) => ({ wrappedKey: held.get(id) ?? null, bound }),
        forget: async (id: string) => void (held.delete(id), forgotten.push(id)),
      };
      const prefix = `v9-${bound}-`;
      const make = (url: string) => {
        const app = createAppServices({
          prefix,
          cache: new CacheDb(`${prefix}cache`),
          adapter: testAdapter(url),
          binding,
          network: manualNetwork(true),
          now: () => new Date(clock),
          kdfParams,
        });
        opened.push(app);
        return app;
      };
      const app = make(platform.url);
      expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
      const row = (await vaultsRepo(new DeviceDb(deviceDbName(prefix))).get(a.inspectorId))!;
      expect(held.has(a.inspectorId)).toBe(true);
      expect(row.wrapped === null).toBe(bound);
      expect(await app.auth.keyProtection()).toBe(bound ? 'os-account' : 'password-only');
      await app.auth.lock('os');
      expect(await app.auth.keyProtection()).toBeNull();
      const off = make('http://127.0.0.1:9');
      expect(await off.auth.signIn(a.certNo, a.password)).toMatchObject({ ok: true });
      await off.auth.lock('manual');
      if (bound) {
        // Without main's copy there is nothing to unwrap offline.
        held.clear();
        expect((await make('http://127.0.0.1:9').auth.signIn(a.certNo, a.password)).ok).toBe(false);
      }
      const online = make(platform.url);
      expect((await online.auth.signIn(a.certNo, a.password)).ok).toBe(true);
      const session = await online.auth.current();
      await admin(API.adminRevokeDevice(session!.deviceId));
      await online.sync.start();
      await online.auth.settled();
      expect(forgotten).toEqual([a.inspectorId]);
      await admin(API.adminReinstateDevice(session!.deviceId));
    }
  });
});
