/**
 * HTTP client for the platform API: fetch with an AbortController timeout, every body parsed with
 * the shared zod schemas, errors mapped to a typed union (status, error code, Retry-After, the
 * server's Date). With a token provider, a 401 triggers one refresh and the SAME request (same
 * headers, same Idempotency-Key) is sent once more.
 */
import type { z } from 'zod';
import { ErrorBodySchema, platformEndpoint, type ErrorCode } from '../../../shared/protocol/index.js';

export type HttpError =
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'timeout'; readonly message: string }
  | { readonly kind: 'aborted'; readonly message: string }
  /** The refresh after a 401 failed: the user must sign in again. */
  | { readonly kind: 'session-expired'; readonly message: string }
  | {
      readonly kind: 'http';
      readonly status: number;
      readonly code: ErrorCode | null;
      readonly message: string;
      readonly retryAfterMs: number | null;
      readonly serverDate: string | null;
      readonly missing: readonly string[];
      /** The error body's `details`, unparsed (e.g. the accepted result a RESULT_CONFLICT names). */
      readonly details?: unknown;
    }
  | { readonly kind: 'invalid-response'; readonly status: number; readonly message: string };

export interface HttpMeta {
  readonly status: number;
  readonly etag: string | null;
  readonly serverDate: string | null;
}
export type HttpResult<T> =
  | ({ readonly ok: true; readonly notModified: false; readonly value: T } & HttpMeta)
  | ({ readonly ok: true; readonly notModified: true } & HttpMeta)
  | { readonly ok: false; readonly error: HttpError };

export interface RequestSpec<S extends z.ZodType> {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number>>;
  readonly body?: unknown;
  readonly schema: S;
  readonly idempotencyKey?: string;
  readonly ifNoneMatch?: string | null;
  /** Send the bearer token (default true). */
  readonly auth?: boolean;
  readonly signal?: AbortSignal;
}

export type RefreshOutcome = 'refreshed' | 'rejected' | 'unreachable';

export interface TokenProvider {
  accessToken(): string | null;
  /**
   * One refresh. 'rejected': the refresh token was refused or is missing (sign in again);
   * 'unreachable': the platform could not be asked (a transient failure, retry later).
   */
  refresh(): Promise<RefreshOutcome>;
}

export interface HttpClientOptions {
  readonly baseUrl: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  readonly tokens?: TokenProvider;
}

export interface HttpClient {
  request<S extends z.ZodType>(spec: RequestSpec<S>): Promise<HttpResult<z.infer<S>>>;
}

/** Retry-After as seconds or an HTTP date (relative to the server's own Date when given). */
export function parseRetryAfter(value: string | null, serverDate: string | null): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  const now = serverDate ? Date.parse(serverDate) : Date.now();
  return Math.max(0, at - (Number.isNaN(now) ? Date.now() : now));
}

function buildUrl(base: string, path: string, query?: Readonly<Record<string, string | number>>): string {
  const url = new URL(platformEndpoint(base, path));
  for (const [k, v] of Object.entries(query ?? {})) url.searchParams.set(k, String(v));
  return url.toString();
}

async function readJson(res: Response): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    const text = await res.text();
    return { ok: true, value: text.length === 0 ? null : (JSON.parse(text) as unknown) };
  } catch {
    return { ok: false };
  }
}

async function toHttpError(res: Response): Promise<HttpError> {
  const serverDate = res.headers.get('date');
  const json = await readJson(res);
  const parsed = json.ok ? ErrorBodySchema.safeParse(json.value) : null;
  const body = parsed?.success ? parsed.data.error : null;
  return {
    kind: 'http',
    status: res.status,
    code: body?.code ?? null,
    message: body?.message ?? `HTTP ${res.status}`,
    retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), serverDate),
    serverDate,
    missing: body?.missing ?? [],
    details: body?.details,
  };
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 30_000;

  async function send<S extends z.ZodType>(
    spec: RequestSpec<S>,
    headers: Record<string, string>,
  ): Promise<HttpResult<z.infer<S>>> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort();
    spec.signal?.addEventListener('abort', onAbort);
    try {
      // An abort that came before this call fires no event: such a request is never sent.
      if (spec.signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '请求已取消' } };
      const init: RequestInit = { method: spec.method, headers, signal: controller.signal };
      if (spec.body !== undefined) init.body = JSON.stringify(spec.body);
      const res = await doFetch(buildUrl(options.baseUrl(), spec.path, spec.query), init);
      const meta = { status: res.status, etag: res.headers.get('etag'), serverDate: res.headers.get('date') };
      if (res.status === 304) return { ok: true, notModified: true, ...meta };
      if (!res.ok) return { ok: false, error: await toHttpError(res) };
      const json = await readJson(res);
      if (!json.ok)
        return {
          ok: false,
          error: { kind: 'invalid-response', status: res.status, message: '平台返回的内容不是有效的 JSON' },
        };
      const parsed = spec.schema.safeParse(json.value);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first ? `${first.path.join('.')}: ${first.message}` : '';
        return {
          ok: false,
          error: { kind: 'invalid-response', status: res.status, message: `平台返回的数据格式不符合协议（${where}）` },
        };
      }
      return { ok: true, notModified: false, value: parsed.data as z.infer<S>, ...meta };
    } catch (e) {
      if (timedOut)
        return { ok: false, error: { kind: 'timeout', message: `请求超时（${Math.round(timeoutMs / 1000)} 秒）` } };
      if (spec.signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '请求已取消' } };
      return {
        ok: false,
        error: { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` },
      };
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
  }

  return {
    async request(spec) {
      const useAuth = spec.auth !== false && options.tokens !== undefined;
      const headers = (): Record<string, string> => {
        const h: Record<string, string> = { accept: 'application/json' };
        if (spec.body !== undefined) h['content-type'] = 'application/json';
        if (spec.idempotencyKey) h['idempotency-key'] = spec.idempotencyKey;
        if (spec.ifNoneMatch) h['if-none-match'] = spec.ifNoneMatch;
        const token = useAuth ? options.tokens?.accessToken() : null;
        if (token) h.authorization = `Bearer ${token}`;
        return h;
      };
      const first = await send(spec, headers());
      if (first.ok || !useAuth || first.error.kind !== 'http' || first.error.status !== 401) return first;
      const refreshed = await options.tokens?.refresh();
      if (refreshed === 'unreachable')
        return { ok: false, error: { kind: 'network', message: '刷新登录凭据时无法连接监管平台' } };
      if (refreshed !== 'refreshed')
        return { ok: false, error: { kind: 'session-expired', message: '登录已过期，请重新登录' } };
      return send(spec, headers());
    },
  };
}
