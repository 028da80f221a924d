/**
 * Fetching one page of the compacted enterprise feed. The app asks for NDJSON (gzip on the wire,
 * decoded by the browser): a header line, then one change per line. Each line is parsed on its own,
 * so a line that is not even JSON is quarantined alone, and the line's text is stored as received
 * (no re-serialization of 200k records). Tests and tools without NDJSON use the JSON body through
 * the shared HttpClient. Both shapes end as the same RawEnterprisePage.
 */
import { z } from 'zod';
import { API, CursorSchema, ErrorBodySchema, feedPageSchema } from '../../../shared/protocol/index.js';
import type { HttpClient, HttpError, TokenProvider } from '../platform/http.js';
import { timings } from './enterprise-timings.js';

/**
 * Records per enterprise page in the app: the platform's maximum (~7 MB before gzip). Measured at
 * 200k records: fewer, larger pages mean fewer requests and transactions for the same bytes.
 */
export const ENTERPRISE_PAGE_SIZE = 5000;

export interface RawLine {
  /** The parsed line, or undefined when it was not JSON. */
  readonly value: unknown;
  /** The line as received (NDJSON), or null when the page came as one JSON body. */
  readonly text: string | null;
}

export interface RawEnterprisePage {
  readonly lines: readonly RawLine[];
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly total: number;
}

export type PageResult = { readonly ok: true; readonly page: RawEnterprisePage } | { readonly ok: false; readonly error: HttpError };
export type EnterpriseFeedFetcher = (cursor: string, limit: number, signal?: AbortSignal) => Promise<PageResult>;

const HeaderSchema = z.object({ nextCursor: CursorSchema, hasMore: z.boolean(), total: z.number().int().nonnegative() });
const LoosePageSchema = feedPageSchema(z.unknown());

/** The JSON-body path over the shared client (tests, tools). */
export function jsonFeed(http: HttpClient): EnterpriseFeedFetcher {
  return async (cursor, limit, signal) => {
    const res = await http.request({ method: 'GET', path: API.enterprises, query: { cursor, limit }, schema: LoosePageSchema, ...(signal ? { signal } : {}) });
    if (!res.ok) return res;
    if (res.notModified) return { ok: true, page: { lines: [], nextCursor: cursor, hasMore: false, total: 0 } };
    const { changes, nextCursor, hasMore, total } = res.value;
    return { ok: true, page: { lines: changes.map((value) => ({ value, text: null })), nextCursor, hasMore, total } };
  };
}

export function parseNdjson(body: string): RawEnterprisePage | null {
  const lines = body.split('\n');
  let header: z.infer<typeof HeaderSchema> | null = null;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(lines[0] ?? ''));
    header = parsed.success ? parsed.data : null;
  } catch {
    header = null;
  }
  if (!header) return null;
  const out: RawLine[] = [];
  for (let i = 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.length === 0) continue;
    try {
      out.push({ value: JSON.parse(text) as unknown, text });
    } catch {
      out.push({ value: undefined, text });
    }
  }
  return { lines: out, ...header };
}

export interface NdjsonFeedOptions {
  readonly baseUrl: () => string;
  readonly tokens: TokenProvider;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** The NDJSON path (the worker): one GET per page, a 401 refreshes once and resends. */
export function ndjsonFeed(o: NdjsonFeedOptions): EnterpriseFeedFetcher {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  async function once(cursor: string, limit: number, signal?: AbortSignal): Promise<PageResult | 'unauthorized'> {
    const url = new URL(API.enterprises, o.baseUrl().endsWith('/') ? o.baseUrl() : `${o.baseUrl()}/`);
    url.searchParams.set('cursor', cursor);
    url.searchParams.set('limit', String(limit));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), o.timeoutMs ?? 120_000);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      const token = o.tokens.accessToken();
      const t0 = performance.now();
      const res = await doFetch(url.toString(), { headers: { Accept: 'application/x-ndjson', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, signal: controller.signal });
      const t1 = performance.now();
      const body = await res.text();
      const t2 = performance.now();
      if (res.status === 401) return 'unauthorized';
      if (!res.ok) return { ok: false, error: httpError(res, body) };
      const page = parseNdjson(body);
      timings.responseMs += t1 - t0;
      timings.bodyMs += t2 - t1;
      timings.parseMs += performance.now() - t2;
      timings.bytes += body.length;
      return page ? { ok: true, page } : { ok: false, error: { kind: 'invalid-response', status: res.status, message: '企业档案分页的首行不符合协议' } };
    } catch (e) {
      if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
      if (controller.signal.aborted) return { ok: false, error: { kind: 'timeout', message: '下载企业档案超时' } };
      return { ok: false, error: { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` } };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
  return async (cursor, limit, signal) => {
    const first = await once(cursor, limit, signal);
    if (first !== 'unauthorized') return first;
    const outcome = await o.tokens.refresh();
    if (outcome !== 'refreshed') return { ok: false, error: outcome === 'rejected' ? { kind: 'session-expired', message: '登录已过期，请重新登录' } : { kind: 'network', message: '无法刷新登录状态' } };
    const second = await once(cursor, limit, signal);
    return second === 'unauthorized' ? { ok: false, error: { kind: 'session-expired', message: '登录已过期，请重新登录' } } : second;
  };
}

function httpError(res: Response, body: string): HttpError {
  let parsed: z.infer<typeof ErrorBodySchema> | null = null;
  try {
    const r = ErrorBodySchema.safeParse(JSON.parse(body));
    parsed = r.success ? r.data : null;
  } catch {
    parsed = null;
  }
  return {
    kind: 'http', status: res.status, code: parsed?.error.code ?? null, message: parsed?.error.message ?? `HTTP ${res.status}`,
    retryAfterMs: null, serverDate: res.headers.get('date'), missing: [],
  };
}
