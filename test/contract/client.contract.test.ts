/**
 * The app's side of the contract: each golden answer is served to the REAL platform client
 * (createHttpClient with the endpoint's shared schema) through an injected fetch, and the client's
 * reading of it is checked against the golden text; answers to PUT /v1/results also go through the
 * push engine's decide() and must lead to what the protocol's "client does" column says.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  API,
  DataKeyResponseSchema,
  LoginRequestSchema,
  PutDataKeyRequestSchema,
  RegisterDeviceKeyRequestSchema,
  RegisterDeviceKeyResponseSchema,
  RefreshRequestSchema,
  ReportRequestSchema,
  ReserveRequestSchema,
  ResultUploadSchema,
  PutDataKeyResponseSchema,
  StationCacheKeyResponseSchema,
  EnterpriseFeedPageSchema,
  LoginResponseSchema,
  PublicResultsResponseSchema,
  ReceiptResponseSchema,
  ReceiptSchema,
  ReferenceSchema,
  RefreshResponseSchema,
  ReportResponseSchema,
  ReserveResponseSchema,
  TaskFeedPageSchema,
  VerifyResponseSchema,
  SNAPSHOT_PATH,
  SnapshotManifestSchema,
} from '../../shared/protocol/index.js';
import { createHttpClient } from '../../renderer/src/platform/http.js';
import type { RequestSpec, TokenProvider } from '../../renderer/src/platform/http.js';
import { decide } from '../../renderer/src/sync/push-answers.js';
import type { Fixture } from './contract-fixtures.js';
import { fill, loadFixtures, pathPattern } from './contract-fixtures.js';

const BASE = 'https://platform.example.gov.cn/api';
const RESULT_ID = 'r-5b0e7c1a-93d2-4f6a-8c1e-2d4b6f8a0c3e';

type Call = Omit<RequestSpec<z.ZodType>, 'signal'>;

/** How the app calls each endpoint: its own path constants and schemas, not the fixture's. */
function callFor(f: Fixture): Call | null {
  const endpoint = f.name.split('/')[0];
  const q = (path: string) => Object.fromEntries(new URL(path, 'http://x').searchParams);
  switch (endpoint) {
    case 'auth':
      return f.request.path === API.login
        ? { method: 'POST', path: API.login, body: {}, schema: LoginResponseSchema, auth: false }
        : { method: 'POST', path: API.refresh, body: {}, schema: RefreshResponseSchema, auth: false };
    case 'tasks':
      return { method: 'GET', path: API.tasks, query: q(f.request.path), schema: TaskFeedPageSchema };
    case 'enterprises':
      return { method: 'GET', path: API.enterprises, query: q(f.request.path), schema: EnterpriseFeedPageSchema };
    case 'reference':
      return {
        method: 'GET',
        path: API.reference,
        schema: ReferenceSchema,
        ifNoneMatch: '"4c1d7e0a9b3f26e85d1a7c4b0e9f3d62"',
      };
    case 'results':
      return { method: 'PUT', path: API.result(RESULT_ID), body: {}, schema: ReceiptSchema, idempotencyKey: 'op-1' };
    case 'receipts':
      return { method: 'GET', path: API.receipt(RESULT_ID), schema: ReceiptResponseSchema };
    case 'doc-numbers':
      return f.request.path === API.reserveNumbers
        ? { method: 'POST', path: API.reserveNumbers, body: {}, schema: ReserveResponseSchema }
        : { method: 'POST', path: API.reportNumbers, body: {}, schema: ReportResponseSchema };
    case 'keys':
      if (f.request.path === API.stationCacheKey)
        return { method: 'GET', path: API.stationCacheKey, schema: StationCacheKeyResponseSchema };
      return f.request.method === 'PUT'
        ? { method: 'PUT', path: API.dataKey, body: {}, schema: PutDataKeyResponseSchema }
        : { method: 'GET', path: API.dataKey, schema: DataKeyResponseSchema };
    case 'public':
      return f.request.path.startsWith('/public/verify')
        ? {
            method: 'GET',
            path: API.verify,
            query: { result: RESULT_ID, hash: 'a'.repeat(64) },
            schema: VerifyResponseSchema,
            auth: false,
          }
        : {
            method: 'GET',
            path: API.publicResults('91350100M000100Y43'),
            schema: PublicResultsResponseSchema,
            auth: false,
          };
    case 'devices':
      return { method: 'POST', path: API.deviceKeys, body: {}, schema: RegisterDeviceKeyResponseSchema };
    case 'snapshots':
      // The file itself is read with Range by the snapshot downloader, not this client.
      return f.request.path === SNAPSHOT_PATH
        ? { method: 'GET', path: SNAPSHOT_PATH, schema: SnapshotManifestSchema }
        : null;
    default:
      // Uploads go through the tus client, not this one; the platform side covers them.
      return null;
  }
}

/** The protocol's "client does" column for PUT /v1/results answers, as decide() actions. */
const PUSH_ACTION: Readonly<Record<string, 'review' | 'retry' | 'pause'>> = {
  'put-409-result-conflict': 'review',
  'put-409-result-conflict-task': 'review',
  'put-409-task-cancelled': 'review',
  'put-409-task-reassigned': 'review',
  'put-409-attachments-missing': 'retry',
  'put-409-in-flight': 'retry',
  'put-422-validation': 'review',
  'put-422-key-reused': 'review',
  'put-422-task-mismatch': 'review',
  'put-403-not-your-task': 'review',
  'put-403-device-revoked': 'pause',
  // What remains after the engine registered the key again and resent once.
  'put-403-device-key-unregistered': 'review',
  'put-422-signature-invalid': 'review',
  'put-401-token-expired': 'pause',
  'put-413': 'review',
  'put-429': 'retry',
  'put-503': 'retry',
  'put-500': 'retry',
};

function serve(f: Fixture, seen: { method: string; url: string }[]): typeof fetch {
  return (input, init) => {
    seen.push({ method: init?.method ?? 'GET', url: String(input) });
    const noBody = f.response.status === 204 || f.response.status === 304 || f.response.body === null;
    const body = noBody ? null : JSON.stringify(f.response.body);
    const headers = { ...f.response.headers, ...(noBody ? {} : { 'content-type': 'application/json' }) };
    return Promise.resolve(new Response(body, { status: f.response.status, headers }));
  };
}

/** Signed in; a refresh is refused (the refresh token expired too), and counted. */
function refusingTokens(): TokenProvider & { refreshes: number } {
  const t = {
    refreshes: 0,
    accessToken: () => 'token-of-the-test-0123456789',
    refresh: () => {
      t.refreshes += 1;
      return Promise.resolve('rejected' as const);
    },
  };
  return t;
}
const fixtures = loadFixtures();

describe('the app client reads every golden answer as the protocol says', () => {
  it('has fixtures for every endpoint', () => {
    const endpoints = new Set(fixtures.map((f) => f.name.split('/')[0]));
    expect([...endpoints].sort()).toEqual(
      [
        'auth',
        'devices',
        'doc-numbers',
        'enterprises',
        'keys',
        'public',
        'receipts',
        'reference',
        'results',
        'snapshots',
        'tasks',
        'uploads',
      ].sort(),
    );
  });

  for (const f of fixtures) {
    const call = callFor(f);
    if (!call) continue;
    it(`${f.name} (${f.source})`, async () => {
      const seen: { method: string; url: string }[] = [];
      const tokens = refusingTokens();
      const client = createHttpClient({ baseUrl: () => BASE, fetch: serve(f, seen), tokens });
      const res = await client.request(call);

      // The app sends the method and path the golden request names (under the configured prefix).
      const sent = new URL(seen[0]?.url ?? '');
      expect(seen[0]?.method).toBe(f.request.method);
      expect(decodeURIComponent(sent.pathname.replace(/^\/api/, '') + sent.search)).toMatch(
        pathPattern(f.request.path),
      );

      const { status, headers, body } = f.response;
      if (status === 304) {
        expect(res).toMatchObject({ ok: true, notModified: true, etag: headers.etag });
      } else if (status < 300) {
        if (!res.ok || res.notModified) throw new Error(`expected a value, got ${JSON.stringify(res)}`);
        // Parsed with the app's schema, the value is the golden body: no field renamed or dropped.
        expect(res.value).toEqual(body);
        expect(res.status).toBe(status);
        if (headers.etag) expect(res.etag).toBe(headers.etag);
      } else {
        if (res.ok) throw new Error(`expected an error, got ${JSON.stringify(res)}`);
        const golden = (body as { error: { code: string; missing?: string[]; details?: unknown } }).error;
        if (status === 401 && call.auth !== false) {
          // One refresh, refused here: the user must sign in again, and nothing is resent.
          expect(res.error.kind).toBe('session-expired');
          expect(tokens.refreshes).toBe(1);
          expect(seen).toHaveLength(1);
        } else
          expect(res.error).toMatchObject({
            kind: 'http',
            status,
            code: golden.code,
            missing: golden.missing ?? [],
            retryAfterMs: headers['retry-after'] ? Number(headers['retry-after']) * 1000 : null,
          });
        if (golden.details !== undefined && res.error.kind === 'http')
          expect(res.error.details).toEqual(golden.details);
      }

      if (f.name.startsWith('results/')) {
        const action = PUSH_ACTION[f.name.slice('results/'.length)];
        if (res.ok) {
          expect(action).toBeUndefined();
          return;
        }
        const decision = decide(res.error, 0, () => 0.5);
        expect(decision.action).toBe(action);
        const accepted = (body as { error?: { details?: { acceptedResultId?: string } } }).error?.details
          ?.acceptedResultId;
        if (accepted !== undefined) expect(decision).toMatchObject({ conflictWith: accepted });
        if (decision.action === 'retry' && headers['retry-after'] && (status === 429 || status === 503))
          expect(decision.delayMs).toBe(Number(headers['retry-after']) * 1000);
      }
    });
  }
});

describe('after a 401 the client refreshes once and resends the same request', () => {
  it('uses the same idempotency key and the new token, and reads the golden receipt', async () => {
    const expired = fixtures.find((f) => f.name === 'results/put-401-token-expired');
    const accepted = fixtures.find((f) => f.name === 'results/put-201');
    if (!expired || !accepted) throw new Error('golden files for the 401 and 201 answers are missing');
    const sent: Headers[] = [];
    const answers = [expired, accepted];
    const fetchFn: typeof fetch = (_input, init) => {
      sent.push(new Headers(init?.headers));
      const f = answers[sent.length - 1];
      if (!f) throw new Error('more requests than answers');
      return serve(f, [])(_input, init);
    };
    let token = 'token-before-refresh-0123456789';
    const client = createHttpClient({
      baseUrl: () => BASE,
      fetch: fetchFn,
      tokens: {
        accessToken: () => token,
        refresh: () => {
          token = 'token-after-refresh-0123456789';
          return Promise.resolve('refreshed');
        },
      },
    });
    const res = await client.request({
      method: 'PUT',
      path: API.result(RESULT_ID),
      body: {},
      schema: ReceiptSchema,
      idempotencyKey: 'op-2026-0612-0001',
    });
    expect(res).toMatchObject({ ok: true, status: 201, value: accepted.response.body });
    expect(sent.map((h) => h.get('idempotency-key'))).toEqual(['op-2026-0612-0001', 'op-2026-0612-0001']);
    expect(sent.map((h) => h.get('authorization'))).toEqual([
      'Bearer token-before-refresh-0123456789',
      'Bearer token-after-refresh-0123456789',
    ]);
  });
});

/** The app's schemas for the bodies it sends, by golden request. */
function requestSchemaFor(f: Fixture): z.ZodType | null {
  const { method, path } = f.request;
  if (path === API.login) return LoginRequestSchema;
  if (path === API.refresh) return RefreshRequestSchema;
  if (path === API.reserveNumbers) return ReserveRequestSchema;
  if (path === API.reportNumbers) return ReportRequestSchema;
  if (path === API.dataKey && method === 'PUT') return PutDataKeyRequestSchema;
  if (path === API.deviceKeys && method === 'POST') return RegisterDeviceKeyRequestSchema;
  if (method === 'PUT' && path.startsWith('/v1/results/') && typeof f.request.body === 'object')
    return ResultUploadSchema;
  return null;
}

/** Golden requests whose body itself breaks the protocol (the app must refuse to build them too). */
const INVALID_BODIES: ReadonlySet<string> = new Set(['auth/login-422']);

// Stand-ins for values only the running simulator knows.
const SAMPLE = {
  certNo: '35010021000123',
  password: 'demo1234',
  refreshToken: 'Zr5Tq8Wm2Xn9Pv4Ks7Lb1Hc6Jd3Gf0aY',
  serial: 3,
  taskId: 'task-2026-0412',
  taskVersion: 3,
  resultId: 'r-5b0e7c1a-93d2-4f6a-8c1e-2d4b6f8a0c3e',
  uscc: '91350100M000100Y43',
  inspectorIds: ['insp-0001', 'insp-0002'],
  itemCode: 'SP-XS-001',
  contentHash: '9f2b5d8a1c3f0a6c1e9b2d4a7c8e5f1b3d6a9c2e4f7b0d3a6c9e1f4b7d0a3c6e',
  keyId: 'dk-3f9c2a71-5e0b-4d8a-9c1e-7b2d4f6a8c0e',
  // An Ed25519 signature and public key as they travel: 64 and 32 bytes, unpadded base64url.
  signature: Buffer.alloc(64, 9).toString('base64url'),
  publicKey: Buffer.alloc(32, 5).toString('base64url'),
};

describe('the app accepts every golden request body the protocol allows', () => {
  for (const f of fixtures) {
    const schema = requestSchemaFor(f);
    if (!schema) continue;
    it(`${f.name} request (${f.source})`, () => {
      const parsed = schema.safeParse(fill(f.request.body, SAMPLE));
      expect(parsed.success, parsed.error?.message).toBe(!INVALID_BODIES.has(f.name));
    });
  }
});
