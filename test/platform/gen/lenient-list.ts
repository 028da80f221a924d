/**
 * The demo lenient-enforcement list (首违不罚 / 轻微违法不予处罚): four entries written out by hand
 * and the rest generated from the item catalogue, deterministically, to the size of a real provincial
 * list (121 entries). Generated entries are demo text, not the official list. Part of the list was
 * revised: entries of the first edition end the day before the revision takes effect, so the
 * effective period matters when an inspection is dated near the change.
 */
import type { CheckItem, LenientEntry } from '../../../shared/protocol/index.js';
import { ALL_ITEMS } from './catalogue.js';

export const LENIENT_LIST_SIZE = 121;
const FIRST_EDITION = '鲁司〔2021〕39号';
const REVISION = '鲁司〔2021〕39号（2024年修订，演示）';
const FIRST_FROM = '2021-07-20';
export const REVISION_FROM = '2024-11-21';
/** The last day of first-edition entries that the revision replaced. */
export const FIRST_EDITION_TO = '2024-11-20';

const PUBLISHED: readonly LenientEntry[] = [
  {
    code: 'SD-QW-001',
    violation: '未将营业执照置于住所或者主要经营场所的醒目位置',
    itemCodes: ['N010'],
    legalBasis: '《市场主体登记管理条例》第三十六条',
    penaltyBasis: '《市场主体登记管理条例》第四十八条',
    conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 0 },
    kind: 'mandatory',
    effectiveFrom: FIRST_FROM,
    effectiveTo: null,
    listVersion: FIRST_EDITION,
  },
  {
    code: 'SD-QW-014',
    violation: '未按规定时限公示年度报告，在责令期限内改正且未造成危害后果',
    itemCodes: ['GS10', 'GS13', 'GS15'],
    legalBasis: '《企业信息公示暂行条例》第八条',
    penaltyBasis: '《企业信息公示暂行条例》第十七条',
    conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 10 },
    kind: 'discretionary',
    effectiveFrom: FIRST_FROM,
    effectiveTo: null,
    listVersion: FIRST_EDITION,
  },
  {
    code: 'SD-QW-032',
    violation: '食品标签存在不影响食品安全且不会对消费者造成误导的瑕疵',
    itemCodes: ['SP08'],
    legalBasis: '《食品安全法》第六十七条',
    penaltyBasis: '《食品安全法》第一百二十五条第二款',
    conditions: { firstViolation: false, minorHarm: true, correctWithinDays: 7 },
    kind: 'mandatory',
    effectiveFrom: FIRST_FROM,
    effectiveTo: null,
    listVersion: FIRST_EDITION,
  },
  {
    code: 'SD-QW-047',
    violation: '特种设备安全技术档案不完整，首次被发现并及时改正',
    itemCodes: ['TZ03'],
    legalBasis: '《特种设备安全法》第三十五条',
    penaltyBasis: '《特种设备安全法》第八十三条',
    conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 15 },
    kind: 'discretionary',
    effectiveFrom: FIRST_FROM,
    effectiveTo: null,
    listVersion: FIRST_EDITION,
  },
];

/** Penalty provisions by department (the article that would apply if the entry did not). */
const PENALTY_BASIS: Readonly<Record<string, string>> = {
  DJZC: '《市场主体登记管理条例》第四十六条',
  XYJG: '《企业信息公示暂行条例》第十七条',
  SPSC: '《食品安全法》第一百二十六条',
  TZSB: '《特种设备安全法》第八十四条',
};

interface Pattern {
  readonly violation: (item: CheckItem, days: number) => string;
  readonly kind: LenientEntry['kind'];
  readonly firstViolation: boolean;
  readonly days: readonly number[];
  readonly period: 'first' | 'replaced' | 'revision';
}

const PATTERNS: readonly Pattern[] = [
  {
    violation: (item) => `${item.name}存在轻微问题，当场改正且未造成危害后果`,
    kind: 'mandatory',
    firstViolation: false,
    days: [0],
    period: 'first',
  },
  {
    violation: (item, days) => `首次发现${item.name}不符合规定，危害后果轻微并在${days}日内改正`,
    kind: 'discretionary',
    firstViolation: true,
    days: [7, 10, 15],
    period: 'replaced',
  },
  {
    violation: (item, days) => `首次发现${item.name}不符合规定，危害后果轻微并在${days}日内改正（修订）`,
    kind: 'discretionary',
    firstViolation: true,
    days: [10, 15, 30],
    period: 'revision',
  },
  {
    violation: (item) => `${item.name}相关记录或标识不规范，及时补正且未造成危害后果`,
    kind: 'mandatory',
    firstViolation: false,
    days: [3, 5],
    period: 'first',
  },
];

function generated(count: number): LenientEntry[] {
  const taken = new Set(PUBLISHED.map((e) => e.code));
  // The hand-written licence entry stays the only one for N010, so the demo walk-through meets one entry there.
  const items = ALL_ITEMS.filter((i) => i.code !== 'N010');
  const out: LenientEntry[] = [];
  let n = 1;
  for (let i = 0; out.length < count; i++) {
    const item = items[i % items.length];
    const pattern = PATTERNS[Math.floor(i / items.length) % PATTERNS.length];
    if (!item || !pattern) throw new Error('empty catalogue or pattern list');
    while (taken.has(code(n))) n++;
    const days = pattern.days[i % pattern.days.length] ?? 0;
    out.push({
      code: code(n),
      violation: pattern.violation(item, days),
      itemCodes: [item.code],
      legalBasis: item.legalBasis,
      penaltyBasis: PENALTY_BASIS[item.department] ?? item.legalBasis,
      conditions: { firstViolation: pattern.firstViolation, minorHarm: true, correctWithinDays: days },
      kind: pattern.kind,
      effectiveFrom: pattern.period === 'revision' ? REVISION_FROM : FIRST_FROM,
      effectiveTo: pattern.period === 'replaced' ? FIRST_EDITION_TO : null,
      listVersion: pattern.period === 'revision' ? REVISION : FIRST_EDITION,
    });
    n++;
  }
  return out;
}

function code(n: number): string {
  return `SD-QW-${String(n).padStart(3, '0')}`;
}

/** The whole list, sorted by code; a pure function of the catalogue. */
export function buildLenientList(): LenientEntry[] {
  return [...PUBLISHED, ...generated(LENIENT_LIST_SIZE - PUBLISHED.length)].sort((a, b) =>
    a.code.localeCompare(b.code),
  );
}

export const LENIENT_LIST: readonly LenientEntry[] = buildLenientList();
