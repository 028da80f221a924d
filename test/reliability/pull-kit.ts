/**
 * Helpers for the interrupted-pull tests: a pull over the real simulator into a
 * separate pair of databases (so a test can "kill" and "restart" the app without touching the
 * rig's own store), a fetch wrapper that remembers each enterprise page's cursor, and the server's
 * own list of live credit files (the truth a finished pull must equal).
 */
import 'fake-indexeddb/auto';
import { z } from 'zod';
import { API, EnterpriseSchema, LoginResponseSchema, feedPageSchema } from '../../shared/protocol/index.js';
import {
  enterprisesRepo,
  openDatabases,
  referenceRepo,
  syncStateRepo,
  tasksRepo,
  type Databases,
} from '../../renderer/src/db/index.js';
import { createHttpClient, type HttpClient, type TokenProvider } from '../../renderer/src/platform/http.js';
import { jsonFeed } from '../../renderer/src/credit-files/download/enterprise-feed.js';
import type { PullDeps } from '../../renderer/src/sync/pull-engine.js';
import type { StartedPlatform } from '../platform/server.js';
import { TEST_CACHE_KEY } from '../../renderer/src/testing/builders.js';

/** A fetch that records the cursor of every enterprise page asked for, and can die on the Nth one. */
export interface CursorFetch {
  readonly cursors: string[];
  /** Throw (like the process dying) when the enterprise page with this 1-based index is requested. */
  dieAtPage: number | null;
  readonly fetch: typeof fetch;
}

export function cursorFetch(): CursorFetch {
  const c: CursorFetch = {
    cursors: [],
    dieAtPage: null,
    fetch: async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.pathname === '/v1/sync/enterprises') {
        c.cursors.push(url.searchParams.get('cursor') ?? '');
        if (c.dieAtPage !== null && c.cursors.length >= c.dieAtPage) throw new TypeError('app killed (injected)');
      }
      return fetch(input, init);
    },
  };
  return c;
}

/** Signs in directly (no app) and hands out the access token. */
export async function tokenFor(platform: StartedPlatform, deviceId = 'dev-pull-kit'): Promise<TokenProvider> {
  const who = platform.logins[0]!;
  const res = await fetch(`${platform.url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ certNo: who.certNo, password: who.password, deviceId, deviceName: 'reliability' }),
  });
  const body = LoginResponseSchema.parse(await res.json());
  return { accessToken: () => body.accessToken, refresh: () => Promise.resolve('rejected') };
}

export function httpFor(platform: StartedPlatform, tokens: TokenProvider, f?: typeof fetch): HttpClient {
  return createHttpClient({ baseUrl: () => platform.url, tokens, ...(f ? { fetch: f } : {}) });
}

export function pullDeps(dbs: Databases, http: HttpClient, extra: Partial<PullDeps> = {}): PullDeps {
  return {
    http,
    tasks: tasksRepo(dbs.field),
    taskState: syncStateRepo(dbs.field.syncState),
    enterprises: enterprisesRepo(dbs.cache),
    reference: referenceRepo(dbs.cache),
    pageSize: 50,
    enterprisePageSize: 50,
    ...extra,
  };
}

/** The app restarting: the old connections closed, new ones opened on the same IndexedDB. */
export function reopen(prefix: string, old: Databases | null): Databases {
  old?.field.close();
  old?.cache.close();
  return openDatabases(prefix, { cacheKey: TEST_CACHE_KEY });
}

/**
 * Every live, schema-valid credit file the server has right now, with its version. Read on its own
 * (the raw JSON pages, checked with zod itself), never through the app's feed and validator.
 */
export async function serverTruth(http: HttpClient): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let cursor = '0';
  for (;;) {
    const res = await http.request({
      method: 'GET',
      path: API.enterprises,
      query: { cursor, limit: 5000 },
      schema: feedPageSchema(z.unknown()),
    });
    if (!res.ok) throw new Error(`server truth: ${res.error.message}`);
    if (res.notModified) return out;
    for (const line of res.value.changes) {
      const v = line as { kind?: string; uscc?: string; enterprise?: unknown } | undefined;
      if (v?.kind === 'tombstone' && v.uscc) out.delete(v.uscc);
      const e = EnterpriseSchema.safeParse(v?.enterprise);
      if (v?.kind === 'upsert' && e.success) out.set(e.data.uscc, e.data.version);
    }
    if (!res.value.hasMore) return out;
    cursor = res.value.nextCursor;
  }
}

export { jsonFeed };
