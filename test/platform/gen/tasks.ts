/**
 * Plans and tasks drawn by a replayable double-random draw: enterprises are drawn
 * without replacement with weights by credit class (Efraimidis–Spirakis keys from a seeded PRNG),
 * then each drawn enterprise gets a two-inspector team (leader + member, optional expert) from the
 * drawable inspectors (expired certificates excluded). Seed, algorithm and hashes are stored.
 */
import { createHash } from 'node:crypto';
import { CLASS_DRAW_WEIGHTS } from '../../../shared/domain/credit.js';
import type { CreditClass } from '../../../shared/domain/credit.js';
import { addDays } from '../../../shared/domain/dates.js';
import type { CheckItem, Inspector, Plan, Task, TeamMember } from '../../../shared/protocol/index.js';
import { createRng } from './prng.js';
import { FOOD_PRODUCTION_ITEMS, PUBLICITY_ITEMS, REGISTRATION_ITEMS, SPECIAL_EQUIPMENT_ITEMS } from './catalogue.js';

export const DRAW_ALGORITHM = 'es-weighted-class/mulberry32/v1';

export interface Candidate {
  readonly uscc: string;
  readonly name: string;
  readonly address: string;
  readonly cls: CreditClass;
  readonly active: boolean;
  readonly foodProducer: boolean;
  readonly foodBusiness: boolean;
  readonly hasSe: boolean;
}

interface PlanDef {
  readonly n: number;
  readonly name: string;
  readonly leadDept: string;
  readonly targeted: boolean;
  readonly crossDept: boolean;
  readonly draw: number;
  readonly filter: (c: Candidate) => boolean;
  readonly items: readonly CheckItem[];
}

const pickCodes = (items: readonly CheckItem[], codes: readonly string[]): CheckItem[] =>
  items.filter((i) => codes.includes(i.code));

const PLAN_DEFS: readonly PlanDef[] = [
  {
    n: 1,
    name: '企业公示信息和登记事项双随机抽查',
    leadDept: '信用监督管理科',
    targeted: false,
    crossDept: false,
    draw: 20,
    filter: (c) => c.active,
    items: [
      ...pickCodes(PUBLICITY_ITEMS, ['GS01', 'GS02', 'GS10', 'GS13', 'GS15']),
      ...pickCodes(REGISTRATION_ITEMS, ['N001', 'N002', 'N010']),
    ],
  },
  {
    n: 2,
    name: '食品生产企业监督检查',
    leadDept: '食品生产安全监督管理科',
    targeted: true,
    crossDept: false,
    draw: 10,
    filter: (c) => c.active && c.foodProducer,
    items: FOOD_PRODUCTION_ITEMS,
  },
  {
    n: 3,
    name: '特种设备使用单位双随机抽查',
    leadDept: '特种设备安全监察科',
    targeted: true,
    crossDept: false,
    draw: 8,
    filter: (c) => c.active && c.hasSe,
    items: SPECIAL_EQUIPMENT_ITEMS,
  },
  {
    n: 4,
    name: '市场监管领域部门联合抽查（登记事项+食品安全）',
    leadDept: '登记注册科',
    targeted: true,
    crossDept: true,
    draw: 8,
    filter: (c) => c.active && (c.foodProducer || c.foodBusiness),
    items: [
      ...pickCodes(REGISTRATION_ITEMS, ['N002', 'N010', 'N011']),
      ...pickCodes(FOOD_PRODUCTION_ITEMS, ['SP01', 'SP08', 'SP10']),
    ],
  },
];

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Weighted draw without replacement; replayable from (seed, candidates). */
export function weightedDraw(
  seed: string,
  candidates: readonly Candidate[],
  k: number,
): { drawn: Candidate[]; candidateHash: string; drawnHash: string } {
  const sorted = [...candidates].sort((a, b) => (a.uscc < b.uscc ? -1 : a.uscc > b.uscc ? 1 : 0));
  const rng = createRng(seed);
  const keyed = sorted.map((c) => ({ c, key: -Math.log(1 - rng.next()) / CLASS_DRAW_WEIGHTS[c.cls] }));
  keyed.sort((a, b) => a.key - b.key);
  const drawn = keyed.slice(0, k).map((x) => x.c);
  return {
    drawn,
    candidateHash: sha256(sorted.map((c) => `${c.uscc}:${c.cls}`).join('\n')),
    drawnHash: sha256(drawn.map((c) => c.uscc).join('\n')),
  };
}

function member(i: Inspector, role: TeamMember['role']): TeamMember {
  return { inspectorId: i.id, name: i.name, certNo: i.certNo, certExpiry: i.certExpiry, role };
}

function drawTeam(seed: string, inspectors: readonly Inspector[], today: string): TeamMember[] {
  const rng = createRng(seed);
  const drawable = inspectors.filter((i) => i.certExpiry >= today);
  const leader = rng.pick(drawable);
  const member2 = rng.pick(drawable.filter((i) => i.id !== leader.id));
  const team = [member(leader, 'leader'), member(member2, 'member')];
  const experts = drawable.filter((i) => i.expert && i.id !== leader.id && i.id !== member2.id);
  if (experts.length > 0 && rng.chance(0.15)) team.push(member(rng.pick(experts), 'expert'));
  return team;
}

export interface DrawRecord {
  planId: string;
  seed: string;
  algorithm: string;
  candidateHash: string;
  drawnHash: string;
  drawn: string[];
}

export function makePlansAndTasks(
  seed: number,
  candidates: readonly Candidate[],
  inspectors: readonly Inspector[],
  today: string,
): { plans: Plan[]; tasks: Task[]; draws: DrawRecord[] } {
  const year = Number(today.slice(0, 4));
  const plans: Plan[] = [];
  const tasks: Task[] = [];
  const draws: DrawRecord[] = [];
  for (const def of PLAN_DEFS) {
    const code = `371002${year}SJ${String(def.n).padStart(3, '0')}`;
    const plan: Plan = {
      id: `plan-${year}-${def.n}`,
      code,
      name: `${year}年度${def.name}`,
      year,
      targeted: def.targeted,
      leadDept: def.leadDept,
      crossDept: def.crossDept,
      start: addDays(today, -30),
      end: addDays(today, 90),
    };
    const drawSeed = `${seed}:${code}`;
    const { drawn, candidateHash, drawnHash } = weightedDraw(drawSeed, candidates.filter(def.filter), def.draw);
    plans.push(plan);
    draws.push({
      planId: plan.id,
      seed: drawSeed,
      algorithm: DRAW_ALGORITHM,
      candidateHash,
      drawnHash,
      drawn: drawn.map((d) => d.uscc),
    });
    const dueRng = createRng(`${drawSeed}:due`);
    drawn.forEach((ent, j) => {
      const no = String(j + 1).padStart(4, '0');
      tasks.push({
        id: `task-${year}-${def.n}-${no}`,
        taskNo: `${code}-${no}`,
        version: 1,
        status: 'assigned',
        plan,
        enterprise: { uscc: ent.uscc, name: ent.name, address: ent.address },
        items: [...def.items],
        team: drawTeam(`${drawSeed}:team:${ent.uscc}`, inspectors, today),
        dueDate: addDays(today, dueRng.int(3, 45)),
        draw: { seed: drawSeed, algorithm: DRAW_ALGORITHM, candidateHash, drawnHash },
      });
    });
  }
  return { plans, tasks, draws };
}
