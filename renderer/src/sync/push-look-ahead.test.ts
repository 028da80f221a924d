/**
 * The push engine asks ahead. The attachments of the next two sendable results are queued while one
 * result is sent, each result's own prepare is asked for before them, every PUT still goes in queue
 * order after its own prepare, a result whose signature is refused is never looked ahead to, and the
 * look-ahead is called off when the drain ends. Receipt polls go out four at a time.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../../shared/protocol/index.js';
import { metaRepo, outboxRepo, resultsRepo } from '../db/index.js';
import type { HttpClient, HttpResult } from '../platform/http.js';
import { disposeDatabases, freshDatabases } from '../testing/builders.js';
import { finalizePassingTasks } from '../testing/inspection.testkit.js';
import { storedSigning } from '../testing/stored-signing.js';
import { createPushEngine } from './push-engine.js';
import type { AttachmentUploader } from './tus-upload.js';

let dbs: ReturnType<typeof freshDatabases>;
/** Everything the engine asked for, in order: `own r1`, `ahead r2`, `PUT r1`. */
const events: string[] = [];
const signals: AbortSignal[] = [];
let putAnswer: (resultId: string) => HttpResult<unknown> | Promise<HttpResult<unknown>>;
let names = new Map<string, string>();
const name = (resultId: string) => names.get(resultId) ?? resultId;

const accepted = (resultId: string, state: Receipt['publication']['state'] = 'accepted'): HttpResult<unknown> => {
  const receipt: Receipt = {
    resultId,
    receivedAt: '2026-05-06T03:00:00Z',
    contentHash: 'a'.repeat(64),
    attachmentHashes: [],
    publication: { state, publishedAt: null, deadline: '2026-06-02' },
    clockSkewFlagged: false,
  };
  return { ok: true, notModified: false, status: 201, etag: null, serverDate: null, value: receipt };
};

const fakeHttp: HttpClient = {
  async request(spec) {
    const resultId = decodeURIComponent(spec.path.split('/')[3] ?? '');
    events.push(`${spec.method} ${name(resultId)}`);
    return (await putAnswer(resultId)) as never;
  },
};

const uploader: AttachmentUploader = {
  async prepare(resultId, opts) {
    events.push(`${opts?.ahead ? 'ahead' : 'own'} ${name(resultId)}`);
    if (opts?.signal) signals.push(opts.signal);
    return { ok: true, refs: [] };
  },
  forget: () => Promise.resolve(),
};

beforeEach(() => {
  dbs = freshDatabases();
  events.length = 0;
  signals.length = 0;
  putAnswer = accepted;
});
afterEach(() => disposeDatabases(dbs));

/** Finalizes n passing results in queue order; they are called r1 … rn in the events. */
async function finalized(n: number): Promise<string[]> {
  const ids = await finalizePassingTasks(dbs, n);
  names = new Map(ids.map((id, i) => [id, `r${i + 1}`]));
  return ids;
}

function engine(refused: readonly string[] = []) {
  return createPushEngine({
    http: fakeHttp,
    outbox: outboxRepo(dbs.field),
    results: resultsRepo(dbs.field),
    deviceId: () => metaRepo(dbs.field).deviceId(),
    now: () => 1_000_000,
    random: () => 0.5,
    uploader,
    signing: {
      ...storedSigning(dbs.field),
      refused: () => Promise.resolve(new Map(refused.map((id) => [id, '内容与签名时不一致']))),
    },
  });
}

describe('looking ahead while a result is sent', () => {
  it('queues the next two results after its own prepare; each PUT after its own prepare, in queue order', async () => {
    await finalized(4);
    expect(await engine().drain()).toMatchObject({ accepted: 4 });
    expect(events).toEqual([
      'own r1',
      'ahead r2',
      'ahead r3',
      'PUT r1',
      'own r2',
      'ahead r4',
      'PUT r2',
      'own r3',
      'PUT r3',
      'own r4',
      'PUT r4',
    ]);
  });

  it('never looks ahead to a result whose signature is refused; the one after it is looked ahead to', async () => {
    const [, second] = await finalized(4);
    expect(await engine([second!]).drain()).toMatchObject({ accepted: 3, paused: true });
    expect(events).toEqual(['own r1', 'ahead r3', 'ahead r4', 'PUT r1', 'own r3', 'PUT r3', 'own r4', 'PUT r4']);
  });

  it('calls the look-ahead off when the drain ends early', async () => {
    await finalized(3);
    putAnswer = () => ({ ok: false, error: { kind: 'network', message: '网络中断' } });
    expect(await engine().drain()).toMatchObject({ accepted: 0, retry: 1 });
    expect(events).toEqual(['own r1', 'ahead r2', 'ahead r3', 'PUT r1']);
    expect(signals.length).toBe(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });
});

describe('receipt polls of a backlog', () => {
  it('four go out before the first is answered; every answer is still handled, in queue order', async () => {
    await finalized(6);
    const e = engine();
    expect(await e.drain()).toMatchObject({ accepted: 6 });
    events.length = 0;
    const release = new Map<string, () => void>();
    putAnswer = async (resultId) => {
      await new Promise<void>((resolve) => release.set(name(resultId), resolve));
      return accepted(resultId, 'published');
    };
    const turn = () => new Promise((resolve) => setTimeout(resolve, 0));
    /** Waits (in turns of the event loop, never in time) until the engine has asked for `id`. */
    const asked = async (id: string) => {
      for (let i = 0; i < 500 && !release.has(id); i += 1) await turn();
      return release.has(id);
    };
    const stateOf = async (i: number) => (await outboxRepo(dbs.field).list())[i]!.state;
    const polled = e.pollReceipts();
    expect(await asked('r4')).toBe(true);
    await turn();
    expect(events).toEqual(['GET r1', 'GET r2', 'GET r3', 'GET r4']);
    release.get('r1')!();
    expect(await asked('r5')).toBe(true);
    expect(events).toEqual(['GET r1', 'GET r2', 'GET r3', 'GET r4', 'GET r5']);
    // r5 answered before r2: it waits its turn.
    release.get('r5')!();
    for (let i = 0; i < 20; i += 1) await turn();
    expect(await stateOf(0)).toBe('published');
    expect(await stateOf(4)).toBe('accepted');
    for (const id of ['r2', 'r3', 'r4', 'r6']) {
      expect(await asked(id)).toBe(true);
      release.get(id)!();
    }
    expect(await polled).toBe(6);
    expect((await outboxRepo(dbs.field).list()).map((o) => o.state)).toEqual(Array(6).fill('published'));
  });
});
