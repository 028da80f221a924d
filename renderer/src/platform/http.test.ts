import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHttpClient, parseRetryAfter, type TokenProvider } from './http.js';

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function fakeFetch(responses: (() => Response | Promise<Response>)[], seen: Seen[]): typeof fetch {
  return async (input, init) => {
    seen.push({
      url: String(input),
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    });
    const next = responses.shift();
    if (!next) throw new TypeError('fetch failed');
    return next();
  };
}
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const Schema = z.object({ n: z.number() });

function tokens(refreshOk: boolean): TokenProvider & { refreshes: number } {
  let token = 'old-token';
  const t = {
    refreshes: 0,
    accessToken: () => token,
    refresh: async () => {
      t.refreshes += 1;
      if (refreshOk) token = 'new-token';
      return refreshOk ? ('refreshed' as const) : ('rejected' as const);
    },
  };
  return t;
}

describe('http client', () => {
  it('parses the body with the schema', async () => {
    const seen: Seen[] = [];
    const c = createHttpClient({
      baseUrl: () => 'http://p.test',
      fetch: fakeFetch([json(200, { n: 1 }, { etag: '"e"' })], seen),
    });
    const r = await c.request({ method: 'GET', path: '/v1/x', query: { cursor: '5' }, schema: Schema, auth: false });
    expect(r).toMatchObject({ ok: true, value: { n: 1 }, etag: '"e"' });
    expect(seen[0]?.url).toBe('http://p.test/v1/x?cursor=5');
  });

  it('never sends a request whose signal was aborted before the call', async () => {
    const seen: Seen[] = [];
    const c = createHttpClient({ baseUrl: () => 'http://p.test', fetch: fakeFetch([json(200, { n: 1 })], seen) });
    const controller = new AbortController();
    controller.abort();
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: Schema, signal: controller.signal, auth: false });
    expect(r.ok ? null : r.error.kind).toBe('aborted');
    expect(seen).toEqual([]);
  });

  it('maps a body that breaks the protocol to invalid-response', async () => {
    const c = createHttpClient({ baseUrl: () => 'http://p.test', fetch: fakeFetch([json(200, { n: 'x' })], []) });
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: Schema });
    expect(r.ok ? null : r.error.kind).toBe('invalid-response');
  });

  it('maps error bodies, Retry-After and the server Date', async () => {
    const c = createHttpClient({
      baseUrl: () => 'http://p.test',
      fetch: fakeFetch(
        [
          json(
            429,
            { error: { code: 'RATE_LIMITED', message: '太快了' } },
            { 'retry-after': '7', date: 'Wed, 06 May 2026 02:00:00 GMT' },
          ),
        ],
        [],
      ),
    });
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: Schema });
    expect(r.ok ? null : r.error).toEqual({
      kind: 'http',
      status: 429,
      code: 'RATE_LIMITED',
      message: '太快了',
      retryAfterMs: 7000,
      serverDate: 'Wed, 06 May 2026 02:00:00 GMT',
      missing: [],
    });
  });

  it('on 401 refreshes once and resends the same request with the same Idempotency-Key', async () => {
    const seen: Seen[] = [];
    const t = tokens(true);
    const c = createHttpClient({
      baseUrl: () => 'http://p.test',
      tokens: t,
      fetch: fakeFetch([json(401, { error: { code: 'TOKEN_EXPIRED', message: 'x' } }), json(201, { n: 2 })], seen),
    });
    const r = await c.request({
      method: 'PUT',
      path: '/v1/results/r1',
      body: { a: 1 },
      schema: Schema,
      idempotencyKey: 'op-1',
    });
    expect(r.ok).toBe(true);
    expect(t.refreshes).toBe(1);
    expect(seen.map((s) => [s.headers['idempotency-key'], s.headers.authorization, s.body])).toEqual([
      ['op-1', 'Bearer old-token', '{"a":1}'],
      ['op-1', 'Bearer new-token', '{"a":1}'],
    ]);
  });

  it('a failed refresh ends in session-expired without a second send', async () => {
    const seen: Seen[] = [];
    const t = tokens(false);
    const c = createHttpClient({ baseUrl: () => 'http://p.test', tokens: t, fetch: fakeFetch([json(401, {})], seen) });
    const r = await c.request({
      method: 'PUT',
      path: '/v1/results/r1',
      body: {},
      schema: Schema,
      idempotencyKey: 'op-1',
    });
    expect(r.ok ? null : r.error.kind).toBe('session-expired');
    expect(seen).toHaveLength(1);
  });

  it('times out with the AbortController', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    const c = createHttpClient({ baseUrl: () => 'http://p.test', fetch: never, timeoutMs: 5 });
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: Schema });
    expect(r.ok ? null : r.error.kind).toBe('timeout');
  });

  it('reports network errors', async () => {
    const c = createHttpClient({ baseUrl: () => 'http://p.test', fetch: fakeFetch([], []) });
    const r = await c.request({ method: 'GET', path: '/v1/x', schema: Schema });
    expect(r.ok ? null : r.error.kind).toBe('network');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates relative to the server clock', () => {
    expect(parseRetryAfter('3', null)).toBe(3000);
    expect(parseRetryAfter('Wed, 06 May 2026 02:00:10 GMT', 'Wed, 06 May 2026 02:00:00 GMT')).toBe(10_000);
    expect(parseRetryAfter('soon', null)).toBeNull();
  });
});
