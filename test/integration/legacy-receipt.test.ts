/**
 * Receipts stored before the platform kept its transparency log (no log proof, no signature),
 * against the real simulator behind a proxy that can answer receipts the way a platform that has
 * not logged them yet would. Such a result stays accepted under the older rule (the receipt names it
 * with the same content hash), is labelled 未入公开日志, and the app asks again at every poll until a
 * logged receipt verifies; one an earlier version paused for the missing proof is accepted again
 * without a second upload entry. A receipt that names another content hash pauses the result. A NEW
 * upload answered without a log proof is never called safe (no downgrade).
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../shared/protocol/index.js';
import { auditRepo, type FieldDb } from '../../renderer/src/db/index.js';
import { finalizePassing, signedInLaptop, type Services } from './simulator-kit.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** How the proxy answers receipts: as the platform does, or without the log (and one with another hash). */
const proxy = { unlogged: false, wrongHashFor: null as string | null };

const RECEIPT_PATH = /\/v1\/results\/([^/?]+)(\/receipt)?(\?.*)?$/;

const proxied: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const match = RECEIPT_PATH.exec(url);
  if (!proxy.unlogged || !match || !res.ok || !(res.headers.get('content-type') ?? '').includes('json')) return res;
  const body = (await res.json()) as Receipt;
  const { log: _log, signature: _signature, ...rest } = body;
  const answer = proxy.wrongHashFor === body.resultId ? { ...rest, contentHash: 'e'.repeat(64) } : rest;
  const headers = new Headers(res.headers);
  headers.delete('etag');
  headers.delete('content-length');
  return new Response(JSON.stringify(answer), { status: res.status, headers });
};

async function setUp() {
  const laptop = await signedInLaptop({ dirPrefix: 'legacy-receipt-', minTasks: 4, fetch: proxied });
  cleanups.push(async () => {
    proxy.unlogged = false;
    proxy.wrongHashFor = null;
    await laptop.dispose();
  });
  return laptop;
}

const finalize = finalizePassing;

/** Rewrites a stored receipt the way a version before the log stored it: no log proof, no signature. */
async function makeLegacy(db: FieldDb, resultId: string, paused: boolean): Promise<void> {
  const op = (await db.outbox.where('resultId').equals(resultId).first())!;
  const { log: _log, signature: _signature, ...legacy } = op.receipt!;
  await db.outbox.update(op.opId, {
    receipt: legacy,
    ...(paused
      ? {
          state: 'paused' as const,
          lastError: '平台日志校验失败：平台回执缺少签名或日志证明，无法确认平台已如实记录',
          advice: '上传已暂停',
        }
      : {}),
  });
  await db.results.update(resultId, { receipt: legacy });
}

const entryOf = async (s: Services, resultId: string) => (await s.outbox.list()).find((e) => e.resultId === resultId)!;
const uploadEntries = async (db: FieldDb, resultId: string) =>
  (await auditRepo(db).list()).filter((e) => e.kind === 'result.uploaded' && e.subjectId === resultId).length;

describe('receipts stored before the transparency log', () => {
  it('stay accepted as 未入公开日志 and are asked for again until a logged receipt verifies; new uploads never skip the proof', async () => {
    const { s, dbs, tasks } = await setUp();
    const [kept, wasPaused, wrong] = [
      await finalize(s, tasks[0]!),
      await finalize(s, tasks[1]!),
      await finalize(s, tasks[2]!),
    ];
    await s.outbox.pushNow();
    for (const id of [kept, wasPaused, wrong]) expect((await entryOf(s, id)).logIndex).not.toBeNull();
    await makeLegacy(dbs.field, kept, false);
    await makeLegacy(dbs.field, wasPaused, true);
    await makeLegacy(dbs.field, wrong, false);
    expect(await uploadEntries(dbs.field, wasPaused)).toBe(1);

    // The platform has not logged them (its receipts carry no proof); one names another content hash.
    proxy.unlogged = true;
    proxy.wrongHashFor = wrong;
    await s.outbox.pushNow();
    for (const id of [kept, wasPaused]) {
      const e = await entryOf(s, id);
      expect(e.state).toMatch(/^(accepted|published)$/);
      expect(e).toMatchObject({ unlogged: true, logIndex: null, lastError: null });
    }
    expect(await uploadEntries(dbs.field, wasPaused)).toBe(1); // accepted again, not uploaded again
    expect(await entryOf(s, wrong)).toMatchObject({
      state: 'paused',
      lastError: expect.stringContaining('内容哈希不同'),
    });

    // A new result answered without a log proof is not called safe: the older rule is for stored receipts only.
    const fresh = await finalize(s, tasks[3]!);
    await s.outbox.pushNow();
    expect(await entryOf(s, fresh)).toMatchObject({ state: 'paused', logIndex: null });
    expect((await entryOf(s, fresh)).lastError).toContain('平台日志校验失败');

    // The platform logs them: the next poll verifies the logged receipt and the label goes.
    proxy.unlogged = false;
    await s.outbox.pushNow();
    for (const id of [kept, wasPaused]) {
      const e = await entryOf(s, id);
      expect(e.logIndex).not.toBeNull();
      expect(e.unlogged).toBe(false);
    }
  }, 60_000);
});
