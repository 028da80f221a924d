/**
 * Fetching one page of the compacted enterprise feed. The app asks for NDJSON (gzip on the wire,
 * decoded by the browser): a header line, then one change per line, parsed as the body streams in
 * (the header as soon as it arrives, so the next page can be asked for). Each line is parsed on its own,
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

export interface PageHeader {
  readonly nextCursor: string;
  readonly hasMore: boolean;
  readonly total: number;
}

export type PageResult = { readonly ok: true; readonly page: RawEnterprisePage } | { readonly ok: false; readonly error: HttpError };
/**
 * Fetches one page. `onHeader` (optional) is called as soon as the page's header is known — for
 * NDJSON, when its first line arrives, while the records still stream — so the caller can ask for
 * the next page early. It is only a hint: the page's result carries the same header.
 */
export type EnterpriseFeedFetcher = (cursor: string, limit: number, signal?: AbortSignal, onHeader?: (header: PageHeader) => void) => Promise<PageResult>;

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

/**
 * Reads an NDJSON page as it arrives: the header line first (handed to `onHeader` at once), then
 * each line JSON-parsed as soon as it is complete, so parsing overlaps the download. A line that is
 * not JSON is kept with `value: undefined` (quarantined later); an invalid header fails the page.
 */
export class NdjsonPageReader {
  private rest = '';
  private first = true;
  private header: PageHeader | null = null;
  private readonly lines: RawLine[] = [];

  constructor(private readonly onHeader?: (header: PageHeader) => void) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl));
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }

  end(): RawEnterprisePage | null {
    if (this.rest.length > 0) this.line(this.rest);
    this.rest = '';
    return this.header ? { lines: this.lines, ...this.header } : null;
  }

  private line(text: string): void {
    if (this.first) {
      this.first = false;
      try {
        const parsed = HeaderSchema.safeParse(JSON.parse(text));
        this.header = parsed.success ? parsed.data : null;
      } catch {
        this.header = null;
      }
      if (this.header) this.onHeader?.(this.header);
      return;
    }
    if (!this.header || text.length === 0) return;
    try {
      this.lines.push({ value: JSON.parse(text) as unknown, text });
    } catch {
      this.lines.push({ value: undefined, text });
    }
  }
}

export function parseNdjson(body: string): RawEnterprisePage | null {
  const reader = new NdjsonPageReader();
  reader.push(body);
  return reader.end();
}

/** Streams the body through the reader (decoding UTF-8 as it comes); returns the time spent parsing. */
async function readNdjson(res: Response, reader: NdjsonPageReader): Promise<number> {
  let parseMs = 0;
  const feed = (text: string) => {
    const t = performance.now();
    reader.push(text);
    parseMs += performance.now() - t;
  };
  if (!res.body) {
    feed(await res.text());
    return parseMs;
  }
  const decoder = new TextDecoder();
  const stream = res.body.getReader();
  for (;;) {
    const { done, value } = await stream.read();
    if (done) break;
    timings.bytes += value.byteLength;
    feed(decoder.decode(value, { stream: true }));
  }
  feed(decoder.decode());
  return parseMs;
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
  async function once(cursor: string, limit: number, signal?: AbortSignal, onHeader?: (header: PageHeader) => void): Promise<PageResult | 'unauthorized'> {
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
      if (res.status === 401) {
        await res.body?.cancel();
        return 'unauthorized';
      }
      if (!res.ok) return { ok: false, error: httpError(res, await res.text()) };
      const reader = new NdjsonPageReader(onHeader);
      const parseMs = await readNdjson(res, reader);
      const page = reader.end();
      timings.responseMs += t1 - t0;
      timings.bodyMs += performance.now() - t1 - parseMs;
      timings.parseMs += parseMs;
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
  return async (cursor, limit, signal, onHeader) => {
    const first = await once(cursor, limit, signal, onHeader);
    if (first !== 'unauthorized') return first;
    const outcome = await o.tokens.refresh();
    if (outcome !== 'refreshed') return { ok: false, error: outcome === 'rejected' ? { kind: 'session-expired', message: '登录已过期，请重新登录' } : { kind: 'network', message: '无法刷新登录状态' } };
    const second = await once(cursor, limit, signal, onHeader);
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
