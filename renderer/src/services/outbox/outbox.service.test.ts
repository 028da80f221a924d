import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tasksRepo } from '../../db/index.js';
import type { Receipt, ResultUpload } from '../../../../shared/protocol/index.js';
import { disposeDatabases, freshDatabases, makeTask, testAdapter, testServices } from '../../testing/builders.js';
import { createTestLogKey } from '../../testing/signed-receipt.js';
import { manualNetwork } from '../network/network.service.js';
import { DRAIN_INTERVAL_MS } from './outbox.service.js';
import { signDraft } from '../../testing/inspection.testkit.js';

let dbs: ReturnType<typeof freshDatabases>;
let clock = Date.parse('2026-05-06T02:00:00Z');
const puts: string[] = [];
let answers: number[] = [];

/** tus for the signature attachments (finalizing requires signatures): accepted whole, not counted. */
async function fakeTus(method: string, init: RequestInit | undefined): Promise<Response> {
  const headers = new Headers(init?.headers);
  const size = Number(headers.get('Upload-Length') ?? 0);
  if (method === 'POST')
    return new Response(null, {
      status: 201,
      headers: { Location: `http://p.test/v1/uploads/u${puts.length}-${size}`, 'Tus-Resumable': '1.0.0' },
    });
  const body =
    init?.body instanceof Blob ? init.body.size : init?.body instanceof Uint8Array ? init.body.byteLength : 0;
  return new Response(null, {
    status: 204,
    headers: { 'Upload-Offset': String(Number(headers.get('Upload-Offset') ?? 0) + body), 'Tus-Resumable': '1.0.0' },
  });
}

const logKey = await createTestLogKey();
/** Receipts by result id: a receipt poll answers the one the PUT got. */
const issued = new Map<string, Receipt>();

const fakeFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  // The device key is registered before the first upload.
  if (init?.method === 'POST' && new URL(url).pathname === '/v1/devices/keys')
    return new Response(
      JSON.stringify({
        keyId: 'dk-1',
        deviceId: 'dev-1',
        alg: 'sha256+ed25519',
        created: true,
        registeredAt: '2026-05-06T02:00:00Z',
      }),
      { status: 201 },
    );
  if (init?.method !== 'PUT' && init?.method !== 'GET') return fakeTus(init?.method ?? 'GET', init);
  puts.push(`${init?.method} ${url}`);
  const status = answers.shift() ?? 201;
  if (status !== 201) return new Response(JSON.stringify({ error: { code: 'INTERNAL', message: 'boom' } }), { status });
  const resultId = decodeURIComponent(new URL(url).pathname.split('/')[3] ?? '');
  if (init.method === 'PUT') {
    const up = JSON.parse(String(init.body)) as ResultUpload;
    issued.set(
      resultId,
      await logKey.receiptFor(up, {
        resultId,
        receivedAt: '2026-05-06T02:00:00Z',
        contentHash: up.contentHash,
        attachmentHashes: up.attachments.map((a) => ({ id: a.id, sha256: a.sha256 })),
        publication: { state: 'accepted', publishedAt: null, deadline: '2026-06-02' },
        clockSkewFlagged: false,
      }),
    );
  }
  const receipt = issued.get(resultId);
  if (!receipt) return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'none' } }), { status: 404 });
  return new Response(JSON.stringify(receipt), { status: init.method === 'PUT' ? 201 : 200 });
};

async function settle(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i += 1) await new Promise((r) => setTimeout(r, 5));
}

beforeEach(async () => {
  dbs = freshDatabases();
  puts.length = 0;
  answers = [];
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
});
afterEach(async () => {
  vi.useRealTimers();
  await disposeDatabases(dbs);
});

describe('outbox schedule', () => {
  it('drains on reconnect and retries on the timer after a backoff', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const network = manualNetwork(false);
    const s = testServices(dbs, {
      adapter: {
        ...testAdapter(),
        config: async () => ({ ...(await testAdapter().config()), platformLogKey: logKey.verifierKey }),
      },
      fetch: fakeFetch,
      network,
      background: true,
      now: () => new Date(clock),
      random: () => 0.5,
    });
    s.internals.runtime.setBaseUrl('http://p.test');
    await s.internals.runtime.tokens.set({
      accessToken: 'a'.repeat(20),
      refreshToken: 'r'.repeat(20),
      expiresIn: 3600,
      serverTime: '2026-05-06T02:00:00Z',
    });
    const d = await s.inspection.openDraft('task-1');
    await s.inspection.saveDraft(
      await signDraft(s.inspection, {
        ...d,
        items: d.items.map((i) => ({ ...i, outcome: 'na' })),
        resultCodes: ['NO_ACTIVITY'],
        checkMethods: ['ON_SITE'],
      }),
    );
    expect((await s.inspection.finalize('task-1')).ok).toBe(true);

    answers = [500];
    network.set(true); // reconnect: every waiting op is due now
    await settle(async () => (await s.outbox.list())[0]?.lastError !== null);
    const [afterFail] = await s.outbox.list();
    expect(afterFail).toMatchObject({ state: 'waiting', attempts: 1 });
    expect(puts.filter((p) => p.startsWith('PUT'))).toHaveLength(1);

    vi.advanceTimersByTime(DRAIN_INTERVAL_MS); // still inside the backoff window: nothing sent
    await new Promise((r) => setTimeout(r, 50)); // let the interval's drain run to completion
    expect(puts.filter((p) => p.startsWith('PUT'))).toHaveLength(1);

    clock += 1000;
    vi.advanceTimersByTime(DRAIN_INTERVAL_MS);
    await settle(async () => (await s.outbox.list())[0]?.state === 'accepted');
    expect((await s.outbox.list())[0]?.state).toBe('accepted');
    expect(puts.filter((p) => p.startsWith('PUT'))).toHaveLength(2);
    s.internals.stop();
  });
});
