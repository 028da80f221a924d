/**
 * The initial credit-file download through the platform's snapshot, against the real simulator
 * (fake-indexeddb, the app's pull code): it ends identical to the paged download of the same data;
 * a link dropped inside the file resumes with a Range that starts at the stored byte count; an app
 * killed mid-download resumes from its stored bytes; a member failing its hash is refetched from
 * that member; members are imported while later ones still download; a file whose members match
 * but whose whole hash does not is discarded and the paged feed continues; an app killed inside
 * the import resumes both the download and the import.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotManifestSchema, type SnapshotManifest } from '../../../shared/protocol/index.js';
import {
  enterprisesRepo,
  openDatabases,
  quarantineRepo,
  snapshotRepo,
  type Databases,
  type EnterprisesRepo,
  type SnapshotRepo,
} from '../../../renderer/src/db/index.js';
import { createHttpClient, type TokenProvider } from '../../../renderer/src/platform/http.js';
import { ndjsonFeed } from '../../../renderer/src/credit-files/download/enterprise-feed.js';
import { pullEnterprises } from '../../../renderer/src/credit-files/download/pull-enterprises.js';
import type { SnapshotDeps } from '../../../renderer/src/credit-files/download/pull-snapshot.js';
import { ProgressTracker, type PullProgress } from '../../../renderer/src/sync/progress.js';
import { feedPool, type FeedWorkerLike } from '../../../renderer/src/credit-files/import/feed-pool.js';
import { toWire, type ToFeedWorker } from '../../../renderer/src/credit-files/import/feed-messages.js';
import { prepareMember } from '../../../renderer/src/credit-files/import/snapshot-import.js';
import { TEST_CACHE_KEY, disposeDatabases, freshDatabases } from '../../../renderer/src/testing/builders.js';
import { authed, login, startTemp, type Harness } from '../testkit.js';

const COUNT = 1800;
const INVALID = 3;
const PAGE = 500;
/** Lines per gzip member of the snapshot: eight members, a few parts each. */
const MEMBER = 250;
const PART = 16 * 1024;
let h: Harness;
let tokens: TokenProvider;
let manifest: SnapshotManifest;
/** The most bytes of stored parts the snapshot download held in memory since it was last reset. */
let heldPeak = 0;
const opened: Databases[] = [];

beforeAll(async () => {
  h = await startTemp({
    seed: 11,
    enterprises: COUNT,
    invalidRecords: INVALID,
    faults: true,
    snapshotMemberLines: MEMBER,
  });
  const { accessToken } = await login(h.platform.url, h.platform.logins[0]!.certNo);
  tokens = { accessToken: () => accessToken, refresh: async () => 'rejected' };
  const res = await authed(h.platform.url, accessToken)('/v1/sync/enterprises/snapshot');
  manifest = SnapshotManifestSchema.parse(await res.json());
});
afterAll(async () => {
  for (const dbs of opened) await disposeDatabases(dbs);
  await h.stop();
});

function fresh(): Databases & { prefix: string } {
  const dbs = freshDatabases();
  opened.push(dbs);
  return dbs;
}

/** What the app sees of one snapshot download: each file request's Range and the stored count then. */
interface Watch {
  readonly ranges: { start: number; stored: number }[];
  readonly pageCursors: string[];
  fetch: typeof fetch;
}

function watch(dbs: Databases, tamper?: (req: number, body: Uint8Array) => Uint8Array | null): Watch {
  const w: Watch = {
    ranges: [],
    pageCursors: [],
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname.startsWith('/v1/sync/enterprises/snapshot/')) {
        const range = new Headers(init?.headers).get('range') ?? '';
        const stored = (await snapshotRepo(dbs.cache).current())?.received ?? 0;
        w.ranges.push({ start: Number(/^bytes=(\d+)-/.exec(range)?.[1] ?? -1), stored });
        const res = await fetch(input, init);
        const changed = tamper?.(w.ranges.length, new Uint8Array(await res.clone().arrayBuffer()));
        return changed ? new Response(changed as Uint8Array<ArrayBuffer>, res) : res;
      }
      if (url.pathname === '/v1/sync/enterprises') w.pageCursors.push(url.searchParams.get('cursor') ?? '');
      return fetch(input, init);
    },
  };
  return w;
}

/** A feed worker run in-process: answers 'prepare' exactly as feed.worker.ts does (wire form). */
class InProcessFeedWorker implements FeedWorkerLike {
  prepared = 0;
  private readonly listeners: ((e: MessageEvent<unknown>) => void)[] = [];
  postMessage(msg: ToFeedWorker): void {
    if (msg.type !== 'prepare') return;
    const seal = msg.seal ? { dbName: msg.seal.dbName, key: { keyId: msg.seal.keyId, key: msg.seal.key } } : null;
    const chunkBase = msg.seal?.chunkBase ?? 0;
    void prepareMember(msg.lines, msg.header, msg.at, seal, chunkBase, msg.limit, msg.gzip ?? false).then((page) => {
      this.prepared += 1;
      const timings = { responseMs: 0, bodyMs: 0, parseMs: 0, validateMs: 0, sealMs: 0, bytes: 0 };
      const data = { type: 'page', id: msg.id, page: toWire(page).wire, timings };
      for (const l of this.listeners) l({ data } as MessageEvent<unknown>);
    });
  }
  addEventListener(
    type: 'message' | 'error',
    listener: ((e: MessageEvent<unknown>) => void) & ((e: ErrorEvent) => void),
  ): void {
    if (type === 'message') this.listeners.push(listener);
  }
  terminate(): void {}
}

type StoreWrap = (store: SnapshotRepo) => SnapshotRepo;

function snapshotDeps(dbs: Databases, f: typeof fetch, o: PullOptions): SnapshotDeps {
  const { workers, wrapStore = (store) => store } = o;
  const pool = workers
    ? feedPool({
        baseUrl: () => h.platform.url,
        tokens,
        size: workers.length,
        spawn: () => workers.shift()!,
        seal: { dbName: dbs.cache.name, key: TEST_CACHE_KEY },
      })
    : null;
  return {
    ...(pool ? { prepare: pool.prepareLines } : {}),
    http: createHttpClient({ baseUrl: () => h.platform.url, tokens, fetch: f }),
    fetch: {
      baseUrl: () => h.platform.url,
      tokens,
      fetch: f,
      partBytes: PART,
      retryDelayMs: 0,
      onHeld: (bytes) => (heldPeak = Math.max(heldPeak, bytes)),
    },
    store: wrapStore(snapshotRepo(dbs.cache)),
    seal: { dbName: dbs.cache.name, key: TEST_CACHE_KEY },
    ...(o.inFlightRecords === undefined ? {} : { inFlightRecords: o.inFlightRecords }),
  };
}

interface PullOptions {
  readonly signal?: AbortSignal;
  readonly workers?: InProcessFeedWorker[];
  readonly wrap?: (repo: EnterprisesRepo) => EnterprisesRepo;
  readonly wrapStore?: StoreWrap;
  /** MemberImport's budget; 0 keeps two members in flight, so the download waits on the import. */
  readonly inFlightRecords?: number;
}

async function pull(dbs: Databases, w: Watch | null, seen: PullProgress[] = [], o: PullOptions = {}) {
  const wrap = o.wrap ?? ((repo: EnterprisesRepo) => repo);
  const tracker = new ProgressTracker(
    () => Date.now(),
    (p) => seen.push(p),
  );
  const f = w?.fetch ?? fetch;
  return pullEnterprises(
    {
      repo: wrap(enterprisesRepo(dbs.cache)),
      feed: ndjsonFeed({ baseUrl: () => h.platform.url, tokens, fetch: f }),
      pageSize: PAGE,
      now: () => new Date('2026-05-06T02:00:00Z'),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(w ? { snapshot: snapshotDeps(dbs, f, o) } : {}),
    },
    tracker,
  );
}

/** Everything a reader sees: every live record decoded, the quarantine, the stream's end state. */
async function endState(dbs: Databases): Promise<unknown> {
  const repo: EnterprisesRepo = enterprisesRepo(dbs.cache);
  const usccs = (await repo.directory()).dir.flatMap((d) => d.usccs).sort();
  const records: string[] = [];
  for (const u of usccs) records.push(JSON.stringify(await repo.get(u)));
  const quarantined = (await quarantineRepo(dbs.cache).list()).map((q) => [q.key, q.reason]).sort();
  const state = await repo.state();
  return {
    records,
    count: await repo.count(),
    quarantined,
    complete: await repo.complete(),
    cursor: state.cursor,
    restarting: state.restarting,
  };
}

let reference: unknown;
/** Chunk rows an uninterrupted snapshot import creates. */
let cleanChunkWrites = 0;

describe('initial credit-file download through the snapshot', () => {
  it('ends identical to the paged download; the delta feed continues from the snapshot cursor', async () => {
    const paged = fresh();
    expect(await pull(paged, null)).toBeNull();
    reference = await endState(paged);
    expect((reference as { count: number }).count).toBe(COUNT);

    const dbs = fresh();
    const w = watch(dbs);
    const seen: PullProgress[] = [];
    dbs.cache.entChunks.hook('creating', () => {
      cleanChunkWrites += 1;
    });
    expect(await pull(dbs, w, seen)).toBeNull();
    expect(await endState(dbs)).toEqual(reference);
    expect(w.pageCursors).toEqual([manifest.cursor]); // no page from 0: only the delta after the snapshot
    // One request streams the whole file (no round trip idles the link between parts).
    expect(w.ranges).toEqual([{ start: 0, stored: 0 }]);
    expect(await snapshotRepo(dbs.cache).current()).toBeNull(); // the stored bytes are gone once imported
    // Progress: bytes (with a rate) while downloading, then records up to the whole count.
    const download = seen.filter((p) => p.bytes);
    expect(download.at(-1)?.bytes).toMatchObject({ done: manifest.bytes, total: manifest.bytes });
    expect(download.every((p) => p.bytes!.perSecond >= 0)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ phase: 'enterprises', done: COUNT, quarantined: INVALID });
  });

  it('pages validated and sealed by feed workers (wire form) end identical too', async () => {
    const dbs = fresh();
    const workers = [new InProcessFeedWorker(), new InProcessFeedWorker()];
    const both = [...workers];
    expect(await pull(dbs, watch(dbs), [], { workers })).toBeNull();
    expect(await endState(dbs)).toEqual(reference);
    // Every member (eight of 250 lines) went through a worker; none was prepared on the pull's thread.
    expect(manifest.members).toHaveLength(Math.ceil((COUNT + INVALID) / MEMBER));
    expect(both[0]!.prepared + both[1]!.prepared).toBe(manifest.members.length);
  });

  it('a fresh download asks for the file with the manifest and the delta page as it starts; one file request brings every byte', async () => {
    const dbs = fresh();
    const w = watch(dbs);
    const events: string[] = [];
    /** Records stored when the delta page after the snapshot was asked for. */
    let storedAtDelta: number | null = null;
    const f: typeof fetch = async (input, init) => {
      const path = new URL(input instanceof Request ? input.url : String(input)).pathname;
      events.push(`sent ${path}`);
      if (path === '/v1/sync/enterprises') storedAtDelta = await enterprisesRepo(dbs.cache).count();
      const res = await w.fetch(input, init);
      events.push(`answered ${path}`);
      return res;
    };
    expect(await pull(dbs, { ...w, fetch: f })).toBeNull();
    const file = events.indexOf('sent /v1/sync/enterprises/snapshot/current');
    expect(file).toBeGreaterThanOrEqual(0);
    expect(file).toBeLessThan(events.indexOf('answered /v1/sync/enterprises/snapshot'));
    expect(w.ranges).toEqual([{ start: 0, stored: 0 }]);
    expect(events.filter((e) => e.startsWith('sent /v1/sync/enterprises/snapshot/'))).toHaveLength(1);
    // The delta page is asked for as the import starts, not a round trip after the last byte.
    expect(w.pageCursors).toHaveLength(1);
    expect(storedAtDelta).not.toBeNull();
    expect(storedAtDelta!).toBeLessThan(manifest.records - INVALID);
    expect(await endState(dbs)).toEqual(reference);
  });

  it('an early answer that is not the manifest’s file is dropped; the file is asked for by its own URL', async () => {
    const dbs = fresh();
    const w = watch(dbs);
    const f: typeof fetch = async (input, init) => {
      const res = await w.fetch(input, init);
      if (!new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith('/current')) return res;
      // As if the platform replaced the file between the manifest and this answer.
      const headers = new Headers(res.headers);
      headers.set('etag', `"${'e'.repeat(64)}"`);
      return new Response(res.body, { status: res.status, headers });
    };
    expect(await pull(dbs, { ...w, fetch: f })).toBeNull();
    expect(w.ranges).toEqual([
      { start: 0, stored: 0 },
      { start: 0, stored: 0 },
    ]);
    expect(await endState(dbs)).toEqual(reference);
  });

  it('a platform without a snapshot (404): the paged feed does the whole download, as before', async () => {
    const dbs = fresh();
    const w = watch(dbs);
    h.platform.admin.addFault({
      kind: 'status',
      status: 404,
      method: 'GET',
      path: '^/v1/sync/enterprises/snapshot(/current)?$',
    });
    expect(await pull(dbs, w)).toBeNull();
    // Only the request sent with the manifest (answered 404): no file bytes come down.
    expect(w.ranges).toEqual([{ start: 0, stored: 0 }]);
    expect(w.pageCursors[0]).toBe('0');
    expect(await endState(dbs)).toEqual(reference);
  });

  it('a link dropped inside the file: the next Range starts at the stored byte count, mid-part', async () => {
    const dbs = fresh();
    const w = watch(dbs);
    h.platform.admin.addFault({ kind: 'drop-mid-body', path: '^/v1/sync/enterprises/snapshot/', ms: 5000 });
    expect(await pull(dbs, w)).toBeNull();
    expect(w.ranges[0]).toEqual({ start: 0, stored: 0 });
    expect(w.ranges[1]).toEqual({ start: 5000, stored: 5000 }); // 5,000 bytes arrived before the drop and were kept
    for (const r of w.ranges) expect(r.start).toBe(r.stored);
    expect(await endState(dbs)).toEqual(reference);
  });

  it('an app killed mid-download resumes from its stored bytes after the restart', async () => {
    const first = fresh();
    const controller = new AbortController();
    const w = watch(first);
    // The process dies once the second part of the streamed body is stored.
    const dies = (store: SnapshotRepo): SnapshotRepo => ({
      ...store,
      append: async (...args) => {
        const row = await store.append(...args);
        if (args[1] + args[2] >= 2 * PART) controller.abort();
        return row;
      },
    });
    expect(await pull(first, w, [], { signal: controller.signal, wrapStore: dies })).toMatchObject({ kind: 'aborted' });
    const stored = (await snapshotRepo(first.cache).current())!.received;
    expect(stored).toBe(2 * PART);
    first.field.close();
    first.cache.close();
    const again = { ...openDatabases(first.prefix, { cacheKey: TEST_CACHE_KEY }), prefix: first.prefix };
    opened.push(again);
    const w2 = watch(again);
    expect(await pull(again, w2)).toBeNull();
    expect(w2.ranges[0]).toEqual({ start: stored, stored });
    expect(await endState(again)).toEqual(reference);
  });

  it('a member failing its hash is refetched from that member; the members before it are imported once', async () => {
    const dbs = fresh();
    const commits: string[] = [];
    // One flipped byte inside the third member, in the first response only.
    const flipped = manifest.members[2]!.offset + 100;
    const bad = manifest.members.findIndex((m) => m.offset <= flipped && flipped < m.offset + m.bytes);
    expect(bad).toBe(2);
    const w = watch(dbs, (req, body) => {
      if (req !== 1) return null;
      const out = body.slice();
      out[flipped] = out[flipped]! ^ 0xff;
      return out;
    });
    const wrap = (repo: EnterprisesRepo): EnterprisesRepo => ({
      ...repo,
      applyPage: async (page) => {
        const n = await repo.applyPage(page);
        commits.push(page.nextCursor);
        return n;
      },
    });
    expect(await pull(dbs, w, [], { wrap })).toBeNull();
    // The stream stops at the failed member; the refetch starts there, never at byte 0 again.
    const bad0 = manifest.members[bad]!.offset;
    expect(w.ranges.slice(0, 2)).toEqual([
      { start: 0, stored: 0 },
      { start: bad0, stored: bad0 },
    ]);
    expect(w.ranges.filter((r) => r.start === 0)).toHaveLength(1);
    // Every member is written exactly once, in order; the corrupt copy of the bad one never.
    expect(commits.slice(0, manifest.members.length)).toEqual(manifest.members.map((m) => m.cursor));
    expect(await endState(dbs)).toEqual(reference);
  });

  it('members that all match in a file whose whole hash does not: discarded, the paged feed continues', async () => {
    const dbs = fresh();
    const w = watch(dbs);
    const fetchBefore = w.fetch;
    const forged = 'f'.repeat(64);
    // The manifest names another whole-file hash than the served file has (its members are right);
    // the file requests still name the real version, so the platform serves the real bytes.
    w.fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/v1/sync/enterprises/snapshot') {
        const res = await fetchBefore(input, init);
        const body = JSON.stringify({ ...((await res.json()) as object), sha256: forged });
        return new Response(body, { status: res.status, headers: res.headers });
      }
      const headers = new Headers(init?.headers);
      if (headers.get('if-range') === `"${forged}"`) headers.set('if-range', `"${manifest.sha256}"`);
      return fetchBefore(input, { ...init, headers });
    };
    const commits: string[] = [];
    const wrap = (repo: EnterprisesRepo): EnterprisesRepo => ({
      ...repo,
      applyPage: async (page) => {
        const n = await repo.applyPage(page);
        commits.push(page.nextCursor);
        return n;
      },
    });
    expect(await pull(dbs, w, [], { wrap })).toBeNull();
    const members = manifest.members;
    // The verified members went in; the one that would complete the snapshot did not come from it:
    // the paged feed continued from the last verified member's cursor.
    expect(commits.slice(0, members.length - 1)).toEqual(members.slice(0, -1).map((m) => m.cursor));
    // (The delta page asked for as the import started, at the snapshot's cursor, was dropped.)
    expect(w.pageCursors.slice(0, 2)).toEqual([manifest.cursor, members.at(-2)!.cursor]);
    expect(await snapshotRepo(dbs.cache).current()).toBeNull();
    expect(await endState(dbs)).toEqual(reference);
  });

  it('the download holds only the parts of members not yet imported, not the whole file', async () => {
    const dbs = fresh();
    heldPeak = 0;
    expect(await pull(dbs, watch(dbs))).toBeNull();
    const biggest = Math.max(...manifest.members.map((m) => m.bytes));
    expect(heldPeak).toBeGreaterThan(0);
    // The member not yet imported, the part it shares with the one before, one part stored ahead.
    expect(heldPeak).toBeLessThanOrEqual(biggest + 2 * PART);
    expect(heldPeak).toBeLessThan(manifest.bytes);
    expect(await endState(dbs)).toEqual(reference);
  });

  it('the import overlaps the download: the first member is committed before the last part is stored', async () => {
    const dbs = fresh();
    const events: string[] = [];
    const w = watch(dbs);
    const wrap = (repo: EnterprisesRepo): EnterprisesRepo => ({
      ...repo,
      applyPage: async (page) => {
        const n = await repo.applyPage(page);
        events.push(`commit ${page.nextCursor}`);
        return n;
      },
    });
    const stored = (store: SnapshotRepo): SnapshotRepo => ({
      ...store,
      append: async (...args) => {
        const row = await store.append(...args);
        events.push(`stored ${args[1] + args[2]}`);
        return row;
      },
    });
    const workers = [new InProcessFeedWorker(), new InProcessFeedWorker()];
    expect(await pull(dbs, w, [], { workers, wrap, wrapStore: stored })).toBeNull();
    const firstCommit = events.indexOf(`commit ${manifest.members[0]!.cursor}`);
    const lastPart = events.indexOf(`stored ${manifest.bytes}`);
    expect(firstCommit).toBeGreaterThanOrEqual(0);
    expect(lastPart).toBeGreaterThanOrEqual(0);
    expect(firstCommit).toBeLessThan(lastPart);
    // The last member (the one that completes the snapshot) is written only after all bytes are in.
    expect(events.indexOf(`commit ${manifest.cursor}`)).toBeGreaterThan(lastPart);
    expect(await endState(dbs)).toEqual(reference);
  });

  it('an app killed mid-import and mid-download resumes both: stored bytes, and after the committed member', async () => {
    const dbs = fresh();
    const crash = (repo: EnterprisesRepo): EnterprisesRepo => ({
      ...repo,
      applyPage: async (page) => {
        if (page.fromCursor === manifest.members[0]!.cursor) throw new Error('app killed mid-import (injected)');
        return repo.applyPage(page);
      },
    });
    await expect(pull(dbs, watch(dbs), [], { wrap: crash, inFlightRecords: 0 })).rejects.toThrow(/killed mid-import/);
    expect((await enterprisesRepo(dbs.cache).state()).cursor).toBe(manifest.members[0]!.cursor);
    const stored = (await snapshotRepo(dbs.cache).current())!;
    expect(stored.importing).toBe(true);
    expect(stored.received).toBeGreaterThan(0);
    expect(stored.received).toBeLessThan(manifest.bytes); // the download was not finished either
    const w = watch(dbs);
    const written: string[] = [];
    const record = (repo: EnterprisesRepo): EnterprisesRepo => ({
      ...repo,
      applyPage: async (page) => {
        const n = await repo.applyPage(page);
        written.push(page.nextCursor);
        return n;
      },
    });
    expect(await pull(dbs, w, [], { wrap: record })).toBeNull();
    expect(w.ranges[0]).toEqual({ start: stored.received, stored: stored.received });
    // Member 0 is not written again; the rest follow, then the delta page.
    expect(written.slice(0, manifest.members.length - 1)).toEqual(manifest.members.slice(1).map((m) => m.cursor));
    expect(await endState(dbs)).toEqual(reference);
  });

  it('an app killed inside the import finishes it from the stored cursor, fetching only the bytes not stored', async () => {
    const dbs = fresh();
    let writes = 0;
    const hook = () => {
      writes += 1;
      if (writes === 2) throw new Error('app killed mid-import (injected)');
    };
    dbs.cache.entChunks.hook('creating', hook);
    await expect(pull(dbs, watch(dbs))).rejects.toThrow(/killed mid-import/);
    dbs.cache.entChunks.hook('creating').unsubscribe(hook);
    const cursor = (await enterprisesRepo(dbs.cache).state()).cursor;
    expect(Number(cursor)).toBeGreaterThan(0);
    const stored = (await snapshotRepo(dbs.cache).current())!;
    expect(stored.importing).toBe(true);
    const w = watch(dbs);
    let resumedWrites = 0;
    dbs.cache.entChunks.hook('creating', () => {
      resumedWrites += 1;
    });
    expect(await pull(dbs, w)).toBeNull();
    // No byte is fetched twice: the download continues at the stored count.
    expect(w.ranges.length === 0 || w.ranges[0]!.start === stored.received).toBe(true);
    expect(w.ranges.every((r) => r.start >= stored.received)).toBe(true);
    // The member committed before the kill is skipped, not written again.
    expect(resumedWrites).toBe(cleanChunkWrites - 1);
    expect(await endState(dbs)).toEqual(reference);
  });
});
