/**
 * One app instance of the model-based upload test and the world around it: the real push engine
 * (two of them, sharing a lock, as two windows would) and the real tus uploader on fake-indexeddb,
 * a transport that records every request in the ledger and then injects the schedule's faults, the
 * in-memory platform behind it, and app crashes (the connection to the database dies mid-drain and
 * a new app is built on the same store).
 */
import 'fake-indexeddb/auto';
import type fc from 'fast-check';
import { canonicalJson } from '../../shared/domain/canonical.js';
import {
  FieldDb,
  attachmentsRepo,
  auditRepo,
  checkpointsRepo,
  deviceKeysRepo,
  metaRepo,
  outboxRepo,
  resultsRepo,
  uploadsRepo,
} from '../../renderer/src/db/index.js';
import { createHttpClient } from '../../renderer/src/platform/http.js';
import { createPushEngine, type LockLike, type PushEngine } from '../../renderer/src/sync/push-engine.js';
import { createTusUploader } from '../../renderer/src/sync/tus-upload.js';
import type { PushSigning } from '../../renderer/src/sync/push-signing.js';
import { createDeviceKeyHolder, type DeviceKeyHolder } from '../../renderer/src/services/devkey/devkey.service.js';
import { makeTask } from '../../renderer/src/testing/builders.js';
import { FakePlatform } from './fake-platform.js';
import { sha } from './harness.js';
import { Ledger } from './model-ledger.js';

export type Fault = 'ok' | 'lose-request' | 'lose-answer' | 'unavailable' | 'crash';
export type FaultStats = Record<Exclude<Fault, 'ok'>, number>;

class Crashed extends Error {}

export interface World {
  readonly name: string;
  readonly server: FakePlatform;
  readonly ledger: Ledger;
  readonly stats: FaultStats;
  readonly s: fc.Scheduler;
  db: FieldDb;
  engines: PushEngine[];
  faults: Fault[];
  generation: number;
  finalized: string[];
  tasks: number;
}

function memoryLocks(): LockLike {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    request: (_n, cb) => {
      const run = tail.then(cb, cb);
      tail = run.catch(() => undefined);
      return run;
    },
  };
}

/** The transport of one app instance: after a crash it never answers again. */
function transport(w: World, generation: number): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (w.generation !== generation) throw new Crashed('app is gone');
    const done = await w.ledger.send(w.db, generation, url, init, (u) => w.server.uploadLive(u));
    let status: number | null = null;
    try {
      if (w.generation !== generation) throw new Crashed('app is gone');
      const fault = w.faults.shift() ?? 'ok';
      if (fault !== 'ok') w.stats[fault] += 1;
      if (fault === 'crash') {
        w.generation += 1;
        w.db.close();
        throw new Crashed('app crashed');
      }
      if (fault === 'lose-request') throw new TypeError('connection reset');
      if (fault === 'unavailable') {
        status = 503;
        return new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }), {
          status,
          headers: { 'Retry-After': '0' },
        });
      }
      const res = await w.s.schedule(w.server.handle((init?.method ?? 'GET').toUpperCase(), url, init));
      if (fault === 'lose-answer') throw new TypeError('connection reset after commit');
      status = res.status;
      return res;
    } finally {
      done(status);
    }
  };
}

/**
 * The device key on the world's store. The in-memory platform checks no signatures (this test is
 * about "at most once"), so registration is answered locally; finalize still signs for real.
 */
function deviceKeyOf(db: FieldDb): DeviceKeyHolder {
  const noPlatform = createHttpClient({
    baseUrl: () => 'http://fake.invalid',
    fetch: () => Promise.reject(new Error('no platform here')),
  });
  return createDeviceKeyHolder({
    keys: deviceKeysRepo(db),
    checkpoints: checkpointsRepo(db),
    meta: metaRepo(db),
    http: noPlatform,
    now: () => new Date(),
  });
}

function localSigning(db: FieldDb): PushSigning {
  return {
    signature: async (resultId) => (await checkpointsRepo(db).get(resultId))?.signature ?? null,
    registered: () => Promise.resolve({ ok: true, keyId: 'dk-model' }),
    refused: () => Promise.resolve(new Map()),
  };
}

/** Starts an app instance on the world's store (a fresh one, or after a crash or restart). */
export async function boot(w: World): Promise<void> {
  w.db = new FieldDb(w.name);
  const doFetch = transport(w, w.generation);
  const locks = memoryLocks();
  const make = () =>
    createPushEngine({
      http: createHttpClient({ baseUrl: () => 'http://fake.invalid', fetch: doFetch, timeoutMs: 60_000 }),
      outbox: outboxRepo(w.db),
      results: resultsRepo(w.db),
      deviceId: () => metaRepo(w.db).deviceId(),
      random: () => 0,
      locks,
      signing: localSigning(w.db),
      uploader: createTusUploader({
        baseUrl: () => 'http://fake.invalid',
        fetch: doFetch,
        tokens: null,
        uploads: uploadsRepo(w.db),
        source: attachmentsRepo(w.db),
        now: () => Date.now(),
      }),
    });
  w.engines = [make(), make()];
  // What a crash must never do: lose an op, add one, or re-key one.
  if (w.generation > 0) await w.ledger.checkRecords(w.db, `after restart #${w.generation}`);
}

export async function newWorld(name: string, s: fc.Scheduler, stats: FaultStats): Promise<World> {
  const w = {
    name,
    s,
    stats,
    server: new FakePlatform(),
    ledger: new Ledger(),
    engines: [],
    faults: [],
    generation: 0,
    finalized: [],
    tasks: 0,
  } as unknown as World;
  await boot(w);
  return w;
}

/** Finalizes a result with `photos` attachments the way the inspection service does: one transaction. */
export async function finalize(w: World, photos: number): Promise<void> {
  const task = makeTask(++w.tasks);
  const resultId = `r-${w.tasks}-${Math.random().toString(36).slice(2, 8)}`;
  for (let i = 0; i < photos; i += 1) {
    const data = new TextEncoder().encode(`${resultId}-photo-${i}`);
    await attachmentsRepo(w.db).add({
      id: `att-${resultId}-${i}`,
      resultId,
      taskId: task.id,
      kind: 'photo',
      mime: 'image/jpeg',
      size: data.length,
      sha256: sha(data),
      blob: new Blob([data]),
      thumbnail: null,
      fileName: `${i}.jpg`,
      capturedAt: `2026-05-06T02:00:0${i}Z`,
    });
  }
  const payload = {
    resultId,
    taskId: task.id,
    enterpriseUscc: task.enterprise.uscc,
    inspectedOn: '2026-05-06',
    startedAt: '2026-05-06T01:00:00Z',
    finishedAt: '2026-05-06T02:00:00Z',
    inspectorIds: task.team.map((m) => m.inspectorId),
    itemResults: task.items.map((i) => ({ itemCode: i.code, outcome: 'pass' as const, note: '', finding: null })),
    findings: '',
    resultCodes: ['NO_PROBLEM' as const],
    checkMethods: ['ON_SITE' as const],
    followUps: ['NONE' as const],
    replaces: null,
    publicationDeadline: '2026-06-03',
  };
  const contentHash = sha(canonicalJson(payload));
  const audit = await auditRepo(w.db).prepare({
    at: payload.finishedAt,
    kind: 'result.finalized',
    subjectId: resultId,
    detail: { contentHash },
  });
  const checkpoint = await deviceKeyOf(w.db).signNext({
    resultId,
    contentHash,
    count: audit.seq,
    headHash: audit.hash,
  });
  await resultsRepo(w.db).finalize({
    result: { resultId, taskId: task.id, taskVersion: 1, payload, contentHash, finalizedAt: payload.finishedAt },
    op: { opId: `op-${resultId}`, enterpriseName: 'x', publicationDeadline: '2026-06-03' },
    audit,
    checkpoint,
  });
  await w.ledger.finalized(w.db, resultId);
  w.finalized.push(resultId);
}

/** Runs an engine call; a crash mid-way rebuilds the app on the same IndexedDB. */
export async function guarded(w: World, run: () => Promise<unknown>): Promise<void> {
  const gen = w.generation;
  try {
    await w.s.waitFor(run());
  } catch (e) {
    if (w.generation === gen) throw e;
  }
  if (w.generation !== gen) await boot(w);
}

/** The app is closed and started again between two commands. */
export async function restart(w: World): Promise<void> {
  w.generation += 1;
  w.db.close();
  await boot(w);
}
