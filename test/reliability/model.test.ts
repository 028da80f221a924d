/**
 * RELIABILITY.md row 25: a model-based test of the upload engine (fast-check `fc.commands` and
 * `fc.scheduler`). Real push engine + real tus-js-client + fake-indexeddb, against an in-memory
 * platform behind a fault-injecting transport (lost requests, lost answers, 503s) with random
 * app crashes (the database connection dies mid-drain; a new engine is built on the same store)
 * and two concurrent sync loops whose answers the scheduler reorders. Invariants: no finalized
 * result is lost; none is accepted or published twice or sent under two keys; every one ends
 * accepted/published or needs review. RELIABILITY_RUNS overrides the number of schedules.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { FieldDb, attachmentsRepo, auditRepo, metaRepo, outboxRepo, resultsRepo } from '../../renderer/src/db/index.js';
import { uploadsRepo } from '../../renderer/src/db/index.js';
import { createHttpClient } from '../../renderer/src/platform/http.js';
import { createPushEngine, type LockLike, type PushEngine } from '../../renderer/src/sync/push-engine.js';
import { createTusUploader } from '../../renderer/src/sync/tus-upload.js';
import { makeTask } from '../../renderer/src/testing/builders.js';
import { FakePlatform } from './fake-platform.js';
import { sha } from './harness.js';

const RUNS = Number(process.env['RELIABILITY_RUNS'] ?? 1000);
type Fault = 'ok' | 'lose-request' | 'lose-answer' | 'unavailable' | 'crash';

class Crashed extends Error {}
const stats: Record<Exclude<Fault, 'ok'>, number> = { 'lose-request': 0, 'lose-answer': 0, unavailable: 0, crash: 0 };

interface World {
  readonly name: string;
  readonly server: FakePlatform;
  db: FieldDb;
  engines: PushEngine[];
  faults: Fault[];
  generation: number;
  finalized: string[];
  tasks: number;
  readonly s: fc.Scheduler;
}

function memoryLocks(): LockLike {
  let tail: Promise<unknown> = Promise.resolve();
  return { request: (_n, cb) => { const run = tail.then(cb, cb); tail = run.catch(() => undefined); return run; } };
}

/** The transport of one app instance: after a crash it never answers again. */
function transport(w: World, generation: number): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    if (w.generation !== generation) throw new Crashed('app is gone');
    const fault = w.faults.shift() ?? 'ok';
    if (fault !== 'ok') stats[fault] += 1;
    if (fault === 'crash') {
      w.generation += 1;
      w.db.close();
      throw new Crashed('app crashed');
    }
    if (fault === 'lose-request') throw new TypeError('connection reset');
    if (fault === 'unavailable') return new Response(JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }), { status: 503, headers: { 'Retry-After': '0' } });
    const res = await w.s.schedule(w.server.handle((init?.method ?? 'GET').toUpperCase(), url, init));
    if (fault === 'lose-answer') throw new TypeError('connection reset after commit');
    return res;
  };
}

function boot(w: World): void {
  w.db = new FieldDb(w.name);
  const generation = w.generation;
  const doFetch = transport(w, generation);
  const locks = memoryLocks();
  const make = () => createPushEngine({
    http: createHttpClient({ baseUrl: () => 'http://fake.invalid', fetch: doFetch, timeoutMs: 60_000 }),
    outbox: outboxRepo(w.db), results: resultsRepo(w.db), deviceId: () => metaRepo(w.db).deviceId(), random: () => 0, locks,
    uploader: createTusUploader({ baseUrl: () => 'http://fake.invalid', fetch: doFetch, tokens: null, uploads: uploadsRepo(w.db), source: attachmentsRepo(w.db), now: () => Date.now() }),
  });
  w.engines = [make(), make()];
}

async function finalize(w: World, photos: number): Promise<void> {
  const task = makeTask(++w.tasks);
  const resultId = `r-${w.tasks}-${Math.random().toString(36).slice(2, 8)}`;
  for (let i = 0; i < photos; i += 1) {
    const data = new TextEncoder().encode(`${resultId}-photo-${i}`);
    await attachmentsRepo(w.db).add({ id: `att-${resultId}-${i}`, resultId, taskId: task.id, kind: 'photo', mime: 'image/jpeg', size: data.length, sha256: sha(data), blob: new Blob([data]), thumbnail: null, fileName: `${i}.jpg`, capturedAt: `2026-05-06T02:00:0${i}Z` });
  }
  const payload = {
    resultId, taskId: task.id, enterpriseUscc: task.enterprise.uscc, inspectedOn: '2026-05-06', startedAt: '2026-05-06T01:00:00Z', finishedAt: '2026-05-06T02:00:00Z',
    inspectorIds: task.team.map((m) => m.inspectorId), itemResults: task.items.map((i) => ({ itemCode: i.code, outcome: 'pass' as const, note: '', finding: null })),
    findings: '', resultCodes: ['NO_PROBLEM' as const], checkMethods: ['ON_SITE' as const], followUps: ['NONE' as const], replaces: null, publicationDeadline: '2026-06-03',
  };
  const contentHash = sha(canonicalJson(payload));
  const audit = await auditRepo(w.db).prepare({ at: payload.finishedAt, kind: 'result.finalized', subjectId: resultId, detail: { contentHash } });
  await resultsRepo(w.db).finalize({ result: { resultId, taskId: task.id, taskVersion: 1, payload, contentHash, finalizedAt: payload.finishedAt }, op: { opId: `op-${resultId}`, enterpriseName: 'x', publicationDeadline: '2026-06-03' }, audit });
  w.finalized.push(resultId);
}

/** Runs an engine call; a crash mid-way rebuilds the app on the same IndexedDB. */
async function guarded(w: World, run: () => Promise<unknown>): Promise<void> {
  const gen = w.generation;
  try {
    await w.s.waitFor(run());
  } catch (e) {
    if (w.generation === gen) throw e;
  }
  if (w.generation !== gen) boot(w);
}

type Cmd = fc.AsyncCommand<object, World>;
const cmd = (name: string, run: (w: World) => Promise<void>): Cmd => ({ check: () => true, run: (_m, w) => run(w), toString: () => name });

const commands = [
  fc.integer({ min: 0, max: 2 }).map((n) => cmd(`finalize(${n} photos)`, (w) => finalize(w, n))),
  fc.array(fc.constantFrom<Fault>('ok', 'ok', 'lose-request', 'lose-answer', 'unavailable', 'crash'), { maxLength: 6 })
    .map((faults) => cmd(`drain twice at once [${faults.join(',')}]`, async (w) => {
      w.faults = [...faults];
      await outboxRepo(w.db).makeAllDue().catch(() => undefined);
      await guarded(w, () => Promise.all(w.engines.map((e) => e.drain())));
      w.faults = [];
    })),
  fc.constant(cmd('poll receipts', (w) => guarded(w, () => w.engines[0]!.pollReceipts()))),
  fc.constant(cmd('platform publishes', async (w) => { w.server.publish(); })),
  fc.nat(20).map((i) => cmd(`cancel task ${i}`, async (w) => { w.server.cancelled.add(`task-${i}`); })),
  fc.nat(20).map((i) => cmd(`platform loses an attachment of result ${i}`, async (w) => {
    const id = w.finalized[i % Math.max(1, w.finalized.length)];
    if (id) w.server.loseAttachment(`att-${id}-0`);
  })),
  fc.constant(cmd('app restarts', async (w) => { w.generation += 1; w.db.close(); boot(w); })),
];

let schedules = 0;
afterAll(() => {
  console.log(`[model] upload engine: ${schedules} generated schedules run; faults fired: ${JSON.stringify(stats)}`);
});

describe('row 25: model-based upload engine', () => {
  it('never loses, never doubles, always ends accepted or needs-review', async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), fc.commands(commands, { maxCommands: 12 }), async (s, cmds) => {
        schedules += 1;
        const w = { name: `model-${schedules}-${Math.random().toString(36).slice(2, 8)}`, server: new FakePlatform(), engines: [], faults: [], generation: 0, finalized: [], tasks: 0, s } as unknown as World;
        boot(w);
        try {
          await finalize(w, 1);
          await fc.asyncModelRun(() => ({ model: {}, real: w }), cmds);
          // Faults stop; the platform heals; the engine must converge.
          for (let round = 0; round < 8; round += 1) {
            await outboxRepo(w.db).makeAllDue();
            await guarded(w, () => w.engines[0]!.drain());
            await guarded(w, () => w.engines[0]!.pollReceipts());
            w.server.publish();
          }
          const ops = await outboxRepo(w.db).list();
          for (const id of w.finalized) {
            expect(await resultsRepo(w.db).get(id), `finalized ${id} lost`).not.toBeNull();
            const op = ops.find((o) => o.resultId === id);
            expect(op?.state, `${id} did not settle`).toMatch(/^(accepted|published|needs_review)$/);
            expect(w.server.accepts.get(id) ?? 0).toBeLessThanOrEqual(1);
            expect(w.server.publications.get(id) ?? 0).toBeLessThanOrEqual(1);
            expect(w.server.keysUsed.get(id)?.size ?? 0).toBeLessThanOrEqual(1);
            if (op?.state === 'accepted' || op?.state === 'published') expect(w.server.results.has(id)).toBe(true);
            if (op?.state === 'needs_review') expect(w.server.cancelled.has(w.server.results.get(id)?.body.taskId ?? '')).toBe(true);
          }
        } finally {
          w.db.close();
          await w.db.delete();
        }
      }),
      { numRuns: RUNS },
    );
    expect(schedules).toBeGreaterThanOrEqual(RUNS);
  }, 120_000);
});
