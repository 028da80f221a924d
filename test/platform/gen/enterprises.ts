/**
 * Synthetic enterprise credit files: valid USCCs for Weihai regions, names with
 * varied 字号, licences, penalties, list entries, spot-check history, commitments, special equipment
 * and the internal-only data. Deterministic from (seed, index) and the reference date.
 */
import { USCC_CHARS, orgCodeCheckChar, usccCheckChar } from '../../../shared/domain/uscc.js';
import type { Enterprise } from '../../../shared/protocol/index.js';
import { addDays } from '../../../shared/domain/dates.js';
import type { CreditClass } from '../../../shared/domain/credit.js';
import { createRng, type Rng } from './prng.js';
import { WARNING_SCHEME, warningColorFor } from './warning-scheme.js';
import {
  ABNORMAL_REASONS,
  GIVEN_NAMES,
  INDUSTRIES,
  SE_TYPES,
  SURNAMES,
  TRADE_NAMES,
  VIOLATION_TYPES,
  WEIHAI_REGIONS,
} from './words.js';
import type { IndustryDef, Region } from './words.js';
import { FOOD_PRODUCTION_ITEMS, PUBLICITY_ITEMS, REGISTRATION_ITEMS } from './catalogue.js';

export function makeUscc(rng: Rng, kind: string, region: string): string {
  let body = 'MA';
  for (let i = 0; i < 6; i++) body += USCC_CHARS.charAt(rng.int(0, USCC_CHARS.length - 1));
  const first17 = `9${kind}${region}${body}${orgCodeCheckChar(body)}`;
  return first17 + usccCheckChar(first17);
}

/** Same code with a wrong (but charset-valid) check character. */
export function breakCheckChar(uscc: string): string {
  const good = uscc.charAt(17);
  const idx = (USCC_CHARS.indexOf(good) + 7) % USCC_CHARS.length;
  return uscc.slice(0, 17) + USCC_CHARS.charAt(idx);
}

const personName = (rng: Rng): string => rng.pick(SURNAMES) + rng.pick(GIVEN_NAMES);
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(rng.int(0, 9))).join('');

function dateBetween(rng: Rng, from: string, to: string): string {
  const span = Math.max(0, (Date.parse(to) - Date.parse(from)) / 86_400_000);
  return addDays(from, Math.floor(rng.next() * span));
}

const CLASS_WEIGHTS: readonly (readonly [CreditClass, number])[] = [
  ['A', 55],
  ['B', 33],
  ['C', 7],
  ['D', 4],
  ['E', 1],
];
const ENT_TYPES: readonly (readonly [string, number])[] = [
  ['有限责任公司（自然人投资或控股）', 60],
  ['有限责任公司（自然人独资）', 15],
  ['股份有限公司', 2],
  ['有限责任公司分公司（自然人投资或控股）', 3],
  ['其他有限责任公司', 5],
];

interface Ctx {
  readonly rng: Rng;
  readonly today: string;
  readonly region: Region;
  readonly industry: IndustryDef;
  readonly cls: CreditClass;
}

function licences(c: Ctx): Enterprise['licences'] {
  const { rng, region, industry } = c;
  const out: Enterprise['licences'] = [];
  const from = dateBetween(rng, '2019-01-01', c.today);
  if (industry.food === 'producer' && rng.chance(0.9)) {
    out.push({
      name: '食品生产许可证',
      no: `SC${rng.pick(['101', '103', '113', '122'])}${region.code}${digits(rng, 5)}`,
      validFrom: from,
      validTo: addDays(from, 5 * 365),
      issuer: '威海市市场监督管理局',
      content: '水产制品；速冻食品；调味品',
    });
  }
  if (industry.food !== null && rng.chance(0.75)) {
    out.push({
      name: '食品经营许可证',
      no: `JY${rng.int(1, 3)}${region.code}${digits(rng, 7)}`,
      validFrom: from,
      validTo: addDays(from, 5 * 365),
      issuer: region.authority,
      content: industry.scope,
    });
  }
  return out;
}

function penalties(c: Ctx): Enterprise['penalties'] {
  const n =
    c.cls === 'A'
      ? 0
      : c.rng.weighted<number>([
          [0, 80],
          [1, 14],
          [2, 4],
          [3, 2],
        ]);
  return Array.from({ length: n }, (_, i) => {
    const date = dateBetween(c.rng, '2021-01-01', c.today);
    const fine = c.rng.chance(0.2) ? 0 : c.rng.int(1, 200) * 1000;
    return {
      decisionNo: `${c.region.abbr}市监处罚〔${date.slice(0, 4)}〕${c.rng.int(10, 999)}号`,
      violationType: c.rng.pick(VIOLATION_TYPES),
      content: fine > 0 ? `罚款${fine}元${i === 0 ? '，没收违法所得' : ''}` : '警告',
      fine,
      authority: c.region.authority,
      date,
      publicityEnd: fine > 0 ? addDays(date, 3 * 365) : addDays(date, 90),
    };
  });
}

function listEntries(c: Ctx, p: number, max: number): Enterprise['abnormalList'] {
  if (!c.rng.chance(p)) return [];
  return Array.from({ length: c.rng.int(1, max) }, () => {
    const listDate = dateBetween(c.rng, '2019-06-30', c.today);
    const removed = c.rng.chance(0.5);
    return {
      listDate,
      reason: c.rng.pick(ABNORMAL_REASONS),
      authority: c.region.authority,
      removeDate: removed ? addDays(listDate, c.rng.int(30, 400)) : null,
      removeReason: removed ? '依法履行公示义务后申请移出' : null,
    };
  });
}

function spotChecks(c: Ctx): Enterprise['spotChecks'] {
  const n = c.rng.weighted<number>([
    [0, 60],
    [1, 28],
    [2, 9],
    [3, 3],
  ]);
  const pool = [
    ...REGISTRATION_ITEMS,
    ...PUBLICITY_ITEMS,
    ...(c.industry.food === 'producer' ? FOOD_PRODUCTION_ITEMS : []),
  ];
  return Array.from({ length: n }, () => {
    const failed = c.rng.chance(c.cls === 'A' || c.cls === 'B' ? 0.1 : 0.5);
    return {
      date: dateBetween(c.rng, '2020-03-01', c.today),
      authority: c.region.authority,
      type: c.rng.chance(0.8) ? ('抽查' as const) : ('检查' as const),
      result: failed
        ? c.rng.pick(['发现问题已责令改正', '发现问题待后续处理', '未按规定公示应当公示的信息'])
        : '未发现问题',
      failedItems: failed ? [c.rng.pick(pool).code] : [],
    };
  });
}

function commitments(c: Ctx): Enterprise['commitments'] {
  const n = c.rng.weighted<number>([
    [0, 75],
    [1, 20],
    [2, 5],
  ]);
  return Array.from({ length: n }, () => ({
    type: c.rng.chance(0.6) ? ('告知承诺' as const) : ('主动承诺' as const),
    content: c.rng.pick([
      '承诺申报材料真实有效，按期取得经营所需条件',
      '承诺依法诚信经营，不销售假冒伪劣商品',
      '承诺按期公示年度报告',
    ]),
    date: dateBetween(c.rng, '2021-01-01', c.today),
    status: c.rng.weighted<'履行中' | '已履行' | '未履行'>([
      ['履行中', 50],
      ['已履行', 42],
      ['未履行', 8],
    ]),
  }));
}

function specialEquipment(c: Ctx): Enterprise['specialEquipment'] {
  if (!c.rng.chance(0.1)) return [];
  return Array.from({ length: c.rng.int(1, 6) }, () => ({
    type: c.rng.pick(SE_TYPES),
    regNo: `${c.rng.pick(['梯', '锅', '容', '起'])}${c.rng.int(11, 32)}鲁K${digits(c.rng, 5)}(${c.rng.int(15, 25)})`,
    nextInspectionDue: addDays(c.today, c.rng.int(-30, 360)),
  }));
}

function internal(c: Ctx, equipment: Enterprise['specialEquipment']): Enterprise['internal'] {
  const se = equipment.length > 0;
  const history: Enterprise['internal']['classHistory'] = [];
  let cls = c.cls;
  for (let m = 0; m < 6; m++) {
    const d = new Date(`${c.today}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() - m);
    history.push({ month: d.toISOString().slice(0, 7), creditClass: cls });
    if (c.rng.chance(0.15)) cls = c.rng.weighted(CLASS_WEIGHTS);
  }
  const high = c.cls === 'C' || c.cls === 'D' || c.cls === 'E';
  const foodRiskLevel =
    c.industry.food === null
      ? null
      : c.rng.weighted<'A' | 'B' | 'C' | 'D'>([
          ['A', 40],
          ['B', 35],
          ['C', 18],
          ['D', 7],
        ]);
  return {
    creditClass: c.cls,
    classHistory: history,
    // Only food and special-equipment units carry a colour, set by the scheme's triggers.
    warningColor: warningColorFor(WARNING_SCHEME, {
      foodRiskLevel,
      specialEquipmentUser: se,
      inspectionOverdue: equipment.some((x) => x.nextInspectionDue < c.today),
      creditClass: c.cls,
    }),
    foodRiskLevel,
    seKeyUnit: se && c.rng.chance(0.3),
    complaints12345: c.rng.poisson(high ? 3 : 0.3),
    responsibilityPoints: c.industry.food !== null || se ? c.rng.int(high ? 40 : 70, 100) : null,
    lastVisit: c.rng.chance(0.5) ? dateBetween(c.rng, '2022-01-01', c.today) : null,
  };
}

const minDate = (a: string, b: string): string => (a < b ? a : b);
const RED_MEASURES = ['降低抽查比例和频次', '行政审批绿色通道', '容缺受理', '优先安排财政资金支持'];
const BLACK_MEASURES = [
  '列为重点监管对象，提高抽查比例和频次',
  '限制参与政府采购',
  '限制参与招标投标',
  '限制担任企业法定代表人',
  '限制获得荣誉称号',
  '限制高消费',
];

function annualReports(c: Ctx, established: string): NonNullable<Enterprise['annualReports']> {
  const last = Number(c.today.slice(0, 4)) - 1;
  const first = Math.max(Number(established.slice(0, 4)), last - 2);
  const out: NonNullable<Enterprise['annualReports']> = [];
  for (let y = last; y >= first; y--) {
    const state = c.rng.weighted<'已报送' | '逾期报送' | '未报送'>([
      ['已报送', 88],
      ['逾期报送', 7],
      ['未报送', 5],
    ]);
    out.push({
      year: y,
      state,
      filedDate:
        state === '未报送'
          ? null
          : state === '已报送'
            ? minDate(dateBetween(c.rng, `${y + 1}-01-01`, `${y + 1}-06-30`), c.today)
            : minDate(dateBetween(c.rng, `${y + 1}-07-01`, `${y + 1}-12-31`), c.today),
    });
  }
  return out;
}

function redBlackList(c: Ctx): NonNullable<Enterprise['redBlackList']> {
  const out: NonNullable<Enterprise['redBlackList']> = [];
  if (c.cls === 'A' && c.rng.chance(0.08)) {
    out.push({
      list: '红名单',
      name: c.rng.pick(['守信激励对象名单', '纳税信用A级纳税人名单', '守合同重信用企业']),
      reason: '连续三年无违法失信记录',
      authority: c.region.authority,
      listDate: dateBetween(c.rng, '2021-01-01', c.today),
      removeDate: null,
      measures: [c.rng.pick(RED_MEASURES), c.rng.pick(RED_MEASURES)].filter((m, i, a) => a.indexOf(m) === i),
    });
  }
  if ((c.cls === 'D' || c.cls === 'E') && c.rng.chance(0.35)) {
    const listDate = dateBetween(c.rng, '2020-01-01', c.today);
    out.push({
      list: '黑名单',
      name: c.rng.pick(['严重失信主体名单', '严重违法失信名单', '失信被执行人']),
      reason: c.rng.pick([
        '受到较重行政处罚且性质恶劣',
        '列入经营异常名录届满3年仍未履行相关义务',
        '拒不履行生效法律文书确定的义务',
      ]),
      authority: c.region.authority,
      listDate,
      removeDate: c.rng.chance(0.2) ? addDays(listDate, 3 * 365) : null,
      measures: Array.from({ length: c.rng.int(2, 4) }, () => c.rng.pick(BLACK_MEASURES)).filter(
        (m, i, a) => a.indexOf(m) === i,
      ),
    });
  }
  return out;
}

function creditRepairs(c: Ctx, listed: boolean): NonNullable<Enterprise['creditRepairs']> {
  if (!listed || !c.rng.chance(0.4)) return [];
  const applyDate = dateBetween(c.rng, '2022-01-01', c.today);
  const result = c.rng.weighted<'已修复' | '审核中' | '不予修复'>([
    ['已修复', 70],
    ['审核中', 20],
    ['不予修复', 10],
  ]);
  return [
    {
      route: c.rng.pick(['移出经营异常名录', '提前停止公示行政处罚信息', '提前移出严重违法失信名单'] as const),
      applyDate,
      authority: c.region.authority,
      result,
      decidedDate: result === '审核中' ? null : addDays(applyDate, c.rng.int(3, 15)),
    },
  ];
}

function foodBlacklist(c: Ctx): NonNullable<Enterprise['foodBlacklist']> {
  if (c.industry.food === null || !c.rng.chance(c.cls === 'A' || c.cls === 'B' ? 0.005 : 0.08)) return [];
  return [
    {
      publishDate: dateBetween(c.rng, '2021-01-01', c.today),
      title: `${c.region.abbr}食品安全"黑榜"（第${c.rng.int(1, 12)}期）`,
      reason: c.rng.pick([
        '抽检不合格：菌落总数超标',
        '抽检不合格：铅（以Pb计）超标',
        '使用超过保质期的食品原料',
        '未建立进货查验记录制度',
      ]),
      authority: c.region.authority,
    },
  ];
}

/** One enterprise. `uscc` is produced by the caller (uniqueness across the set is its job). */
export function makeEnterprise(rng: Rng, today: string, uscc: string): Enterprise {
  const kind = uscc.charAt(1);
  const region = WEIHAI_REGIONS.find((r) => r.code === uscc.slice(2, 8)) ?? WEIHAI_REGIONS[0]!;
  const industry = rng.weighted(INDUSTRIES.map((d) => [d, d.weight] as const));
  const cls = rng.weighted(CLASS_WEIGHTS);
  const c: Ctx = { rng, today, region, industry, cls };
  const trade = rng.pick(TRADE_NAMES);
  const individual = kind === '2';
  const coop = kind === '3';
  const name = individual
    ? `${region.name}${trade}${industry.shopWord}店`
    : coop
      ? `${region.namePrefix}${trade}${rng.pick(['海参', '苹果', '花生', '西洋参'])}专业合作社`
      : `${region.namePrefix}${trade}${industry.word}${rng.chance(0.03) ? '股份' : ''}有限公司`;
  const se = specialEquipment(c);
  const established = rng.chance(0.6)
    ? dateBetween(rng, '2016-01-01', today)
    : dateBetween(rng, '1998-01-01', '2016-01-01');
  const abnormal = listEntries(c, cls === 'A' ? 0.01 : 0.06, 2);
  const serious = listEntries(c, cls === 'E' ? 0.3 : 0.002, 1);
  return {
    uscc,
    regNo: rng.chance(0.01) ? `${region.code}${digits(rng, 9)}` : null,
    version: 1,
    name,
    entType: individual ? '个体工商户' : coop ? '农民专业合作社' : rng.weighted(ENT_TYPES),
    legalRep: personName(rng),
    regCapital: individual
      ? null
      : Math.round(Math.exp(Math.log(10) + rng.next() * (Math.log(5000) - Math.log(10))) * 100) / 100,
    establishDate: established,
    status: rng.weighted<Enterprise['status']>([
      ['存续', 92],
      ['吊销未注销', 3],
      ['注销', 3],
      ['歇业', 1],
      ['迁出', 1],
    ]),
    regAuthority: region.authority,
    address: `山东省威海市${region.name}${rng.pick(region.streets)}${rng.int(1, 399)}号${rng.chance(0.3) ? `${rng.int(1, 20)}号楼${rng.int(101, 1808)}室` : ''}`,
    region: region.code,
    industry: `${industry.section}（${industry.code}）`,
    businessScope: `${industry.scope}。（依法须经批准的项目，经相关部门批准后方可开展经营活动）`,
    phone: `0631-${rng.int(5, 8)}${digits(rng, 6)}`,
    licences: licences(c),
    penalties: penalties(c),
    abnormalList: abnormal,
    seriousList: serious,
    spotChecks: spotChecks(c),
    commitments: commitments(c),
    specialEquipment: se,
    internal: internal(c, se),
    annualReports: annualReports(c, established),
    redBlackList: redBlackList(c),
    creditRepairs: creditRepairs(c, abnormal.length + serious.length > 0),
    foodBlacklist: foodBlacklist(c),
  };
}

export function pickKindAndRegion(rng: Rng): { kind: string; region: string } {
  const kind = rng.weighted<string>([
    ['1', 85],
    ['2', 12],
    ['3', 3],
  ]);
  const region = rng.weighted<string>([
    ['371002', 40],
    ['371003', 20],
    ['371082', 25],
    ['371083', 15],
  ]);
  return { kind, region };
}

/** A record that fails EnterpriseSchema (quarantine tests) but still has a well-formed envelope. */
export function makeInvalidRecord(rng: Rng, uscc: string, i: number): Record<string, unknown> {
  return {
    uscc,
    regNo: null,
    version: 1,
    name: `威海市测试无效记录${i + 1}有限公司`,
    entType: '有限责任公司',
    legalRep: personName(rng),
    regCapital: -1,
    establishDate: '2020-02-30',
    status: '状态未知',
    regAuthority: '威海市市场监督管理局',
    address: '山东省威海市环翠区',
    region: '3710',
    industry: '',
    businessScope: '',
    phone: '',
    licences: [],
    penalties: [],
  };
}

/** Deterministic list of unique USCCs for (seed, count): the first `count` are the valid set. */
export function generateUsccs(seed: number, count: number): string[] {
  const rng = createRng(`${seed}:uscc`);
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < count) {
    const { kind, region } = pickKindAndRegion(rng);
    const uscc = makeUscc(rng, kind, region);
    if (seen.has(uscc)) continue;
    seen.add(uscc);
    out.push(uscc);
  }
  return out;
}
