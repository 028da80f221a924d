/**
 * The device key through the vault, against the real simulator (Node, fake-indexeddb): made at the
 * inspector's first sign-in here and registered with the platform; at rest only inside the sealed
 * partition; in memory a non-extractable key that the lock drops and the next unlock imports again
 * (the same key, never a new one). When registration fails at sign-in (the network went away),
 * the first upload registers it, and the result is accepted once.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import { Dexie } from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheDb, DeviceDb, deviceDbName, partitionDbName, vaultsRepo } from '../../renderer/src/db/index.js';
import { createAppServices, type AppServices } from '../../renderer/src/services/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { testAdapter } from '../../renderer/src/testing/builders.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';
import { finalizePassing } from './simulator-kit.js';

let platform: StartedPlatform;
let dataDir: string;
const opened: AppServices[] = [];
const registrations: number[] = [];

function laptop(prefix: string, refuseRegistration = false): AppServices {
  const app = createAppServices({
    prefix,
    cache: new CacheDb(`${prefix}cache`),
    adapter: testAdapter(platform.url),
    binding: null,
    network: manualNetwork(true),
    kdfParams: { N: 2 ** 10, r: 8, p: 1 },
    fetch: async (input, init) => {
      if (new URL(String(input)).pathname === '/v1/devices/keys') {
        if (refuseRegistration) {
          refuseRegistration = false;
          throw new TypeError('fetch failed (network gone)');
        }
        const res = await fetch(input, init);
        registrations.push(res.status);
        return res;
      }
      return fetch(input, init);
    },
  });
  opened.push(app);
  return app;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'devkey-'));
  platform = await startPlatform({ dataDir, seed: 11, enterprises: 40, port: 0 });
});
afterAll(async () => {
  for (const a of opened) await a.auth.close();
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function rawRows(dbName: string, table: string): Promise<unknown[]> {
  const db = new Dexie(dbName);
  await db.open();
  const rows = await db.table(table).toArray();
  db.close();
  return rows;
}

describe('the device key through sign-in, lock and upload', () => {
  it('is made and registered at the first sign-in, sealed at rest, non-extractable in memory, the same after a lock', async () => {
    const a = platform.logins[0]!;
    const app = laptop('dk1-');
    expect((await app.auth.signIn(a.certNo, a.password)).ok).toBe(true);
    const rt = app.auth.scope()!.services.internals.runtime;
    // The sign-in starts the registration without waiting for it; this joins the same request.
    await rt.deviceKey.registered(false);
    const key = await rt.deviceKey.ensure();
    expect((key.handle as webcrypto.CryptoKey).extractable).toBe(false);
    await expect(webcrypto.subtle.exportKey('pkcs8', key.handle as webcrypto.CryptoKey)).rejects.toThrow();
    const stored = await rt.repos.deviceKeys.current();
    expect(stored?.keyId).toMatch(/^dk-/);
    expect(registrations).toEqual([201]);

    const row = (await vaultsRepo(new DeviceDb(deviceDbName('dk1-'))).get(a.inspectorId))!;
    const raw = await rawRows(partitionDbName('dk1-', row.partitionId), 'deviceKeys');
    // At rest: the primary key and the sealed value, nothing else (no PKCS8, no public key in clear).
    expect(raw).toHaveLength(1);
    expect(Object.keys(raw[0] as object).sort()).toEqual(['$s', 'id']);
    expect(JSON.stringify(raw[0])).not.toContain(stored!.publicKey);

    await app.auth.lock('manual');
    expect(app.auth.scope()).toBeNull();
    expect((await app.auth.unlock(a.password)).ok).toBe(true);
    const again = app.auth.scope()!.services.internals.runtime;
    expect((await again.repos.deviceKeys.current())?.publicKey).toBe(stored!.publicKey);
    expect((await again.deviceKey.ensure()).handle).not.toBe(key.handle); // imported again, not kept across the lock
    expect(registrations).toEqual([201]); // already registered: the online unlock asks nothing more
    await app.auth.lock('manual');
  });

  it('registration lost at the first sign-in: the first upload registers the key, then the result is accepted once', async () => {
    const b = platform.logins[1]!;
    registrations.length = 0;
    const app = laptop('dk2-', true);
    expect((await app.auth.signIn(b.certNo, b.password)).ok).toBe(true);
    const rt = app.auth.scope()!.services.internals.runtime;
    // The sign-in's registration attempt (joined here) fails: the key stays unregistered.
    await rt.deviceKey.registered(false);
    expect((await rt.repos.deviceKeys.current())?.keyId).toBeNull();
    expect(registrations).toEqual([]);

    await app.sync.start();
    const task = (await app.tasks.list()).find((t) => t.taskStatus === 'assigned')!;
    const resultId = await finalizePassing(app, task.id);
    expect((await rt.repos.checkpoints.get(resultId))?.signature).toMatch(/^[A-Za-z0-9_-]{86}$/);
    await app.outbox.pushNow();
    expect(registrations).toEqual([201]);
    expect((await rt.repos.deviceKeys.current())?.keyId).toMatch(/^dk-/);
    expect((await app.outbox.list())[0]?.state).toMatch(/^(accepted|published)$/);
    expect(platform.admin.counts(resultId).results).toBe(1);
    await app.auth.lock('manual');
  });
});
