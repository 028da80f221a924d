/**
 * The pull engine fed with the golden pages: reference data (200 then 304), the tasks feed (an
 * upsert and a tombstone) and the enterprise feed (a full record, then 410 and a restart from 0),
 * through the real platform client and IndexedDB repositories. What lands on the device must be
 * what the golden text says.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  enterprisesRepo,
  quarantineRepo,
  referenceRepo,
  syncStateRepo,
  tasksRepo,
} from '../../renderer/src/db/index.js';
import { createHttpClient } from '../../renderer/src/platform/http.js';
import { pullAll } from '../../renderer/src/sync/pull-engine.js';
import type { PullDeps } from '../../renderer/src/sync/pull-engine.js';
import { disposeDatabases, freshDatabases } from '../../renderer/src/testing/builders.js';
import type { Fixture } from './contract-fixtures.js';
import { loadFixtures } from './contract-fixtures.js';

const golden = new Map(loadFixtures().map((f) => [f.name, f]));
function fixture(name: string): Fixture {
  const f = golden.get(name);
  if (!f) throw new Error(`golden file ${name} is missing`);
  return f;
}

/** The last page after a golden one: nothing more, same cursor. */
function lastPage(after: Fixture): Fixture {
  const body = after.response.body as { nextCursor: string; total: number };
  return {
    ...after,
    response: {
      status: 200,
      headers: {},
      body: { changes: [], nextCursor: body.nextCursor, hasMore: false, total: body.total },
    },
  };
}

type Answer = (url: URL, headers: Headers) => Fixture;

function platform(answer: Answer): { fetch: typeof fetch; log: string[] } {
  const log: string[] = [];
  return {
    log,
    fetch: (input, init) => {
      const url = new URL(String(input));
      log.push(`${url.pathname}?${url.searchParams.get('cursor') ?? ''}`);
      const f = answer(url, new Headers(init?.headers));
      const { status, headers, body } = f.response;
      const text = body === null ? null : JSON.stringify(body);
      return Promise.resolve(
        new Response(text, {
          status,
          headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
        }),
      );
    },
  };
}

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(() => {
  dbs = freshDatabases();
});
afterEach(() => disposeDatabases(dbs));

function deps(fetchFn: typeof fetch): PullDeps {
  return {
    http: createHttpClient({ baseUrl: () => 'https://platform.example.gov.cn', fetch: fetchFn }),
    tasks: tasksRepo(dbs.field),
    taskState: syncStateRepo(dbs.field.syncState),
    enterprises: enterprisesRepo(dbs.cache),
    reference: referenceRepo(dbs.cache),
    pageSize: 100,
    now: () => new Date('2026-06-12T01:30:00Z'),
  };
}
const quarantine = (rows: Parameters<ReturnType<typeof quarantineRepo>['put']>[0]) =>
  quarantineRepo(dbs.cache).put(rows);

describe('the pull engine stores what the golden pages say', () => {
  it('applies reference, tasks and credit files, then honours 304 and restarts the enterprise stream on 410', async () => {
    const tasks = fixture('tasks/feed-200');
    const ents = fixture('enterprises/feed-200');
    let expireOnce = false;
    const first: Answer = (url, headers) => {
      if (url.pathname === '/v1/reference')
        return headers.get('if-none-match') ? fixture('reference/get-304') : fixture('reference/get-200');
      const cursor = url.searchParams.get('cursor') ?? '0';
      if (url.pathname === '/v1/sync/tasks') return cursor === '0' ? tasks : lastPage(tasks);
      if (expireOnce && cursor !== '0') {
        expireOnce = false;
        return fixture('enterprises/feed-410');
      }
      return cursor === '0' ? ents : lastPage(ents);
    };
    const { fetch: f1, log } = platform(first);
    expect(await pullAll(deps(f1), quarantine)).toEqual({ ok: true, quarantined: 0 });

    const goldenTask = (tasks.response.body as { changes: { task?: { id: string; version: number } }[] }).changes[0]!
      .task!;
    expect((await tasksRepo(dbs.field).get(goldenTask.id))?.task).toMatchObject(goldenTask);
    expect(await tasksRepo(dbs.field).count()).toBe(1);
    const goldenEnt = (ents.response.body as { changes: { enterprise: { uscc: string } }[] }).changes[0]!.enterprise;
    expect(await enterprisesRepo(dbs.cache).get(goldenEnt.uscc)).toMatchObject(goldenEnt);
    const ref = await referenceRepo(dbs.cache).get();
    expect(ref?.etag).toBe(fixture('reference/get-200').response.headers.etag);
    expect(ref?.reference).toEqual(fixture('reference/get-200').response.body);

    expireOnce = true;
    log.length = 0;
    expect(await pullAll(deps(f1), quarantine)).toEqual({ ok: true, quarantined: 0 });
    // 304 kept the stored reference; the 410 sent only the enterprise stream back to 0.
    expect((await referenceRepo(dbs.cache).get())?.reference).toEqual(fixture('reference/get-200').response.body);
    expect(log.filter((l) => l.startsWith('/v1/sync/enterprises'))).toEqual([
      '/v1/sync/enterprises?1',
      '/v1/sync/enterprises?0',
      '/v1/sync/enterprises?1',
    ]);
    expect(log.filter((l) => l.startsWith('/v1/sync/tasks'))).toEqual(['/v1/sync/tasks?42']);
    expect(await enterprisesRepo(dbs.cache).get(goldenEnt.uscc)).toMatchObject(goldenEnt);
  });
});
