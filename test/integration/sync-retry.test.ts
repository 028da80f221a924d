/**
 * A sync the link broke continues by itself: against the real simulator, with the link cut by the
 * test's fetch (the platform never sees those requests), the sync service tries again after its
 * waits, or at once when the network comes back, and ends complete without the inspector pressing
 * anything; it stops after its last wait with a message that says so, and a cancel ends the waiting.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { manualNetwork } from '../../renderer/src/services/network/network.service.js';
import { disposeDatabases, freshDatabases, testAdapter, testServices } from '../../renderer/src/testing/builders.js';
import { startPlatform, type StartedPlatform } from '../platform/server.js';

let platform: StartedPlatform;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sync-retry-'));
  platform = await startPlatform({ dataDir, seed: 7, enterprises: 120, port: 0 });
});
afterAll(async () => {
  await platform.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The pull's own requests (reference, tasks, credit files), not the sign-in's key registration. */
const PULL = /\/v1\/(sync|reference)\b/;

/** A link the test cuts and mends; requests while cut fail as a dropped connection does. */
function cuttableLink() {
  const link = {
    up: true,
    /** Pull requests tried, through the link or not. */
    tried: 0,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = input instanceof Request ? input.url : String(input);
      // A request made with an already aborted signal never leaves (a cancelled prefetch).
      if (init?.signal?.aborted) return fetch(input, init);
      if (PULL.test(new URL(url).pathname)) link.tried += 1;
      if (!link.up) return Promise.reject(new TypeError('Failed to fetch'));
      return fetch(input, init);
    }) as typeof fetch,
  };
  return link;
}

async function signedIn(delays: readonly number[], online = true) {
  const dbs = freshDatabases();
  const link = cuttableLink();
  const network = manualNetwork(online);
  const s = testServices(dbs, {
    adapter: testAdapter(platform.url),
    network,
    fetch: link.fetch,
    now: () => new Date(),
    syncRetryDelaysMs: delays,
  });
  const who = platform.logins[0]!;
  network.set(true);
  expect((await s.auth.signIn(who.certNo, who.password)).ok).toBe(true);
  network.set(online);
  return { s, link, network, dispose: () => disposeDatabases(dbs) };
}

describe('a sync the link broke', () => {
  it('continues by itself after the wait and ends complete', async () => {
    const { s, link, dispose } = await signedIn([40, 40, 40]);
    try {
      link.up = false;
      await s.sync.start();
      expect(s.sync.progress().phase).toBe('error');
      expect(s.sync.progress().message).toMatch(/秒后自动继续/);
      expect(s.sync.progress().retrying).toBe(true);
      link.up = true;
      await vi.waitFor(() => expect(s.sync.progress().phase).toBe('done'), { timeout: 20_000, interval: 20 });
      expect(await s.enterprises.count()).toBeGreaterThan(0);
      expect((await s.tasks.list()).length).toBeGreaterThan(0);
    } finally {
      await dispose();
    }
  });

  it('offline, waits for the network and not for a timer; back online, it continues at once', async () => {
    const { s, link, network, dispose } = await signedIn([10], false);
    try {
      link.up = false;
      await s.sync.start();
      expect(s.sync.progress().message).toMatch(/网络恢复后自动继续/);
      const tried = link.tried;
      await new Promise((r) => setTimeout(r, 150)); // many times the 10 ms wait
      expect(link.tried).toBe(tried);
      link.up = true;
      network.set(true);
      await vi.waitFor(() => expect(s.sync.progress().phase).toBe('done'), { timeout: 20_000, interval: 20 });
    } finally {
      await dispose();
    }
  });

  it('gives up after its last wait and says so; nothing more is tried', async () => {
    const { s, link, dispose } = await signedIn([10, 10]);
    try {
      link.up = false;
      await s.sync.start();
      await vi.waitFor(() => expect(s.sync.progress().message).toMatch(/已自动重试 2 次/), {
        timeout: 10_000,
        interval: 10,
      });
      const tried = link.tried;
      await new Promise((r) => setTimeout(r, 150));
      expect(link.tried).toBe(tried);
      expect(s.sync.progress()).toMatchObject({ phase: 'error', retrying: false });
    } finally {
      await dispose();
    }
  });

  it('a cancel ends the waiting: the sync does not come back on its own', async () => {
    const { s, link, dispose } = await signedIn([30]);
    try {
      link.up = false;
      await s.sync.start();
      expect(s.sync.progress().message).toMatch(/秒后自动继续/);
      s.sync.cancel();
      link.up = true;
      const tried = link.tried;
      await new Promise((r) => setTimeout(r, 200));
      expect(link.tried).toBe(tried);
      expect(s.sync.progress().phase).not.toBe('done');
    } finally {
      await dispose();
    }
  });
});
