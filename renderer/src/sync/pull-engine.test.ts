import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enterprisesRepo, quarantineRepo, referenceRepo, syncStateRepo, tasksRepo, draftsRepo } from '../db/index.js';
import type { HttpClient, HttpResult, RequestSpec } from '../platform/http.js';
import { newDraftRow } from '../services/inspection/inspection.service.js';
import {
  disposeDatabases,
  freshDatabases,
  makeEnterprise,
  makeReference,
  makeTask,
  makeUscc,
} from '../testing/builders.js';
import { collectingSink, type TimingSink } from '../credit-files/timing-sink.js';
import { pullAll, type PullDeps } from './pull-engine.js';
import type { PullProgress } from './progress.js';

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

type Route = (spec: RequestSpec<never>) => HttpResult<unknown>;
const okBody = (value: unknown, etag: string | null = null): HttpResult<unknown> => ({
  ok: true,
  notModified: false,
  status: 200,
  etag,
  serverDate: null,
  value,
});
const gone: HttpResult<unknown> = {
  ok: false,
  error: {
    kind: 'http',
    status: 410,
    code: 'CURSOR_EXPIRED',
    message: 'gone',
    retryAfterMs: null,
    serverDate: null,
    missing: [],
  },
};

/** A fake platform: pages served from arrays by cursor; parses with the real schema. */
function platform(routes: { tasks: Route; enterprises: Route; reference?: Route }) {
  const log: string[] = [];
  const http: HttpClient = {
    async request(spec) {
      const cursor = String(spec.query?.cursor ?? '');
      log.push(`${spec.path}?${cursor}`);
      const route =
        spec.path === '/v1/reference'
          ? (routes.reference ?? (() => okBody(makeReference(), '"r1"')))
          : spec.path === '/v1/sync/tasks'
            ? routes.tasks
            : routes.enterprises;
      const res = route(spec as RequestSpec<never>);
      if (!res.ok || res.notModified) return res as never;
      const parsed = spec.schema.safeParse(res.value);
      if (!parsed.success) throw new Error(`test page does not match the envelope: ${parsed.error.message}`);
      return { ...res, value: parsed.data } as never;
    },
  };
  return { http, log };
}

function deps(http: HttpClient, extra: Partial<PullDeps> = {}): PullDeps {
  return {
    http,
    tasks: tasksRepo(dbs.field),
    taskState: syncStateRepo(dbs.field.syncState),
    enterprises: enterprisesRepo(dbs.cache),
    reference: referenceRepo(dbs.cache),
    pageSize: 2,
    now: () => new Date('2026-05-06T02:00:00Z'),
    ...extra,
  };
}
const quarantine = (rows: Parameters<ReturnType<typeof quarantineRepo>['put']>[0]) =>
  quarantineRepo(dbs.cache).put(rows);
const emptyTasks: Route = () => okBody({ changes: [], nextCursor: '0', hasMore: false, total: 0 });

function enterprisePages(count: number, badAt: number[] = []): Route {
  return (spec) => {
    const from = Number(spec.query?.cursor ?? 0);
    const seqs = [from + 1, from + 2].filter((s) => s <= count);
    const changes = seqs.map((s) => ({
      kind: 'upsert',
      seq: s,
      enterprise: badAt.includes(s) ? { ...makeEnterprise(s), region: 'bad' } : makeEnterprise(s),
    }));
    const last = seqs.at(-1) ?? from;
    return okBody({ changes, nextCursor: String(last), hasMore: last < count, total: count });
  };
}

describe('pullAll', () => {
  it('pulls reference, tasks and enterprises page by page with progress', async () => {
    const tasks: Route = () =>
      okBody({ changes: [{ kind: 'upsert', seq: 1, task: makeTask(1) }], nextCursor: '1', hasMore: false, total: 1 });
    const { http } = platform({ tasks, enterprises: enterprisePages(5) });
    const seen: PullProgress[] = [];
    const outcome = await pullAll(deps(http, { onProgress: (p) => seen.push(p) }), quarantine);
    expect(outcome).toEqual({ ok: true, quarantined: 0 });
    expect(await enterprisesRepo(dbs.cache).count()).toBe(5);
    expect(await tasksRepo(dbs.field).count()).toBe(1);
    expect((await referenceRepo(dbs.cache).get())?.etag).toBe('"r1"');
    expect(seen.filter((p) => p.phase === 'enterprises').map((p) => p.done)).toEqual([0, 2, 4, 5]);
    expect(seen.at(-1)?.phase).toBe('done');
  });

  it('reports the credit-file phases to the timing sink it is given, the repo writes included', async () => {
    const totals = collectingSink();
    const phases = new Set<string>();
    const sink: TimingSink = {
      add: (phase, amount) => {
        phases.add(phase);
        totals.add(phase, amount);
      },
    };
    const { http } = platform({ tasks: emptyTasks, enterprises: enterprisePages(5, [3]) });
    const outcome = await pullAll(
      deps(http, { enterprises: enterprisesRepo(dbs.cache, { timings: sink }), timings: sink }),
      quarantine,
    );
    expect(outcome.ok).toBe(true);
    // Three pages of two, two and one lines (one of them quarantined), each written once.
    expect(totals.totals.pages).toBe(3);
    expect(totals.totals.records).toBe(5);
    // Which phases were reported, not how long they took.
    expect([...phases].sort()).toEqual(
      [
        'commitMs',
        'packMs',
        'pages',
        'records',
        'startMs',
        'totalMs',
        'waitMs',
        'writeMs',
        'referenceMs',
        'tasksMs',
        'headMs',
        'dirOpenMs',
        'removalsMs',
        'dirRowsRewritten',
      ].sort(),
    );
  });

  it('asks for the tasks without waiting for the reference data, and opens the credit-file directory meanwhile', async () => {
    const base = platform({ tasks: emptyTasks, enterprises: enterprisePages(3) });
    const repo = enterprisesRepo(dbs.cache);
    let opened = false;
    let tasksAsked = false;
    let whenReferenceAnswered: { tasksAsked: boolean; opened: boolean } | null = null;
    const http: HttpClient = {
      async request(spec) {
        if (spec.path === '/v1/sync/tasks') tasksAsked = true;
        if (spec.path === '/v1/reference') {
          // The reference data answers once both happened, or anyway after a bounded wait (a
          // pull that asks for the tasks only after this answer would otherwise never finish).
          for (let i = 0; i < 200 && !(tasksAsked && opened); i++) await new Promise((r) => setTimeout(r, 1));
          whenReferenceAnswered = { tasksAsked, opened };
        }
        return base.http.request(spec);
      },
    };
    const watched = {
      ...repo,
      openDirectory: () => {
        opened = true;
        return repo.openDirectory();
      },
    };
    expect((await pullAll(deps(http, { enterprises: watched }), quarantine)).ok).toBe(true);
    expect(whenReferenceAnswered).toEqual({ tasksAsked: true, opened: true });
    expect(await repo.count()).toBe(3);
  });

  it('quarantines a bad record with the reason and keeps going', async () => {
    const { http } = platform({ tasks: emptyTasks, enterprises: enterprisePages(4, [2]) });
    const outcome = await pullAll(deps(http), quarantine);
    expect(outcome).toEqual({ ok: true, quarantined: 1 });
    expect(await enterprisesRepo(dbs.cache).count()).toBe(3);
    const [q] = await quarantineRepo(dbs.cache).list();
    expect(q?.key).toBe(`enterprises:${makeUscc(2)}`);
    expect(q?.reason).toContain('region');
  });

  it('resumes from the stored cursor after a crash mid-stream', async () => {
    let fail = true;
    const base = enterprisePages(6);
    const crashing: Route = (spec) => {
      if (spec.query?.cursor === '4' && fail) throw new Error('killed');
      return base(spec);
    };
    const { http, log } = platform({ tasks: emptyTasks, enterprises: crashing });
    await expect(pullAll(deps(http), quarantine)).rejects.toThrow('killed');
    expect((await enterprisesRepo(dbs.cache).state()).cursor).toBe('4');
    fail = false;
    log.length = 0;
    expect((await pullAll(deps(http), quarantine)).ok).toBe(true);
    // The committed pages are not fetched again: the enterprise stream continues at cursor 4.
    expect(log.filter((l) => l.startsWith('/v1/sync/enterprises'))).toEqual(['/v1/sync/enterprises?4']);
    expect(await enterprisesRepo(dbs.cache).count()).toBe(6);
  });

  it('410 restarts only that stream from 0; field data untouched', async () => {
    await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
    await draftsRepo(dbs.field).createIfAbsent(newDraftRow(makeTask(1), new Date()));
    const { http: first } = platform({ tasks: emptyTasks, enterprises: enterprisePages(3) });
    await pullAll(deps(first), quarantine);
    let answered410 = false;
    const base = enterprisePages(2);
    const expiring: Route = (spec) => {
      if (spec.query?.cursor === '3' && !answered410) {
        answered410 = true;
        return gone;
      }
      return base(spec);
    };
    const { http, log } = platform({ tasks: emptyTasks, enterprises: expiring });
    expect((await pullAll(deps(http), quarantine)).ok).toBe(true);
    expect(log.filter((l) => l.startsWith('/v1/sync/enterprises'))).toEqual([
      '/v1/sync/enterprises?3',
      '/v1/sync/enterprises?0',
    ]);
    expect(await enterprisesRepo(dbs.cache).count()).toBe(2); // enterprise 3 left scope during the horizon
    expect(await tasksRepo(dbs.field).count()).toBe(1);
    expect(await draftsRepo(dbs.field).get('task-1')).not.toBeNull();
  });

  it('reports the failing phase and the typed error', async () => {
    const { http } = platform({
      tasks: () => ({ ok: false, error: { kind: 'network', message: 'down' } }),
      enterprises: enterprisePages(1),
    });
    const outcome = await pullAll(deps(http), quarantine);
    expect(outcome).toEqual({ ok: false, phase: 'tasks', error: { kind: 'network', message: 'down' } });
  });

  it('asks for the first credit-file page while the tasks are fetched, and only that one', async () => {
    const base = platform({ tasks: emptyTasks, enterprises: enterprisePages(6) });
    let openTasks: () => void = () => undefined;
    const tasksGate = new Promise<void>((r) => {
      openTasks = r;
    });
    const http: HttpClient = {
      async request(spec) {
        if (spec.path === '/v1/sync/tasks') await tasksGate;
        return base.http.request(spec);
      },
    };
    const done = pullAll(deps(http), quarantine);
    for (let i = 0; i < 50 && !base.log.includes('/v1/sync/enterprises?0'); i++)
      await new Promise((r) => setTimeout(r, 2));
    // The tasks answer has not come yet: one credit-file page is already asked for, no more.
    expect(base.log.filter((l) => l.startsWith('/v1/sync/enterprises'))).toEqual(['/v1/sync/enterprises?0']);
    openTasks();
    expect(await done).toEqual({ ok: true, quarantined: 0 });
    expect(await enterprisesRepo(dbs.cache).count()).toBe(6);
    expect(base.log.filter((l) => l.startsWith('/v1/sync/enterprises'))).toEqual(
      ['0', '2', '4'].map((c) => `/v1/sync/enterprises?${c}`),
    );
  });

  it('drops the early credit-file request when an earlier phase fails', async () => {
    const { http } = platform({
      tasks: emptyTasks,
      enterprises: enterprisePages(1),
      reference: () => ({ ok: false, error: { kind: 'network', message: 'down' } }),
    });
    const signals: AbortSignal[] = [];
    const enterpriseFeed: PullDeps['enterpriseFeed'] = (_cursor, _limit, signal) => {
      if (signal) signals.push(signal);
      return new Promise((resolve) =>
        signal?.addEventListener('abort', () =>
          resolve({ ok: false, error: { kind: 'aborted', message: '同步已取消' } }),
        ),
      );
    };
    expect(await pullAll(deps(http, { enterpriseFeed }), quarantine)).toEqual({
      ok: false,
      phase: 'reference',
      error: { kind: 'network', message: 'down' },
    });
    for (let i = 0; i < 50 && signals.length === 0; i++) await new Promise((r) => setTimeout(r, 2));
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
  });
});
