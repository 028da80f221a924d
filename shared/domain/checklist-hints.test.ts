import { describe, expect, it } from 'vitest';
import { checklistHints, type HintFacts, type HintItem } from './checklist-hints.js';

const items: HintItem[] = [
  { code: 'N010', name: '营业执照未置于醒目位置', key: false },
  { code: 'GS10', name: '年度报告公示', key: false },
  { code: 'SP01', name: '生产者资质', key: true },
  { code: 'TZ07', name: '定期检验及检验标志', key: true },
];
const none: HintFacts = { spotChecks: [], commitments: [], licences: [], specialEquipment: [], warningColor: 'green' };

describe('checklistHints', () => {
  it('has nothing to say about a clean record or a missing file', () => {
    expect(checklistHints(items, none, '2026-05-06').size).toBe(0);
    expect(checklistHints(items, null, '2026-05-06').size).toBe(0);
  });
  it('marks items failed at the last visit and earlier ones differently', () => {
    const hints = checklistHints(
      items,
      {
        ...none,
        spotChecks: [
          { date: '2023-01-01', type: '抽查', failedItems: ['GS10'] },
          { date: '2025-06-01', type: '检查', failedItems: ['N010'] },
        ],
      },
      '2026-05-06',
    );
    expect(hints.get('N010')).toEqual(['上次检查（2025-06-01）此项不符合']);
    expect(hints.get('GS10')).toEqual(['2023-01-01 抽查时此项不符合']);
    expect(hints.has('SP01')).toBe(false);
  });
  it('ties an unkept commitment to the items it concerns', () => {
    const hints = checklistHints(
      items,
      {
        ...none,
        commitments: [
          { content: '承诺按期公示年度报告', status: '未履行', date: '2025-01-01' },
          { content: '承诺按期公示年度报告', status: '已履行', date: '2024-01-01' },
        ],
      },
      '2026-05-06',
    );
    expect([...hints.keys()]).toEqual(['GS10']);
    expect(hints.get('GS10')?.[0]).toContain('承诺未履行');
  });
  it('marks expired licences and overdue equipment inspections, not valid ones', () => {
    const hints = checklistHints(
      items,
      {
        ...none,
        licences: [
          { name: '食品生产许可证', validTo: '2026-01-01' },
          { name: '食品经营许可证', validTo: '2030-01-01' },
          { name: '长期', validTo: null },
        ],
        specialEquipment: [{ type: '电梯', regNo: '梯11鲁K00001', nextInspectionDue: '2026-04-30' }],
      },
      '2026-05-06',
    );
    expect(hints.get('SP01')).toEqual(['食品生产许可证已于 2026-01-01 过期']);
    expect(hints.get('TZ07')).toEqual(['电梯（梯11鲁K00001）定期检验已于 2026-04-30 到期']);
  });
  const levels = [
    { color: 'red', label: '红色', checkKeyItems: true },
    { color: 'orange', label: '橙色', checkKeyItems: true },
    { color: 'blue', label: '蓝色', checkKeyItems: false },
    { color: 'green', label: '绿色', checkKeyItems: false },
  ];
  it('marks key items for the warning levels the scheme flags, and only those', () => {
    const red = checklistHints(items, { ...none, warningColor: 'red' }, '2026-05-06', levels);
    expect([...red.keys()].sort()).toEqual(['SP01', 'TZ07']);
    expect(red.get('SP01')?.[0]).toContain('红色预警');
    const orange = checklistHints(items, { ...none, warningColor: 'orange' }, '2026-05-06', levels);
    expect(orange.get('TZ07')?.[0]).toContain('橙色');
    expect(checklistHints(items, { ...none, warningColor: 'blue' }, '2026-05-06', levels).size).toBe(0);
  });
  it('follows the scheme: a level it does not flag, no scheme, or no colour gives no warning hint', () => {
    const calm = levels.map((l) => ({ ...l, checkKeyItems: l.color === 'blue' }));
    expect(checklistHints(items, { ...none, warningColor: 'red' }, '2026-05-06', calm).size).toBe(0);
    expect(checklistHints(items, { ...none, warningColor: 'blue' }, '2026-05-06', calm).get('SP01')?.[0]).toContain(
      '蓝色预警',
    );
    expect(checklistHints(items, { ...none, warningColor: 'red' }, '2026-05-06').size).toBe(0);
    expect(checklistHints(items, { ...none, warningColor: null }, '2026-05-06', levels).size).toBe(0);
  });
  it('falls back to key items when a fact matches no item by name', () => {
    const only = [
      { code: 'X1', name: '其他', key: true },
      { code: 'X2', name: '其他二', key: false },
    ];
    const hints = checklistHints(
      only,
      { ...none, licences: [{ name: '某许可证', validTo: '2020-01-01' }] },
      '2026-05-06',
    );
    expect([...hints.keys()]).toEqual(['X1']);
  });
});
