/**
 * Main's own HTTP calls to the platform: the password login and the token refresh. Only to an
 * https URL (plain http only to this machine, the demo platform), never following redirects (a
 * password must not be re-posted to wherever a redirect points), every body parsed with the
 * shared protocol schemas.
 */
import {
  API,
  platformEndpoint,
  LoginResponseSchema,
  RefreshResponseSchema,
  type LoginRequest,
  type LoginResponse,
  type Tokens,
} from '../../../shared/protocol/index.js';
import type { z } from 'zod';
import { isAllowedPlatformUrl } from '../trusted-url.js';

export type PlatformCallError = {
  /** refused: 401/403; unreachable: network, timeout, 429, 5xx; invalid: anything else. */
  readonly kind: 'refused' | 'unreachable' | 'invalid';
  readonly message: string;
};
export type PlatformCall<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PlatformCallError };

export interface PlatformAuthClient {
  login(request: LoginRequest): Promise<PlatformCall<LoginResponse>>;
  refresh(refreshToken: string): Promise<PlatformCall<Tokens>>;
}

export interface PlatformAuthClientOptions {
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export function createPlatformAuthClient(options: PlatformAuthClientOptions): PlatformAuthClient {
  if (!isAllowedPlatformUrl(options.baseUrl)) {
    // The config loader refuses such URLs already; reaching here is a wiring bug.
    throw new Error(`platform URL must be https (http only to this machine): ${options.baseUrl}`);
  }
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function post<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<PlatformCall<z.infer<S>>> {
    let res: Response;
    try {
      // Resolved exactly as the renderer's HTTP client does, so both reach the same endpoints.
      res = await doFetch(platformEndpoint(options.baseUrl, path), {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      return fail(
        'unreachable',
        timedOut ? `连接监管平台超时（${Math.round(timeoutMs / 1000)} 秒）` : '无法连接监管平台',
      );
    }
    if (res.status === 401 || res.status === 403)
      return fail('refused', `监管平台拒绝了登录凭据（HTTP ${res.status}）`);
    if (res.status === 429 || res.status >= 500) return fail('unreachable', `监管平台暂时不可用（HTTP ${res.status}）`);
    if (!res.ok) return fail('invalid', `监管平台返回错误（HTTP ${res.status}）`);
    let json: unknown;
    try {
      json = JSON.parse(await res.text());
    } catch {
      return fail('invalid', '监管平台返回的内容不是有效的 JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      return fail(
        'invalid',
        `监管平台返回的数据格式不符合协议（${first ? `${first.path.join('.')}: ${first.message}` : ''}）`,
      );
    }
    return { ok: true, value: parsed.data };
  }

  return {
    login: (request) => post(API.login, request, LoginResponseSchema),
    refresh: (refreshToken) => post(API.refresh, { refreshToken }, RefreshResponseSchema),
  };
}

function fail(kind: PlatformCallError['kind'], message: string): { ok: false; error: PlatformCallError } {
  return { ok: false, error: { kind, message } };
}
