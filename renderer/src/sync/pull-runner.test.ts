/**
 * The warm pull worker: one started at unlock is the one the sync uses, and the worker a sync used
 * waits for the next sync instead of being thrown away; a worker that failed is never reused.
 * The Worker global is stood in for (Node has none): it answers every start with a finished pull.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { dropWarmPullWorker, runPull, warmPullWorker } from './pull-runner.js';
import type { ToWorker } from './pull-messages.js';

class FakeWorker {
  static started: FakeWorker[] = [];
  readonly received: string[] = [];
  terminated = false;
  /** Answer the next start with a thread error instead of a finished pull. */
  failNext = false;
  private readonly listeners = new Map<string, Set<(e: unknown) => void>>();
  constructor() {
    FakeWorker.started.push(this);
  }
  addEventListener(type: string, l: (e: unknown) => void): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  removeEventListener(type: string, l: (e: unknown) => void): void {
    this.listeners.get(type)?.delete(l);
  }
  postMessage(m: ToWorker): void {
    this.received.push(m.type);
    if (m.type !== 'start') return;
    setTimeout(() => {
      if (this.failNext) return this.emit('error', { message: 'boom' });
      const done = { type: 'done', ok: true, message: '同步完成', sessionExpired: false, transient: false };
      this.emit('message', { data: done });
    });
  }
  terminate(): void {
    this.terminated = true;
  }
  private emit(type: string, e: unknown): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l(e);
  }
}

let dbs: ReturnType<typeof freshDatabases>;
const g = globalThis as { Worker?: unknown };
beforeEach(() => {
  dbs = freshDatabases();
  FakeWorker.started = [];
  g.Worker = FakeWorker;
});
afterEach(() => {
  dropWarmPullWorker();
  delete g.Worker;
  disposeDatabases(dbs);
});

function sync() {
  return runPull({
    baseUrl: 'http://127.0.0.1:9',
    tokens: { accessToken: () => null, refresh: async () => 'rejected' as const },
    dbs,
    dbPrefix: '',
    pageSize: 10,
    useWorker: true,
    onProgress: () => undefined,
  }).done;
}

describe('the warm pull worker', () => {
  it('the worker started at unlock runs the sync, and waits for the next one afterwards', async () => {
    warmPullWorker();
    warmPullWorker(); // one is enough
    expect(FakeWorker.started).toHaveLength(1);
    const warm = FakeWorker.started[0]!;
    expect((await sync()).ok).toBe(true);
    expect((await sync()).ok).toBe(true);
    expect(FakeWorker.started).toHaveLength(1);
    expect(warm.received).toEqual(['start', 'start']);
    expect(warm.terminated).toBe(false);
  });

  it('with the cache named, the worker started at unlock opens it before any sync', async () => {
    warmPullWorker(dbs.cache.name);
    const warm = FakeWorker.started[0]!;
    expect(warm.received).toEqual(['open']);
    expect((await sync()).ok).toBe(true);
    expect(warm.received).toEqual(['open', 'start']);
  });

  it('a lock ends the waiting worker, and a sync running through the lock does not leave its worker behind', async () => {
    warmPullWorker();
    const waiting = FakeWorker.started[0]!;
    dropWarmPullWorker();
    expect(waiting.terminated).toBe(true);
    const running = sync();
    const used = FakeWorker.started[1]!;
    dropWarmPullWorker(); // the lock comes while the sync is in flight
    expect((await running).ok).toBe(true);
    expect(used.terminated).toBe(true);
    await sync();
    expect(FakeWorker.started).toHaveLength(3);
  });

  it('a worker that failed is terminated and the next sync starts a new one', async () => {
    warmPullWorker();
    const first = FakeWorker.started[0]!;
    first.failNext = true;
    expect((await sync()).ok).toBe(false);
    expect(first.terminated).toBe(true);
    expect((await sync()).ok).toBe(true);
    expect(FakeWorker.started).toHaveLength(2);
  });
});
