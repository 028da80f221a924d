/**
 * A station bundle from the real simulator imported by the renderer's services (Node, fake-indexeddb):
 * a bundle cut short, altered, signed by someone else, sealed for another station, or imported twice is
 * refused with its zh-CN reason and changes nothing; a good one leaves the device as a sync would —
 * tasks, credit files (searchable), number blocks, and the cursors — so the next network sync asks
 * only for what came after them.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateSigningKeyPair,
  exportPublicKey,
  sealBundleToBytes,
  stationRecipientKeys,
  type StationInfo,
} from '../../shared/bundle/index.js';
import { API, StationCacheKeyResponseSchema, TaskFeedPageSchema } from '../../shared/protocol/index.js';
import { closeDatabases, openDatabases, syncStateRepo, type Databases } from '../../renderer/src/db/index.js';
import type { CreatedServices } from '../../renderer/src/services/index.js';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import { fromBase64Url } from '../../renderer/src/vault/index.js';
import { parseVerifierKey } from '../../shared/transparency/signed-note.js';
import { startPlatform, type DemoLogin, type StartedPlatform } from '../platform/server.js';
import { authed, login } from '../platform/testkit.js';

let platform: StartedPlatform;
let dataDir: string;
let me: DemoLogin;
let stationKey: { keyId: string; key: Uint8Array };
const opened: Databases[] = [];
let counter = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'station-bundle-'));
  platform = await startPlatform({ dataDir, seed: 7, enterprises: 250, port: 0, snapshotMemberLines: 60 });
  me = platform.logins[0]!;
  const { accessToken } = await login(platform.url, me.certNo, 'demo1234', 'dev-probe');
  const key = StationCacheKeyResponseSchema.parse(
    await (await authed(platform.url, accessToken)(API.stationCacheKey)).json(),
  );
  stationKey = { keyId: key.keyId, key: fromBase64Url(key.key)! };
});
afterAll(async () => {
  for (const dbs of opened) {
    closeDatabases(dbs);
    await dbs.field.delete();
    await dbs.cache.delete();
  }
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A signed-in inspector on a fresh profile that has never synced (the station key from the sign-in). */
async function freshProfile(fetchLog: URL[] = []): Promise<{ s: CreatedServices; dbs: Databases }> {
  counter += 1;
  const dbs = { ...openDatabases(`sb${counter}-`, { cacheKey: stationKey }), prefix: `sb${counter}-` };
  opened.push(dbs);
  const s = testServices(dbs, {
    adapter: testAdapter(platform.url),
    network: manualNetwork(true),
    now: () => new Date(),
    fetch: (input, init) => {
      fetchLog.push(new URL(input instanceof Request ? input.url : String(input)));
      return fetch(input, init);
    },
  });
  const signedIn = await s.auth.signIn(me.certNo, me.password);
  if (!signedIn.ok) throw new Error('sign-in failed');
  return { s, dbs };
}

async function bundleFor(inspectorIds: string[]): Promise<{ bytes: Uint8Array; info: StationInfo }> {
  const built = await platform.stationBundle({ inspectorIds });
  const parts: Uint8Array[] = [];
  for await (const p of built.bytes) parts.push(p);
  return { bytes: new Uint8Array(Buffer.concat(parts)), info: built.info };
}

/** The name the platform signs bundles under: its log's origin, from the pinned verifier key. */
function platformName(): string {
  const v = parseVerifierKey(platform.logKey);
  if (!v.ok) throw new Error(v.error.message);
  return v.value.name;
}

const blob = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]);

/** What an import may change, to show that a refused one changed none of it. */
async function state(s: CreatedServices, dbs: Databases) {
  return {
    tasks: (await s.tasks.list()).length,
    enterprises: await s.enterprises.count(),
    taskCursor: (await syncStateRepo(dbs.field.syncState).get('tasks')).cursor,
    blocks: await dbs.field.docBlocks.count(),
    reference: await dbs.cache.reference.count(),
  };
}

describe('station bundle import', () => {
  it('refuses a bundle cut short, altered, signed by another key or sealed for another station, changing nothing', async () => {
    const { s, dbs } = await freshProfile();
    const empty = await state(s, dbs);
    const { bytes } = await bundleFor([me.inspectorId]);

    const cut = await s.stationBundle.importFile(blob(bytes.subarray(0, bytes.length - 1000)));
    expect(cut).toEqual({ ok: false, error: { kind: 'truncated', message: '无法导入：文件不完整（已截断）' } });

    const flipped = bytes.slice();
    flipped[Math.floor(flipped.length / 2)]! ^= 0x01;
    expect(await s.stationBundle.importFile(blob(flipped))).toEqual({
      ok: false,
      error: { kind: 'tampered', message: '无法导入：文件已被改动' },
    });

    // Someone else's key under the platform's name, sealed for this very station.
    const forger = await generateSigningKeyPair();
    const recipient = await stationRecipientKeys(stationKey.key, stationKey.keyId);
    const forged = await sealBundleToBytes([{ name: 'station.json', data: new Uint8Array(2) }], {
      kind: 'station',
      senderId: platformName(),
      signingKey: forger.privateKey,
      senderPublicKey: await exportPublicKey(forger.publicKey),
      recipientPublicKey: recipient.publicKey,
    });
    const foreign = await s.stationBundle.importFile(blob(forged));
    expect(foreign).toMatchObject({
      ok: false,
      error: { kind: 'untrusted-sender', message: '无法导入：数据包不是由本平台签发的' },
    });

    // A bundle for another station: this laptop's station key does not open it.
    const otherKey = { keyId: 'sck-other', key: new Uint8Array(32).fill(9) };
    const other = await stationRecipientKeys(otherKey.key, otherKey.keyId);
    const elsewhere = await s.stationBundle.importFile(
      blob(
        await sealBundleToBytes([{ name: 'station.json', data: new Uint8Array(2) }], {
          kind: 'station',
          senderId: platformName(),
          signingKey: forger.privateKey,
          senderPublicKey: await exportPublicKey(forger.publicKey),
          recipientPublicKey: other.publicKey,
        }),
      ),
    );
    expect(elsewhere).toMatchObject({ ok: false, error: { kind: 'wrong-recipient' } });
    if (!elsewhere.ok) expect(elsewhere.error.message).toContain('不是发给本所的');

    expect(await state(s, dbs)).toEqual(empty);
    expect(empty).toMatchObject({ tasks: 0, enterprises: 0, taskCursor: '0', blocks: 0 });
  });

  it('imports as if synced, refuses the same file again, and the next sync continues with the delta', async () => {
    const requests: URL[] = [];
    const { s, dbs } = await freshProfile(requests);
    const { bytes, info } = await bundleFor([me.inspectorId]);
    const steps = new Set<string>();
    const result = await s.stationBundle.importFile(blob(bytes), { onProgress: (p) => steps.add(p.step) });
    if (!result.ok) throw new Error(result.error.message);
    expect([...steps]).toEqual(['reading', 'tasks', 'enterprises', 'done']);
    expect(result.summary).toMatchObject({ enterprises: info.enterprises.records, skipped: [] });
    expect(result.summary.numberBlocks).toBeGreaterThan(0);

    // Tasks: what the task feed serves this inspector, and its cursor.
    const { accessToken } = await login(platform.url, me.certNo, 'demo1234', 'dev-probe');
    const feed = TaskFeedPageSchema.parse(
      await (await authed(platform.url, accessToken)(`${API.tasks}?cursor=0&limit=1000`)).json(),
    );
    expect((await s.tasks.list()).map((t) => t.id).sort()).toEqual(
      feed.changes.map((c) => c.kind === 'upsert' && c.task.id).sort(),
    );
    expect((await syncStateRepo(dbs.field.syncState).get('tasks')).cursor).toBe(feed.nextCursor);

    // Credit files: all of them, searchable, under the snapshot's cursor.
    expect(await s.enterprises.count()).toBe(info.enterprises.records);
    const task = (await s.tasks.list())[0]!;
    const hit = await s.enterprises.search(task.enterpriseName.slice(0, 4));
    expect(hit.hits.map((h) => h.uscc)).toContain(task.enterpriseUscc);
    expect((await syncStateRepo(dbs.cache.syncState).get('enterprises')).cursor).toBe(info.enterprises.cursor);
    expect(await s.reference.get()).not.toBeNull();

    // The same file again is a replay, and changes nothing.
    const before = await state(s, dbs);
    expect(await s.stationBundle.importFile(blob(bytes))).toEqual({
      ok: false,
      error: { kind: 'replayed', message: '无法导入：该文件已导入过（重复）' },
    });
    expect(await state(s, dbs)).toEqual(before);

    // Network: the sync starts at the imported cursors; the credit-file feed answers an empty delta.
    requests.length = 0;
    await s.sync.start();
    expect(s.sync.progress().phase).toBe('done');
    const asked = (path: string) =>
      requests.filter((u) => u.pathname === path).map((u) => u.searchParams.get('cursor'));
    expect(asked(API.tasks)).toEqual([feed.nextCursor]);
    expect(asked(API.enterprises)).toEqual([info.enterprises.cursor]);
    expect(requests.some((u) => u.pathname.startsWith(`${API.enterprises}/snapshot`))).toBe(false);
    expect(await s.enterprises.count()).toBe(info.enterprises.records);
  });

  it('a sync started while an import writes the credit files waits: no request, and it says why', async () => {
    const requests: URL[] = [];
    const { s } = await freshProfile(requests);
    const { bytes, info } = await bundleFor([me.inspectorId]);
    const pulls = () => requests.filter((u) => u.pathname.startsWith('/v1/sync/') || u.pathname === API.reference);
    let during: Promise<void> | null = null;
    const done = await s.stationBundle.importFile(blob(bytes), {
      onProgress: (p) => {
        if (p.step === 'enterprises' && !during) during = s.sync.start();
      },
    });
    expect(done.ok).toBe(true);
    expect(during).not.toBeNull();
    await during;
    expect(pulls()).toEqual([]);
    expect(s.sync.progress()).toMatchObject({ phase: 'error', message: '正在导入站点数据包，导入完成后再同步' });

    // Once the import is done the same button syncs, from the imported cursors.
    await s.sync.start();
    expect(s.sync.progress().phase).toBe('done');
    expect(pulls().length).toBeGreaterThan(0);
    expect(await s.enterprises.count()).toBe(info.enterprises.records);
  });

  it('cancelled while verifying writes nothing; cancelled in the credit files resumes from the last page written', async () => {
    const { s, dbs } = await freshProfile();
    const { bytes, info } = await bundleFor([me.inspectorId]);
    expect(info.enterprises.members.length).toBeGreaterThan(2);

    const early = new AbortController();
    const first = await s.stationBundle.importFile(blob(bytes), {
      signal: early.signal,
      onProgress: (p) => {
        if (p.step === 'reading') early.abort();
      },
    });
    expect(first).toEqual({ ok: false, error: { kind: 'cancelled', message: '已取消导入，未写入任何数据' } });
    expect(await state(s, dbs)).toMatchObject({ tasks: 0, enterprises: 0, taskCursor: '0', blocks: 0 });

    const late = new AbortController();
    const second = await s.stationBundle.importFile(blob(bytes), {
      signal: late.signal,
      onProgress: (p) => {
        if (p.step === 'enterprises' && p.done > 0) late.abort();
      },
    });
    expect(second).toMatchObject({ ok: false, error: { kind: 'cancelled' } });
    const partial = await s.enterprises.count();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(info.enterprises.records);
    const cursor = (await syncStateRepo(dbs.cache.syncState).get('enterprises')).cursor;
    expect(info.enterprises.members.map((m) => m.cursor)).toContain(cursor);

    // Not recorded as imported: the same file again continues after the last member written.
    const third = await s.stationBundle.importFile(blob(bytes));
    if (!third.ok) throw new Error(third.error.message);
    expect(third.summary.enterprises).toBe(info.enterprises.records - partial);
    expect(await s.enterprises.count()).toBe(info.enterprises.records);
    expect((await syncStateRepo(dbs.cache.syncState).get('enterprises')).cursor).toBe(info.enterprises.cursor);
  });
});
