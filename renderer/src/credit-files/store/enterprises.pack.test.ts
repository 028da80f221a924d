/**
 * Every summary column survives each form the store derives from the column list: the search row
 * packed from the records, its positional plaintext and back, and the compaction that keeps some
 * positions. The expectations are built from the same list, so a column added there is checked here.
 */
import { describe, expect, it } from 'vitest';
import type { Enterprise } from '../../../../shared/protocol/index.js';
import { makeEnterprise } from '../../testing/builders.js';
import { summarize } from '../import/enterprise-prepare.js';
import { SUMMARY_COLUMNS, flatSummary, type EnterpriseSummary } from '../summary-columns.js';
import { keepPositions, packChunk, parseSearchPlain, searchPlain } from './enterprises.pack.js';

/** Records with a value other than the first in every column, and one with none where it may. */
const records: EnterpriseSummary[] = [
  makeEnterprise(1),
  makeEnterprise(2, {
    name: '烟台海润食品有限公司',
    legalRep: '李娜',
    address: '山东省烟台市芝罘区',
    region: '370602',
    status: '吊销未注销',
    internal: { ...makeEnterprise(2).internal, creditClass: 'D', warningColor: 'orange' },
  } satisfies Partial<Enterprise>),
  makeEnterprise(3, {
    status: '撤销',
    internal: { ...makeEnterprise(3).internal, creditClass: 'E', warningColor: 'green' },
  }),
].map(summarize);

/** Each record's columns as read back from a search row, position i. */
function rowValues(row: Record<string, unknown>, i: number) {
  return flatSummary((c) => {
    const stored = row[c.search];
    if (c.kind === 'text') return (stored as readonly string[])[i]!;
    return c.decode((stored as string).charAt(i));
  });
}

const flat = (e: EnterpriseSummary) => flatSummary((c) => c.read(e));

describe('summary columns in the store', () => {
  it('summarize keeps every column and the version, nothing else', () => {
    const full = makeEnterprise(9, { internal: { ...makeEnterprise(9).internal, warningColor: 'red' } });
    const s = summarize(full);
    expect(s.version).toBe(full.version);
    for (const c of SUMMARY_COLUMNS) expect(c.read(s), c.field).toBe(c.read(full));
    expect(Object.keys(s).sort()).toEqual(
      ['version', 'internal', ...SUMMARY_COLUMNS.filter((c) => !c.internal).map((c) => c.field)].sort(),
    );
  });

  it('a packed search row, its plaintext and a compaction keep every column of every record', () => {
    const packed = records.map((enterprise) => ({ enterprise, raw: '{}' }));
    const { search } = packChunk(4, 1, packed);
    records.forEach((e, i) => expect(rowValues(search, i)).toEqual(flat(e)));

    const back = parseSearchPlain(4, 1, JSON.parse(JSON.stringify(searchPlain(search))));
    expect(back).toEqual(search);

    const chunk = packChunk(4, 1, packed).chunk;
    const kept = keepPositions(chunk, search, [2, 0]).search;
    expect(rowValues(kept, 0)).toEqual(flat(records[2]!));
    expect(rowValues(kept, 1)).toEqual(flat(records[0]!));
  });

  it('a stored plaintext with a column missing or of the wrong kind is refused', () => {
    const { search } = packChunk(
      4,
      1,
      records.map((enterprise) => ({ enterprise, raw: '{}' })),
    );
    const plain = searchPlain(search) as unknown[];
    expect(() => parseSearchPlain(4, 1, plain.slice(1))).toThrow('企业检索分块 4 的内容格式不正确');
    const codeAt = SUMMARY_COLUMNS.findIndex((c) => c.kind === 'code');
    const wrong = plain.map((v, k) => (k === codeAt ? ['x'] : v));
    expect(() => parseSearchPlain(4, 1, wrong)).toThrow('企业检索分块 4 的内容格式不正确');
  });
});
