/**
 * The compiled validator agrees with the shared schema: on valid records (sparse and fully
 * populated) and on thousands of mutated ones (a leaf replaced by a value of another kind, a key
 * removed, an unknown key added), it answers exactly what `EnterpriseSchema.safeParse` answers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnterpriseSchema, type Enterprise } from '../../../../shared/protocol/index.js';
import { makeEnterprise } from '../../testing/builders.js';
import { compileValidator } from './compiled-validator.js';

const check = compileValidator(EnterpriseSchema);
const agree = (v: unknown) => expect(check(v)).toBe(EnterpriseSchema.safeParse(v).success);

function richRecord(): Enterprise {
  return makeEnterprise(7, {
    regNo: '371002123456789',
    regCapital: 50.5,
    name: '威海市海润食品有限公司',
    licences: [
      {
        name: '食品经营许可证',
        no: 'JY13710020001',
        validFrom: '2021-01-01',
        validTo: null,
        issuer: '威海市环翠区市场监督管理局',
        content: '预包装食品销售',
      },
    ],
    penalties: [
      {
        decisionNo: '威环市监罚〔2023〕12号',
        violationType: '食品安全',
        content: '销售过期食品',
        fine: 5000,
        authority: '环翠区局',
        date: '2023-04-01',
        publicityEnd: '2026-04-01',
      },
    ],
    abnormalList: [
      {
        listDate: '2022-07-01',
        reason: '未按规定报送年度报告',
        authority: '环翠区局',
        removeDate: null,
        removeReason: null,
      },
    ],
    seriousList: [],
    spotChecks: [
      { date: '2024-05-06', authority: '环翠区局', type: '抽查', result: '未发现问题', failedItems: ['A01'] },
    ],
    commitments: [{ type: '告知承诺', content: '按期公示', date: '2023-01-01', status: '已履行' }],
    specialEquipment: [{ type: '电梯', regNo: '31103710020001', nextInspectionDue: '2026-01-31' }],
    internal: {
      creditClass: 'C',
      classHistory: [{ month: '2025-01', creditClass: 'B' }],
      warningColor: 'orange',
      foodRiskLevel: 'B',
      seKeyUnit: true,
      complaints12345: 3,
      responsibilityPoints: 88,
      lastVisit: '2025-03-03',
    },
    annualReports: [{ year: 2024, state: '已报送', filedDate: '2025-03-01' }],
    redBlackList: [
      {
        list: '黑名单',
        name: '严重失信主体名单',
        reason: '虚假宣传',
        authority: '威海市局',
        listDate: '2024-01-01',
        removeDate: null,
        measures: ['限制参与政府采购'],
      },
    ],
    creditRepairs: [
      {
        route: '移出经营异常名录',
        applyDate: '2024-02-01',
        authority: '环翠区局',
        result: '已修复',
        decidedDate: '2024-02-20',
      },
    ],
    foodBlacklist: [{ publishDate: '2024-03-01', title: '黑榜', reason: '抽检不合格', authority: '威海市局' }],
  });
}

/** Every path to a leaf or container of a JSON value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length > 0 ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

function mutate(
  record: unknown,
  path: readonly (string | number)[],
  op: { kind: 'set'; value: unknown } | { kind: 'delete' } | { kind: 'extra' },
): unknown {
  const copy = JSON.parse(JSON.stringify(record)) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (op.kind === 'set') parent[last] = op.value;
  else if (op.kind === 'delete') {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else if (parent[last] && typeof parent[last] === 'object' && !Array.isArray(parent[last]))
    (parent[last] as Record<string, unknown>)['unexpected'] = 1;
  return copy;
}

const jsonValue = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.integer({ min: -5, max: 5000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    '2024-02-30',
    '2024-02-29',
    '2023-13-01',
    '存续',
    '注销',
    'A',
    'F',
    'red',
    'purple',
    '91371002MA3C4XYZ5K',
    '371002',
    '37100',
    '',
  ),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
);

describe('compileValidator(EnterpriseSchema)', () => {
  it('accepts what the schema accepts: sparse and fully populated records', () => {
    const sparse = makeEnterprise(3);
    const rich = richRecord();
    expect(EnterpriseSchema.safeParse(sparse).success).toBe(true);
    expect(EnterpriseSchema.safeParse(rich).success).toBe(true);
    expect(check(sparse)).toBe(true);
    expect(check(rich)).toBe(true);
    expect(check({ ...rich, unknownField: { anything: 1 } })).toBe(true); // z.object strips unknown keys: still valid
  });

  it('rejects what the schema rejects: not an object, wrong types, bad dates, enums, lengths, regexes', () => {
    const rich = richRecord();
    const bad: unknown[] = [
      null,
      [],
      'x',
      42,
      { ...rich, name: '' },
      { ...rich, name: '名'.repeat(101) },
      { ...rich, version: 0 },
      { ...rich, version: 1.5 },
      { ...rich, establishDate: '2020-02-30' },
      { ...rich, status: '状态未知' },
      { ...rich, region: '3710' },
      { ...rich, regCapital: -1 },
      { ...rich, uscc: 'not-a-uscc' },
      { ...rich, regNo: '12345' },
      { ...rich, internal: { ...rich.internal, creditClass: 'F' } },
      { ...rich, internal: { ...rich.internal, classHistory: [{ month: '2025-1', creditClass: 'A' }] } },
      { ...rich, annualReports: null },
      { ...rich, licences: {} },
    ];
    for (const v of bad) {
      expect(EnterpriseSchema.safeParse(v).success).toBe(false);
      expect(check(v)).toBe(false);
    }
  });

  it('agrees with the schema on thousands of mutated records', () => {
    const records = [makeEnterprise(11), richRecord()];
    const all = records.map((r) => ({ r, ps: paths(r) }));
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.oneof(
          jsonValue.map((value) => ({ kind: 'set' as const, value })),
          fc.constant({ kind: 'delete' as const }),
          fc.constant({ kind: 'extra' as const }),
        ),
        (ri, pi, op) => {
          const { r, ps } = all[ri % all.length]!;
          agree(mutate(r, ps[pi % ps.length]!, op));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses schema features it does not know instead of guessing', () => {
    expect(() => compileValidator(z.object({ when: z.date() }))).toThrow(/unsupported schema type date/);
    expect(() => compileValidator(z.string().email())).toThrow(/unsupported string format/);
  });

  it('knows strict and loose objects', () => {
    const strict = z.object({ a: z.string() }).strict();
    const loose = z.object({ a: z.string() }).catchall(z.number());
    for (const v of [{ a: 'x' }, { a: 'x', b: 1 }, { a: 'x', b: 'y' }]) {
      expect(compileValidator(strict)(v)).toBe(strict.safeParse(v).success);
      expect(compileValidator(loose)(v)).toBe(loose.safeParse(v).success);
    }
  });

  it('refuses a schema that is itself a check, and measures a minimum length as zod does', () => {
    expect(() => compileValidator(z.object({ n: z.int() }))).toThrow(/schema-level check/);
    const min2 = z.string().min(2);
    for (const v of ['😀', 'ab', '海润', '\ud83d']) expect(compileValidator(min2)(v)).toBe(min2.safeParse(v).success);
  });
});
