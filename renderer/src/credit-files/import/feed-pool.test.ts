/**
 * The feed-worker pool, with stand-in workers that answer like feed.worker.ts (pages cross in
 * their wire form): pages arrive whole and equal to preparing the body in-thread; the early header
 * is passed on; a 401 refreshes once and resends with the new token; a malformed message or a
 * worker error fails only that worker's pages and the next request gets a fresh worker; cancel
 * reaches the worker.
 */
import { SUMMARY_FIELDS } from '../summary-columns.js';
import { describe, expect, it } from 'vitest';
import { makeEnterprise, makeUscc } from '../../testing/builders.js';
import { parseNdjson, type PageAttempt, type PageHeader } from '../download/enterprise-feed.js';
import { feedPool, type FeedWorkerLike } from './feed-pool.js';
import { fromWire, toWire, type ToFeedWorker } from './feed-messages.js';

const AT = '2026-05-06T02:00:00.000Z';
const header = { nextCursor: '3', hasMore: true, total: 9 };
const body = [
  JSON.stringify(header),
  JSON.stringify({ kind: 'upsert', seq: 1, enterprise: makeEnterprise(1, { name: '威海市海润食品有限公司' }) }),
  JSON.stringify({ kind: 'tombstone', seq: 2, uscc: makeUscc(2) }),
  '{not json',
  JSON.stringify({ kind: 'upsert', seq: 3, enterprise: makeEnterprise(3) }),
].join('\n');
const prepared = parseNdjson(body, AT)!;
const timings = { responseMs: 1, bodyMs: 1, parseMs: 1, validateMs: 1, bytes: 10 };

type Behaviour = (
  msg: Extract<ToFeedWorker, { type: 'fetch' }>,
  reply: (m: unknown, transfer?: boolean) => void,
  w: FakeWorker,
) => void;

class FakeWorker implements FeedWorkerLike {
  readonly seen: ToFeedWorker[] = [];
  terminated = false;
  private readonly listeners: { message: ((e: MessageEvent<unknown>) => void)[]; error: ((e: ErrorEvent) => void)[] } =
    { message: [], error: [] };
  constructor(private readonly behave: Behaviour) {}
  postMessage(message: ToFeedWorker): void {
    this.seen.push(message);
    if (message.type === 'fetch') queueMicrotask(() => this.behave(message, (m) => this.emit(m), this));
  }
  addEventListener(
    type: 'message' | 'error',
    listener: ((e: MessageEvent<unknown>) => void) & ((e: ErrorEvent) => void),
  ): void {
    this.listeners[type].push(listener);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(data: unknown): void {
    for (const l of this.listeners.message) l({ data } as MessageEvent<unknown>);
  }
  crash(message: string): void {
    for (const l of this.listeners.error) l({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
  }
}

const answerPage: Behaviour = (msg, reply) => {
  reply({ type: 'header', id: msg.id, header });
  reply({ type: 'page', id: msg.id, page: toWire(prepared).wire, timings });
};

function pool(
  behave: Behaviour,
  tokens = { accessToken: () => 'tok' as string | null, refresh: async () => 'refreshed' as const },
  fallback?: PageAttempt,
  prestart = false,
  firstPageHere = false,
) {
  const workers: FakeWorker[] = [];
  const p = feedPool({
    baseUrl: () => 'http://127.0.0.1:1/',
    tokens,
    size: 2,
    spawn: () => {
      const w = new FakeWorker(behave);
      workers.push(w);
      return w;
    },
    ...(fallback ? { fallback } : {}),
    prestart,
    firstPageHere,
  });
  return { ...p, workers };
}

describe('feed pool', () => {
  it('hands back the prepared page (through its wire form) and the early header', async () => {
    const p = pool(answerPage);
    const headers: PageHeader[] = [];
    const res = await p.feed('0', 5000, undefined, (h) => headers.push(h), AT);
    expect(res).toEqual({ ok: true, page: prepared });
    expect(headers).toEqual([header]);
    expect(p.workers[0]!.seen[0]).toMatchObject({ type: 'fetch', cursor: '0', limit: 5000, token: 'tok', at: AT });
  });

  it('starts every worker at once when asked to, and uses them for the pages', async () => {
    const p = pool(answerPage, undefined, undefined, true);
    expect(p.workers).toHaveLength(2);
    const [a, b] = await Promise.all([p.feed('0', 10), p.feed('3', 10)]);
    expect(a.ok && b.ok).toBe(true);
    expect(p.workers).toHaveLength(2);
    expect(p.workers.map((w) => w.seen.length)).toEqual([1, 1]);
  });

  it('prepares the first page on the calling thread when asked to, while the workers load; later pages go to them', async () => {
    const here: string[] = [];
    const fallback: PageAttempt = async (cursor) => {
      here.push(cursor);
      return { ok: true, page: prepared };
    };
    const p = pool(answerPage, undefined, fallback, true, true);
    const headers: PageHeader[] = [];
    expect(await p.feed('0', 10, undefined, (h) => headers.push(h))).toEqual({ ok: true, page: prepared });
    expect(here).toEqual(['0']);
    expect(p.workers.map((w) => w.seen.length)).toEqual([0, 0]);
    const [a, b] = await Promise.all([p.feed('3', 10), p.feed('6', 10)]);
    expect(a.ok && b.ok).toBe(true);
    expect(here).toEqual(['0']);
    expect(p.workers.map((w) => w.seen.length)).toEqual([1, 1]);
  });

  it('spreads two pages in flight over two workers', async () => {
    const p = pool(answerPage);
    const [a, b] = await Promise.all([p.feed('0', 10), p.feed('3', 10)]);
    expect(a.ok && b.ok).toBe(true);
    expect(p.workers).toHaveLength(2);
    expect(p.workers.map((w) => w.seen.length)).toEqual([1, 1]);
  });

  it('refreshes once on a 401 and resends with the new token', async () => {
    let token = 'old';
    const p = pool(
      (msg, reply) =>
        msg.token === 'old'
          ? reply({ type: 'unauthorized', id: msg.id, timings })
          : answerPage(msg, reply, null as never),
      {
        accessToken: () => token,
        refresh: async () => {
          token = 'new';
          return 'refreshed' as const;
        },
      },
    );
    const res = await p.feed('0', 10);
    expect(res.ok).toBe(true);
    expect(p.workers.flatMap((w) => w.seen).map((m) => (m.type === 'fetch' ? m.token : null))).toEqual(['old', 'new']);
  });

  it('fails the page on a malformed message, and the next request gets a fresh worker', async () => {
    let n = 0;
    const p = pool((msg, reply) =>
      n++ === 0
        ? reply({ type: 'page', id: msg.id, page: { nonsense: true }, timings })
        : answerPage(msg, reply, null as never),
    );
    const bad = await p.feed('0', 10);
    expect(bad).toEqual({ ok: false, error: { kind: 'network', message: expect.stringContaining('无法识别') } });
    expect(p.workers[0]!.terminated).toBe(true);
    expect((await p.feed('0', 10)).ok).toBe(true);
    expect(p.workers).toHaveLength(2);
  });

  it('fails a page whose parts do not fit together', async () => {
    const p = pool((msg, reply) => {
      const { wire } = toWire(prepared);
      reply({ type: 'page', id: msg.id, page: { ...wire, offsets: wire.offsets.slice(1) }, timings });
    });
    expect(await p.feed('0', 10)).toEqual({
      ok: false,
      error: { kind: 'network', message: expect.stringContaining('不完整') },
    });
  });

  it("with a fallback, a crashed worker's page and every later one are prepared in-thread instead", async () => {
    const calls: string[] = [];
    const fallback: PageAttempt = async (cursor) => {
      calls.push(cursor);
      return { ok: true, page: prepared };
    };
    const p = pool((_msg, _reply, w) => w.crash('boom'), undefined, fallback);
    expect(await p.feed('0', 10)).toEqual({ ok: true, page: prepared });
    expect(await p.feed('3', 10)).toEqual({ ok: true, page: prepared });
    expect(calls).toEqual(['0', '3']);
    expect(p.workers).toHaveLength(1);
  });

  it('fails in-flight pages when the worker crashes', async () => {
    const p = pool((_msg, _reply, w) => w.crash('boom'));
    expect(await p.feed('0', 10)).toEqual({ ok: false, error: { kind: 'network', message: '解析线程出错：boom' } });
  });

  it('cancels: the page resolves as aborted and the worker is told', async () => {
    const p = pool(() => undefined);
    const controller = new AbortController();
    const res = p.feed('0', 10, controller.signal);
    await Promise.resolve();
    controller.abort();
    expect(await res).toEqual({ ok: false, error: { kind: 'aborted', message: '同步已取消' } });
    expect(p.workers[0]!.seen.map((m) => m.type)).toEqual(['fetch', 'cancel']);
  });
});

describe('wire form', () => {
  it('round-trips a prepared page and refuses inconsistent ones', () => {
    const { wire, transfer } = toWire(prepared);
    // The record bytes, the offsets and the three typed columns move; the string columns are copied.
    expect(transfer).toEqual([
      wire.buffer,
      wire.offsets.buffer,
      wire.changes.kinds.buffer,
      wire.changes.seqs.buffer,
      wire.changes.versions.buffer,
    ]);
    expect(wire.changes.columns.uscc).toEqual([makeUscc(1), makeUscc(2), makeUscc(3)]);
    expect(fromWire(wire)).toEqual(prepared);
    expect(fromWire({ ...wire, offsets: new Uint32Array(wire.offsets.length) })).toBeNull();
    expect(fromWire({ ...wire, lineCount: 0 })).toBeNull();
    // Any one summary column shorter than the page: refused.
    for (const f of SUMMARY_FIELDS) {
      const columns = { ...wire.changes.columns, [f]: wire.changes.columns[f].slice(1) };
      expect(fromWire({ ...wire, changes: { ...wire.changes, columns } }), f).toBeNull();
    }
    expect(fromWire({ ...wire, changes: { ...wire.changes, kinds: Uint8Array.of(1, 1, 1) } })).toBeNull(); // a tombstone has no bytes
    expect(fromWire({ ...wire, changes: { ...wire.changes, kinds: Uint8Array.of(1, 2, 7) } })).toBeNull();
    expect(fromWire({ ...wire, changes: { ...wire.changes, versions: Float64Array.of(1.5, 0, 1) } })).toBeNull();
  });
});
