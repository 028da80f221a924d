/**
 * The app's transparency-log checks against the real simulator: receipts verify against the pinned
 * demo key and the outbox says so; a platform that reorders or drops a log entry is caught by the
 * consistency check (平台记录被改写) and this inspector's uploads stop with nothing lost; a platform
 * signing with another key than the pinned one never gets a result called safe (平台日志校验失败).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { resultsRepo } from '../../renderer/src/db/index.js';
import type { PlatformOptions } from '../platform/server.js';
import { finalizePassing, signedInLaptop, type Services, type SignedInLaptop } from './simulator-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp(opts: Partial<PlatformOptions> = {}): Promise<SignedInLaptop> {
  const laptop = await signedInLaptop({ dirPrefix: 'tlog-', minTasks: 3, platform: opts });
  cleanups.push(laptop.dispose);
  return laptop;
}

const finalize = finalizePassing;

const byResult = async (s: Services) => new Map((await s.outbox.list()).map((e) => [e.resultId, e]));

describe('transparency log, app side', () => {
  it('a receipt that verifies makes the result safe and the outbox names its log entry', async () => {
    const { s, dbs, tasks } = await setUp();
    const id = await finalize(s, tasks[0]!);
    await s.outbox.pushNow();
    const entry = (await byResult(s)).get(id)!;
    expect(entry.state).toMatch(/^(accepted|published)$/);
    expect(entry.logIndex).toBe(0);
    expect(await dbs.field.logCheckpoints.count()).toBe(1);
    expect(await s.outbox.logAlarm()).toBeNull();
  });

  for (const kind of ['reorder', 'drop'] as const) {
    it(`a platform that ${kind}s a log entry is caught, and uploads stop with nothing lost`, async () => {
      const { platform, s, dbs, tasks } = await setUp();
      const first = await finalize(s, tasks[0]!);
      const second = await finalize(s, tasks[1]!);
      await s.outbox.pushNow();
      const before = await byResult(s);
      expect([before.get(first)?.logIndex, before.get(second)?.logIndex]).toEqual([0, 1]);

      platform.rewriteLog(kind, 0);
      const third = await finalize(s, tasks[2]!);
      await s.outbox.pushNow();

      const alarm = await s.outbox.logAlarm();
      expect(alarm).toMatch(/^平台记录被改写：/);
      const after = await byResult(s);
      // The result sent to the rewritten log is not called safe; it stays here, paused.
      expect(after.get(third)).toMatchObject({ state: 'paused', logIndex: null });
      expect(after.get(third)?.lastError).toMatch(/平台记录被改写/);
      expect((await resultsRepo(dbs.field).get(third))?.contentHash).toMatch(/^[0-9a-f]{64}$/);
      // Later drains send nothing more for this inspector.
      await s.outbox.pushNow();
      expect((await byResult(s)).get(third)?.state).toBe('paused');
    });
  }

  it('a platform signing with a key other than the pinned one never gets a result called safe', async () => {
    const { platform, s, dbs, tasks } = await setUp({ logKeySeed: '22'.repeat(32) });
    expect(platform.logKey).not.toContain('a317ca02');
    const id = await finalize(s, tasks[0]!);
    const next = await finalize(s, tasks[1]!);
    await s.outbox.pushNow();
    const entry = (await byResult(s)).get(id)!;
    expect(entry.state).toBe('paused');
    expect(entry.logIndex).toBeNull();
    expect(entry.lastError).toBe('平台日志校验失败：平台回执签名无法用本机固定的平台公钥验证，回执不可信');
    // This inspector's uploads stop, and the ones held back say why.
    expect((await byResult(s)).get(next)).toMatchObject({ state: 'paused', lastError: entry.lastError });
    expect(await dbs.field.logCheckpoints.count()).toBe(0);
    expect((await resultsRepo(dbs.field).get(id))?.receipt).toBeNull();
  });
});
