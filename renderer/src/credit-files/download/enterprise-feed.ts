/**
 * Fetching one page of the compacted enterprise feed. The app asks for NDJSON (gzip on the wire,
 * decoded by the browser): a header line, then one change per line. The body is read as bytes:
 * each line is cut at its newline byte and validated as soon as it is complete
 * (the header at once, so the next page can be asked for), and a valid record is kept as the very
 * bytes it arrived in — no re-serialization, no re-encoding of 200k records. A line that is not
 * even JSON is quarantined alone. Tests and tools without NDJSON use the JSON body through the
 * shared HttpClient. Both shapes end as the same PreparedPage.
 */
import { z } from 'zod';
import { API, ErrorBodySchema, feedPageSchema } from '../../../../shared/protocol/index.js';
import type { HttpClient, HttpError, TokenProvider } from '../../platform/http.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import {
  PageHeaderSchema,
  PagePreparer,
  prepareValues,
  type PageHeader,
  type PreparedPage,
} from '../import/enterprise-prepare.js';
import { sealPageChunks, type SealContext } from '../import/enterprise-seal.js';

export type { PageHeader, PreparedPage } from '../import/enterprise-prepare.js';

/**
 * Records per enterprise page in the app: the platform's maximum (~7 MB before gzip). Measured at
 * 200k records: fewer, larger pages mean fewer requests and transactions for the same bytes.
 */
export const ENTERPRISE_PAGE_SIZE = 5000;

export type PageResult =
  { readonly ok: true; readonly page: PreparedPage } | { readonly ok: false; readonly error: HttpError };
/**
 * Fetches and prepares one page. `onHeader` (optional) is called as soon as the page's header is
 * known — for NDJSON, when its first line arrives, while the records still stream — so the caller
 * can ask for the next page early. It is only a hint: the page's result carries the same header.
 * `at` stamps the quarantined lines (defaults to now). `chunkBase`: the first of the chunk ids the
 * pull reserved for this page; a fetcher that holds the station key seals the page's chunks under
 * them (a fetcher without one leaves sealing to the write).
 */
export type EnterpriseFeedFetcher = (
  cursor: string,
  limit: number,
  signal?: AbortSignal,
  onHeader?: (header: PageHeader) => void,
  at?: string,
  chunkBase?: number,
) => Promise<PageResult>;

const LoosePageSchema = feedPageSchema(z.unknown());

/** The JSON-body path over the shared client (tests, tools). */
export function jsonFeed(http: HttpClient): EnterpriseFeedFetcher {
  return async (cursor, limit, signal, _onHeader, at) => {
    const res = await http.request({
      method: 'GET',
      path: API.enterprises,
      query: { cursor, limit },
      schema: LoosePageSchema,
      ...(signal ? { signal } : {}),
    });
    if (!res.ok) return res;
    const stamp = at ?? new Date().toISOString();
    if (res.notModified)
      return { ok: true, page: prepareValues([], { nextCursor: cursor, hasMore: false, total: 0 }, stamp) };
    const { changes, nextCursor, hasMore, total } = res.value;
    return { ok: true, page: prepareValues(changes, { nextCursor, hasMore, total }, stamp) };
  };
}

/** One line as received: its parsed value (undefined when not JSON), bytes and text. */
export type LineSink = (value: unknown, raw: Uint8Array, text: string) => void;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.byteLength;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Reads an NDJSON page as its bytes arrive: the header line first (handed to `onHeader` at once),
 * then each line as soon as it is complete. An invalid header fails the page (`end()` returns null).
 *
 * Lines are cut at their newline bytes; 0x0A is never part of a multi-byte UTF-8 sequence, so a
 * character split between network chunks is never cut. Each record line is offered to `fast` as
 * bytes first (the schema-compiled byte validator: most lines are accepted there and never decoded
 * or parsed). A line it does not accept is decoded, JSON-parsed and handed to `sink`, which finds
 * the reason. The text is what one streaming TextDecoder over the body would give: only the body's
 * first line loses a leading BOM, and ill-formed bytes become U+FFFD.
 */
export class NdjsonPageReader {
  private pending: Uint8Array[] = [];
  private first = true;
  private header: PageHeader | null = null;
  /** Record lines keep a U+FEFF at their start (a stream decoder strips it only at the body's start). */
  private readonly lineDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

  constructor(
    private readonly sink: LineSink,
    private readonly onHeader?: (header: PageHeader) => void,
    private readonly fast?: (raw: Uint8Array) => boolean,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const tail = chunk.subarray(start, nl);
      if (this.pending.length > 0) {
        this.pending.push(tail);
        this.line(concat(this.pending));
        this.pending = [];
      } else this.line(tail);
      start = nl + 1;
    }
    if (start < chunk.byteLength) this.pending.push(chunk.subarray(start));
  }

  end(): PageHeader | null {
    if (this.pending.length > 0) this.line(concat(this.pending));
    this.pending = [];
    return this.header;
  }

  private line(bytes: Uint8Array): void {
    if (this.first) {
      this.first = false;
      try {
        const parsed = PageHeaderSchema.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
        this.header = parsed.success ? parsed.data : null;
      } catch {
        this.header = null;
      }
      if (this.header) this.onHeader?.(this.header);
      return;
    }
    if (!this.header || bytes.byteLength === 0 || (bytes.byteLength === 1 && bytes[0] === 13)) return;
    if (this.fast?.(bytes)) return;
    const text = this.lineDecoder.decode(bytes);
    let value: unknown;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      value = undefined;
    }
    this.sink(value, bytes, text);
  }
}

/** A whole NDJSON body prepared at once (tests). */
export function parseNdjson(body: Uint8Array | string, at = new Date().toISOString()): PreparedPage | null {
  const prep = new PagePreparer(at);
  const reader = new NdjsonPageReader(
    (v, raw, text) => prep.add(v, raw, text),
    undefined,
    (raw) => prep.addBytes(raw),
  );
  reader.push(typeof body === 'string' ? new TextEncoder().encode(body) : body);
  const header = reader.end();
  return header ? prep.finish(header) : null;
}

/** Streams the body through the reader; returns the time spent in it (decode, parse, validate). */
async function readNdjson(res: Response, reader: NdjsonPageReader, timings: TimingSink): Promise<number> {
  let readMs = 0;
  const feed = (bytes: Uint8Array) => {
    const t = performance.now();
    reader.push(bytes);
    readMs += performance.now() - t;
  };
  if (!res.body) {
    feed(new Uint8Array(await res.arrayBuffer()));
    return readMs;
  }
  const stream = res.body.getReader();
  for (;;) {
    const { done, value } = await stream.read();
    if (done) break;
    timings.add('bytes', value.byteLength);
    feed(value);
  }
  return readMs;
}

export interface NdjsonFeedOptions {
  readonly baseUrl: () => string;
  readonly tokens: TokenProvider;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** Seal each page's chunks here (the station key and the cache database's name). */
  readonly seal?: SealContext | null;
  /** Where the time of each phase goes (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
}

/** One attempt at a page with the current access token; a 401 is handed back, not handled. */
export type PageAttempt = (
  cursor: string,
  limit: number,
  signal?: AbortSignal,
  onHeader?: (header: PageHeader) => void,
  at?: string,
  chunkBase?: number,
) => Promise<PageResult | 'unauthorized'>;

/** The NDJSON path (the pull worker): one GET per page, a 401 refreshes once and resends. */
export function ndjsonFeed(o: NdjsonFeedOptions): EnterpriseFeedFetcher {
  return withRefresh(ndjsonPageAttempt(o), o.tokens);
}

/** One NDJSON GET, read and prepared as it streams (what a feed worker runs for the pull worker). */
export function ndjsonPageAttempt(o: NdjsonFeedOptions): PageAttempt {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timings = o.timings ?? NO_TIMINGS;
  return async function once(cursor, limit, signal, onHeader, at, chunkBase) {
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
      const res = await doFetch(url.toString(), {
        headers: { Accept: 'application/x-ndjson', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        signal: controller.signal,
      });
      const t1 = performance.now();
      if (res.status === 401) {
        await res.body?.cancel();
        return 'unauthorized';
      }
      if (!res.ok) return { ok: false, error: httpError(res, await res.text()) };
      const prep = new PagePreparer(at ?? new Date().toISOString());
      const reader = new NdjsonPageReader(
        (v, raw, text) => prep.add(v, raw, text),
        onHeader,
        (raw) => prep.addBytes(raw),
      );
      const readMs = await readNdjson(res, reader, timings);
      const header = reader.end();
      timings.add('responseMs', t1 - t0);
      timings.add('bodyMs', performance.now() - t1 - readMs);
      // The reader's time less the validation inside it: decoding and JSON.parse.
      timings.add('parseMs', readMs - prep.validateMs);
      timings.add('validateMs', prep.validateMs);
      if (!header)
        return {
          ok: false,
          error: { kind: 'invalid-response', status: res.status, message: '企业档案分页的首行不符合协议' },
        };
      const page = prep.finish(header);
      if (!o.seal || chunkBase === undefined) return { ok: true, page };
      const s0 = performance.now();
      const sealed = await sealPageChunks(page, o.seal, chunkBase, limit);
      timings.add('sealMs', performance.now() - s0);
      return { ok: true, page: { ...page, sealed } };
    } catch (e) {
      if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
      if (controller.signal.aborted) return { ok: false, error: { kind: 'timeout', message: '下载企业档案超时' } };
      return {
        ok: false,
        error: { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` },
      };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
}

/** A 401 refreshes the session once (single-flight in the app) and resends with the new token. */
export function withRefresh(once: PageAttempt, tokens: TokenProvider): EnterpriseFeedFetcher {
  return async (cursor, limit, signal, onHeader, at, chunkBase) => {
    const first = await once(cursor, limit, signal, onHeader, at, chunkBase);
    if (first !== 'unauthorized') return first;
    const outcome = await tokens.refresh();
    if (outcome !== 'refreshed')
      return {
        ok: false,
        error:
          outcome === 'rejected'
            ? { kind: 'session-expired', message: '登录已过期，请重新登录' }
            : { kind: 'network', message: '无法刷新登录状态' },
      };
    const second = await once(cursor, limit, signal, onHeader, at, chunkBase);
    return second === 'unauthorized'
      ? { ok: false, error: { kind: 'session-expired', message: '登录已过期，请重新登录' } }
      : second;
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
    kind: 'http',
    status: res.status,
    code: parsed?.error.code ?? null,
    message: parsed?.error.message ?? `HTTP ${res.status}`,
    retryAfterMs: null,
    serverDate: res.headers.get('date'),
    missing: [],
  };
}
