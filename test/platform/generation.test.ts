/** Demo data: reproducible, valid USCCs except exactly one, schema-valid records, replayable draws. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateUscc } from '../../shared/domain/uscc.js';
import { EnterpriseFeedPageSchema, EnterpriseSchema, TaskSchema } from '../../shared/protocol/index.js';
import { generateUsccs } from './gen/seed.js';
import { DRAW_ALGORITHM, weightedDraw } from './gen/tasks.js';
import type { Candidate } from './gen/tasks.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, login, startTemp } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let records: unknown[];

beforeAll(async () => {
  h = await startTemp({ seed: 11, enterprises: 1500, invalidRecords: 2 });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  const page = EnterpriseFeedPageSchema.parse(await (await call('/v1/sync/enterprises?limit=5000')).json());
  records = page.changes.flatMap((c) => (c.kind === 'upsert' ? [c.enterprise] : []));
});
afterAll(() => h.stop());

describe('generated enterprises', () => {
  it('is reproducible from the seed', () => {
    expect(generateUsccs(11, 300)).toEqual(generateUsccs(11, 300));
    expect(generateUsccs(11, 300)).not.toEqual(generateUsccs(12, 300));
    const served = records.slice(0, 20).map((r) => (r as { uscc: string }).uscc);
    const expected = generateUsccs(11, 20);
    expect(served.filter((u, i) => u === expected[i]).length).toBe(19);
  });

  it('has valid check characters except exactly one, and N invalid records that fail the schema', () => {
    const verdicts = records.map((r) => validateUscc((r as { uscc: string }).uscc));
    expect(verdicts.filter((v) => !v.ok)).toHaveLength(1);
    expect(h.platform.admin.generated().badUscc).toBe((records[7] as { uscc: string }).uscc);
    const parsed = records.map((r) => EnterpriseSchema.safeParse(r));
    expect(parsed.filter((p) => !p.success)).toHaveLength(2);
    expect(new Set(records.map((r) => (r as { uscc: string }).uscc)).size).toBe(1502);
  });

  it('looks like a Weihai station: regions, classes, licences, 1–2 KB each', () => {
    const ents = records.map((r) => EnterpriseSchema.safeParse(r)).flatMap((p) => (p.success ? [p.data] : []));
    expect(new Set(ents.map((e) => e.region))).toEqual(new Set(['371002', '371003', '371082', '371083']));
    expect(new Set(ents.map((e) => e.internal.creditClass)).size).toBe(5);
    expect(ents.some((e) => e.licences.some((l) => /^SC\d{14}$/.test(l.no)))).toBe(true);
    expect(ents.some((e) => e.licences.some((l) => /^JY\d{14}$/.test(l.no)))).toBe(true);
    expect(ents.some((e) => e.abnormalList.length > 0 && e.penalties.length > 0)).toBe(true);
    expect(ents.some((e) => e.name.includes('海润'))).toBe(true);
    const avg = ents.reduce((s, e) => s + JSON.stringify(e).length, 0) / ents.length;
    expect(avg).toBeGreaterThan(700);
    expect(avg).toBeLessThan(2600);
  });
});

describe('tasks and draws', () => {
  it('gives the first demo login at least 5 schema-valid tasks with two-inspector teams of demo inspectors', async () => {
    const tasks = await allTasks(call);
    expect(tasks.length).toBeGreaterThanOrEqual(5);
    const demoIds = new Set(h.platform.logins.map((l) => l.inspectorId));
    for (const t of tasks) {
      expect(TaskSchema.safeParse(t).success).toBe(true);
      expect(t.team.filter((m) => m.role !== 'expert')).toHaveLength(2);
      expect(t.team.every((m) => demoIds.has(m.inspectorId))).toBe(true);
      expect(t.draw.algorithm).toBe(DRAW_ALGORITHM);
    }
    expect(tasks.some((t) => t.plan.crossDept && new Set(t.items.map((i) => i.department)).size === 2)).toBe(true);
  });

  it('never puts an inspector with an expired certificate on a team', async () => {
    const tasks = await allTasks(call);
    const today = new Date().toISOString().slice(0, 10);
    expect(tasks.every((t) => t.team.every((m) => m.certExpiry >= today))).toBe(true);
  });

  it('replays a draw exactly and weights it by class', () => {
    const cands: Candidate[] = Array.from({ length: 400 }, (_, i) => ({
      uscc: `U${String(i).padStart(5, '0')}`,
      name: 'n',
      address: 'a',
      cls: i < 200 ? 'A' : 'D',
      active: true,
      foodProducer: false,
      foodBusiness: false,
      hasSe: false,
    }));
    const a = weightedDraw('seed-x', cands, 40);
    const b = weightedDraw('seed-x', [...cands].reverse(), 40);
    expect(b.drawnHash).toBe(a.drawnHash);
    expect(b.candidateHash).toBe(a.candidateHash);
    expect(a.drawn.filter((c) => c.cls === 'D').length).toBeGreaterThan(30);
  });
});
