/**
 * The search worker started ahead: one started for a cache while the inspector signs in is the one
 * that cache's first client uses (it is not started twice, and the key goes only to it); a client
 * of another cache starts its own. The Worker global is stood in for (Node has none).
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CacheDb } from '../../db/index.js';
import { createSearchClient, warmSearchWorker } from './search-client.js';
import type { ToSearchWorker } from './search-messages.js';

class FakeWorker {
  static started: FakeWorker[] = [];
  readonly received: ToSearchWorker[] = [];
  terminated = false;
  private listener: ((e: { data: unknown }) => void) | null = null;
  constructor() {
    FakeWorker.started.push(this);
  }
  addEventListener(_type: string, l: (e: { data: unknown }) => void): void {
    this.listener = l;
  }
  postMessage(m: ToSearchWorker): void {
    this.received.push(m);
    if (m.type === 'search') {
      const answer = { hits: [], total: 0, indexed: 0, tookMs: 0 };
      setTimeout(() => this.listener?.({ data: { type: 'answer', id: m.id, answer } }));
    }
  }
  terminate(): void {
    this.terminated = true;
  }
  /** A message of the worker's own, not an answer to a request. */
  say(data: unknown): void {
    this.listener?.({ data });
  }
}

const g = globalThis as { Worker?: unknown };
beforeEach(() => {
  FakeWorker.started = [];
  g.Worker = FakeWorker;
});
afterEach(() => {
  delete g.Worker;
});

const key = { keyId: 'k1', key: new Uint8Array(32).fill(3) };

describe('the search client', () => {
  it("passes on the worker's news that another index answers, to each listener until it unsubscribes", async () => {
    const cache = new CacheDb('cache-s3', undefined, key);
    const client = createSearchClient({ cache, useWorker: true });
    await client.search('海润'); // the worker is started
    const worker = FakeWorker.started.at(-1)!;
    const heard: string[] = [];
    const stopA = client.onIndex(() => heard.push('a'));
    client.onIndex(() => heard.push('b'));
    worker.say({ type: 'index' });
    stopA();
    worker.say({ type: 'index' });
    worker.say({ type: 'index', extra: '不是这个形状' }); // zod strips unknown keys: still the same news
    worker.say({ type: 'nonsense' }); // not a message of the worker's: ignored
    expect(heard).toEqual(['a', 'b', 'b', 'b']);
    client.close();
  });
});

describe('the search worker started ahead of the unlock', () => {
  it('is the worker the first client of its cache uses, and gets the key only from that client', async () => {
    warmSearchWorker('cache-s1');
    warmSearchWorker('cache-s1'); // one is enough
    expect(FakeWorker.started).toHaveLength(1);
    const ahead = FakeWorker.started[0]!;
    expect(ahead.received.map((m) => m.type)).toEqual(['init']);
    const cache = new CacheDb('cache-s1', undefined, key);
    const client = createSearchClient({ cache, useWorker: true });
    await client.search('海润');
    expect(FakeWorker.started).toHaveLength(1);
    expect(ahead.received.map((m) => m.type)).toEqual(['init', 'key', 'search']);
    client.close();
    expect(ahead.terminated).toBe(true);
  });

  it('a client of another cache starts its own worker and leaves the waiting one', async () => {
    warmSearchWorker('cache-s2');
    const client = createSearchClient({ cache: new CacheDb('cache-s3', undefined, key), useWorker: true });
    await client.search('海润');
    expect(FakeWorker.started).toHaveLength(2);
    expect(FakeWorker.started[1]!.received[0]).toEqual({ type: 'init', cacheName: 'cache-s3' });
    expect(FakeWorker.started[0]!.received.map((m) => m.type)).toEqual(['init']);
    client.close();
    warmSearchWorker('cache-s4'); // another station's cache: the waiting worker of s2 goes
    expect(FakeWorker.started[0]!.terminated).toBe(true);
  });
});
