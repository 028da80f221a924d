/** Auth, the task and enterprise feeds (paging, tombstones, 410, gzip, NDJSON) and reference ETags. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EnterpriseFeedPageSchema,
  ErrorBodySchema,
  ReferenceSchema,
  TaskFeedPageSchema,
  TokensSchema,
} from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { authed, login, startTemp } from './testkit.js';

let h: Harness;
let offsetMs = 0;
let call: ReturnType<typeof authed>;

beforeAll(async () => {
  h = await startTemp({
    faults: true,
    enterprises: 1200,
    invalidRecords: 3,
    tokenTtlSeconds: 60,
    now: () => new Date(Date.now() + offsetMs),
  });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
});
afterAll(() => h.stop());

async function drain(
  cursor: string,
  limit: number,
): Promise<{ seen: Map<string, number>; tombstones: string[]; cursor: string; total: number }> {
  const seen = new Map<string, number>();
  const tombstones: string[] = [];
  let total = 0;
  for (;;) {
    const res = await call(`/v1/sync/enterprises?cursor=${cursor}&limit=${limit}`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    const page = EnterpriseFeedPageSchema.parse(await res.json());
    for (const c of page.changes) {
      if (c.kind === 'upsert') seen.set(c.enterprise.uscc, (seen.get(c.enterprise.uscc) ?? 0) + 1);
      else tombstones.push(c.uscc);
    }
    cursor = page.nextCursor;
    total = page.total;
    if (!page.hasMore) return { seen, tombstones, cursor, total };
  }
}

describe('auth', () => {
  it('rejects a wrong password and a missing token', async () => {
    await expect(login(h.platform.url, h.platform.logins[0]!.certNo, 'wrong')).rejects.toThrow(/401/);
    const res = await fetch(`${h.platform.url}/v1/sync/tasks`);
    expect(res.status).toBe(401);
    expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('UNAUTHORIZED');
  });

  it('answers an expired access token with 401 TOKEN_EXPIRED; refresh rotates the tokens', async () => {
    const session = await login(h.platform.url, h.platform.logins[1]!.certNo);
    offsetMs = 120_000;
    try {
      const expired = await authed(h.platform.url, session.accessToken)('/v1/sync/tasks');
      expect(expired.status).toBe(401);
      expect(ErrorBodySchema.parse(await expired.json()).error.code).toBe('TOKEN_EXPIRED');
      const refresh = (token: string) =>
        fetch(`${h.platform.url}/v1/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken: token }),
        });
      const r1 = await refresh(session.refreshToken);
      expect(r1.status).toBe(200);
      const tokens = TokensSchema.parse(await r1.json());
      expect((await authed(h.platform.url, tokens.accessToken)('/v1/sync/tasks')).status).toBe(200);
      expect((await refresh(session.refreshToken)).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
  });

  it('expire-token fault forces one 401', async () => {
    h.platform.admin.addFault({ kind: 'expire-token', method: 'GET', path: '^/v1/reference$' });
    expect((await call('/v1/reference')).status).toBe(401);
    expect((await call('/v1/reference')).status).toBe(200);
  });
});

describe('enterprise feed', () => {
  it('covers every record exactly once across pages, with total = live records', async () => {
    const { seen, total } = await drain('0', 250);
    expect(seen.size).toBe(1203);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
    expect(total).toBe(1203);
  });

  it('serves NDJSON with a header line', async () => {
    const res = await call('/v1/sync/enterprises?limit=3', { headers: { accept: 'application/x-ndjson' } });
    const lines = (await res.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ nextCursor: '3', hasMore: true });
    expect(lines).toHaveLength(4);
  });

  it('delivers deltas and tombstones after a cursor, then 410 below the horizon', async () => {
    const head = await drain('0', 5000);
    const changed = h.platform.admin.mutateEnterprises(10);
    const removed = h.platform.admin.removeEnterprises(4);
    const delta = await drain(head.cursor, 5000);
    expect([...delta.seen.keys()].sort()).toEqual(changed.filter((u) => !removed.includes(u)).sort());
    expect(delta.tombstones.sort()).toEqual([...removed].sort());
    expect(delta.total).toBe(1203 - 4);
    h.platform.admin.advanceTombstoneHorizon();
    const gone = await call(`/v1/sync/enterprises?cursor=${head.cursor}`);
    expect(gone.status).toBe(410);
    expect(ErrorBodySchema.parse(await gone.json()).error.code).toBe('CURSOR_EXPIRED');
    const restart = await drain('0', 5000);
    expect(restart.seen.size).toBe(1199);
  });

  it('rejects bad paging parameters with 400', async () => {
    expect((await call('/v1/sync/enterprises?limit=5001')).status).toBe(400);
    expect((await call('/v1/sync/enterprises?cursor=abc')).status).toBe(400);
  });
});

describe('tasks feed and reference', () => {
  it("lists the inspector's tasks; a cancelled task comes back as a newer version", async () => {
    const first = TaskFeedPageSchema.parse(await (await call('/v1/sync/tasks')).json());
    expect(first.changes.length).toBeGreaterThanOrEqual(5);
    const victim = first.changes[0]!;
    if (victim.kind !== 'upsert') throw new Error('expected an upsert');
    h.platform.admin.cancelTask(victim.task.id);
    const next = TaskFeedPageSchema.parse(await (await call(`/v1/sync/tasks?cursor=${first.nextCursor}`)).json());
    expect(next.changes).toHaveLength(1);
    const c = next.changes[0]!;
    expect(c.kind === 'upsert' && c.task.status === 'cancelled' && c.task.version === victim.task.version + 1).toBe(
      true,
    );
  });

  it('serves reference data with an ETag and 304 on If-None-Match', async () => {
    const res = await call('/v1/reference');
    const ref = ReferenceSchema.parse(await res.json());
    expect(ref.publicationWorkingDays).toBe(20);
    expect(ref.lenientList.length).toBeGreaterThan(0);
    expect(ref.calendar.workdays).toContain('2026-02-14');
    const etag = res.headers.get('etag') ?? '';
    expect((await call('/v1/reference', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('answers CORS preflight for the app origins only', async () => {
    const pre = await fetch(`${h.platform.url}/v1/results/x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:5173', 'access-control-request-method': 'PUT' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
    const ok = await call('/v1/reference', { headers: { origin: 'app://bundle' } });
    expect(ok.headers.get('access-control-allow-origin')).toBe('app://bundle');
    const evil = await call('/v1/reference', { headers: { origin: 'http://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });
});
