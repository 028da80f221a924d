/**
 * Writes the whole demo dataset into an empty database in ONE transaction with prepared batch
 * inserts: enterprises (one with a bad check character, N invalid records), inspectors, plans,
 * tasks and their draws. Reproducible from (seed, count, today).
 */
import { randomBytes } from 'node:crypto';
import { chinaDate } from '../../../shared/domain/dates.js';
import type { Db } from '../db.js';
import { setMeta } from '../db.js';
import { createRng } from './prng.js';
import { breakCheckChar, generateUsccs, makeEnterprise, makeInvalidRecord } from './enterprises.js';

export { generateUsccs } from './enterprises.js';
import { DEMO_PASSWORD, hashPassword, makeInspectors } from './inspectors.js';
import type { Candidate } from './tasks.js';
import { makePlansAndTasks } from './tasks.js';

export interface SeedOptions {
  readonly seed: number;
  readonly enterprises: number;
  readonly invalidRecords: number;
  readonly now: Date;
}

export interface SeedSummary {
  readonly enterprises: number;
  readonly tasks: number;
  readonly badUscc: string;
}

export function badUsccIndex(count: number): number {
  return Math.min(7, count - 1);
}

export function seedDatabase(db: Db, opts: SeedOptions): SeedSummary {
  if (opts.enterprises < 1) throw new Error('enterprises must be at least 1');
  const today = chinaDate(opts.now);
  const usccs = generateUsccs(opts.seed, opts.enterprises + opts.invalidRecords);
  const rng = createRng(`${opts.seed}:enterprises`);
  const insertEnt = db.prepare(
    'INSERT INTO enterprises (uscc, seq, version, deleted, name, json) VALUES (?, ?, 1, 0, ?, ?)',
  );
  const candidates: Candidate[] = [];
  const badIdx = badUsccIndex(opts.enterprises);
  let badUscc = '';
  const run = db.transaction(() => {
    for (let i = 0; i < opts.enterprises; i++) {
      const uscc = i === badIdx ? breakCheckChar(usccs[i]!) : usccs[i]!;
      if (i === badIdx) badUscc = uscc;
      const e = makeEnterprise(rng, today, uscc);
      insertEnt.run(e.uscc, i + 1, e.name, Buffer.from(JSON.stringify(e), 'utf8'));
      if (i !== badIdx) {
        candidates.push({
          uscc: e.uscc,
          name: e.name,
          address: e.address,
          cls: e.internal.creditClass,
          active: e.status === '存续',
          foodProducer: e.licences.some((l) => l.no.startsWith('SC')),
          foodBusiness: e.licences.some((l) => l.no.startsWith('JY')),
          hasSe: e.specialEquipment.length > 0,
        });
      }
    }
    const invalid: string[] = [];
    for (let j = 0; j < opts.invalidRecords; j++) {
      const uscc = usccs[opts.enterprises + j]!;
      const rec = makeInvalidRecord(rng, uscc, j);
      insertEnt.run(uscc, opts.enterprises + j + 1, String(rec['name']), Buffer.from(JSON.stringify(rec), 'utf8'));
      invalid.push(uscc);
    }
    setMeta(db, 'seq:ent', opts.enterprises + opts.invalidRecords);
    const inspectors = makeInspectors(createRng(`${opts.seed}:inspectors`), today);
    const insertInsp = db.prepare(
      'INSERT INTO inspectors (id, cert_no, salt, password_hash, json) VALUES (?, ?, ?, ?, ?)',
    );
    for (const ins of inspectors) {
      const salt = randomBytes(8).toString('hex');
      insertInsp.run(ins.id, ins.certNo, salt, hashPassword(DEMO_PASSWORD, salt), JSON.stringify(ins));
    }
    const { plans, tasks, draws } = makePlansAndTasks(opts.seed, candidates, inspectors, today);
    const insertPlan = db.prepare('INSERT INTO plans (id, json) VALUES (?, ?)');
    for (const p of plans) insertPlan.run(p.id, JSON.stringify(p));
    const insertDraw = db.prepare(
      'INSERT INTO draws (plan_id, seed, algorithm, candidate_hash, drawn_hash, drawn_json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const d of draws)
      insertDraw.run(d.planId, d.seed, d.algorithm, d.candidateHash, d.drawnHash, JSON.stringify(d.drawn));
    const insertTask = db.prepare(
      'INSERT INTO tasks (id, seq, version, status, enterprise_uscc, json) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertTeam = db.prepare('INSERT INTO task_team (task_id, inspector_id, active) VALUES (?, ?, 1)');
    tasks.forEach((t, i) => {
      insertTask.run(t.id, i + 1, t.version, t.status, t.enterprise.uscc, JSON.stringify(t));
      for (const m of t.team) insertTeam.run(t.id, m.inspectorId);
    });
    setMeta(db, 'seq:task', tasks.length);
    setMeta(
      db,
      'generated',
      JSON.stringify({
        seed: opts.seed,
        enterprises: opts.enterprises,
        invalidRecords: opts.invalidRecords,
        today,
        badUscc,
        invalid,
      }),
    );
    setMeta(db, 'tombstoneHorizon', 0);
    return tasks.length;
  });
  const taskCount = run();
  return { enterprises: opts.enterprises, tasks: taskCount, badUscc };
}
