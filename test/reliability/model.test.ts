/**
 * A model-based test of the upload engine (fast-check `fc.commands` and `fc.scheduler`): the real
 * push engine and tus uploader on fake-indexeddb against an in-memory platform, behind a transport
 * that loses requests and answers and returns 503s, with random app crashes and two concurrent sync
 * loops whose answers the scheduler reorders.
 *
 * Invariants: no finalized result is lost; every one ends accepted, published or needing review; and
 * nothing is uploaded twice. "Twice" is judged on the client's own side: every request it sent (one
 * key and one body per result, the key on its op before the first send, no re-send of a settled op,
 * no second tus upload while the first is resumable, nothing sent twice at once) and its own records
 * (one op per result for its whole life, across crashes; receipts stored alike everywhere). The
 * platform's counts are checked too, with replays under a new key counted as second acceptances.
 * RELIABILITY_RUNS overrides the number of schedules (default 1000).
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { outboxRepo, resultsRepo } from '../../renderer/src/db/index.js';
import { finalize, guarded, newWorld, restart, type Fault, type FaultStats, type World } from './model-world.js';

const RUNS = Number(process.env['RELIABILITY_RUNS'] ?? 1000);
// The timeout only guards against a hang, so it grows with the number of schedules; a schedule
// takes ~20 ms here, and a shared, loaded machine can be several times slower.
const TIMEOUT_MS = Math.max(120_000, RUNS * 150);

const stats: FaultStats = { 'lose-request': 0, 'lose-answer': 0, unavailable: 0, crash: 0 };
const phases = { setup: 0, commands: 0, converge: 0, teardown: 0 };

type Cmd = fc.AsyncCommand<object, World>;
const cmd = (name: string, run: (w: World) => Promise<void>): Cmd => ({
  check: () => true,
  run: (_m, w) => run(w),
  toString: () => name,
});

const commands = [
  fc.integer({ min: 0, max: 2 }).map((n) => cmd(`finalize(${n} photos)`, (w) => finalize(w, n))),
  fc
    .array(fc.constantFrom<Fault>('ok', 'ok', 'lose-request', 'lose-answer', 'unavailable', 'crash'), { maxLength: 6 })
    .map((faults) =>
      cmd(`drain twice at once [${faults.join(',')}]`, async (w) => {
        w.faults = [...faults];
        await outboxRepo(w.db).makeAllDue();
        await guarded(w, () => Promise.all(w.engines.map((e) => e.drain())));
        w.faults = [];
      }),
    ),
  fc.constant(cmd('poll receipts', (w) => guarded(w, () => w.engines[0]!.pollReceipts()))),
  fc.constant(
    cmd('platform publishes', async (w) => {
      w.server.publish();
    }),
  ),
  fc.nat(20).map((i) =>
    cmd(`cancel task ${i}`, async (w) => {
      w.server.cancelled.add(`task-${i}`);
    }),
  ),
  fc.nat(20).map((i) =>
    cmd(`platform loses an attachment of result ${i}`, async (w) => {
      const id = w.finalized[i % Math.max(1, w.finalized.length)];
      if (id) w.server.loseAttachment(`att-${id}-0`);
    }),
  ),
  fc.constant(cmd('app restarts', restart)),
];

/** Faults stop and the platform heals: the engine must settle every op within a few rounds. */
async function converge(w: World): Promise<void> {
  for (let round = 0; round < 8; round += 1) {
    await outboxRepo(w.db).makeAllDue();
    await guarded(w, () => w.engines[0]!.drain());
    await guarded(w, () => w.engines[0]!.pollReceipts());
    w.server.publish();
    // Published and needs-review ops are final: further rounds would send nothing.
    if ((await outboxRepo(w.db).list()).every((o) => o.state === 'published' || o.state === 'needs_review')) return;
  }
}

async function checkEnd(w: World): Promise<void> {
  const ops = await outboxRepo(w.db).list();
  await w.ledger.checkRecords(w.db, 'at the end');
  expect(w.ledger.violations, `the client sent or stored something twice (${w.ledger.sent.length} requests)`).toEqual(
    [],
  );
  for (const id of w.finalized) {
    expect(await resultsRepo(w.db).get(id), `finalized ${id} lost`).not.toBeNull();
    const op = ops.find((o) => o.resultId === id);
    expect(op?.state, `${id} did not settle`).toMatch(/^(accepted|published|needs_review)$/);
    expect(w.server.accepts.get(id) ?? 0, `${id} accepted under several keys`).toBeLessThanOrEqual(1);
    expect(w.server.publications.get(id) ?? 0, `${id} published twice`).toBeLessThanOrEqual(1);
    expect(w.server.keysUsed.get(id)?.size ?? 0, `${id} reached the platform under several keys`).toBeLessThanOrEqual(
      1,
    );
    expect(w.server.keyReused.get(id) ?? 0, `${id}'s key was reused with another body`).toBe(0);
    if (op?.state === 'accepted' || op?.state === 'published') expect(w.server.results.has(id)).toBe(true);
    if (op?.state === 'needs_review')
      expect(w.server.cancelled.has(w.server.results.get(id)?.body.taskId ?? '')).toBe(true);
  }
}

let schedules = 0;
const cpuAtStart = process.cpuUsage();
afterAll(() => {
  const cpu = process.cpuUsage(cpuAtStart);
  const ms = Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round(v)]));
  console.log(
    `[model] upload engine: ${schedules} generated schedules run; faults fired: ${JSON.stringify(stats)}; wall ms by phase: ${JSON.stringify(ms)}; cpu ms: ${Math.round((cpu.user + cpu.system) / 1000)}`,
  );
});

describe('model-based upload engine', () => {
  it(
    'never loses a result, never uploads one twice or under two keys, always ends accepted or needs-review',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), fc.commands(commands, { maxCommands: 12 }), async (s, cmds) => {
          schedules += 1;
          let t = performance.now();
          const lap = (phase: keyof typeof phases) => {
            const now = performance.now();
            phases[phase] += now - t;
            t = now;
          };
          const w = await newWorld(`model-${schedules}-${Math.random().toString(36).slice(2, 8)}`, s, stats);
          try {
            await finalize(w, 1);
            lap('setup');
            await fc.asyncModelRun(() => ({ model: {}, real: w }), cmds);
            lap('commands');
            await converge(w);
            await checkEnd(w);
            lap('converge');
          } finally {
            w.db.close();
            await w.db.delete();
            lap('teardown');
          }
        }),
        { numRuns: RUNS },
      );
      expect(schedules).toBeGreaterThanOrEqual(RUNS);
    },
    TIMEOUT_MS,
  );
});
