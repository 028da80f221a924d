/**
 * Document definitions from the fixtures: snapshot-tested (dates are fixed in the fixtures, so
 * the snapshots are stable), plus the rules a clerk relies on (validation, footer, refusal).
 */
import type { Content, ContextPageSize, TDocumentDefinitions } from 'pdfmake/interfaces';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../../../test/print/pdf-tools.js';
import { buildDocument } from './index.js';

const A4: ContextPageSize = { width: 595.28, height: 841.89, orientation: 'portrait' };

function footerText(def: TDocumentDefinitions, page: number, pages: number): string {
  if (typeof def.footer !== 'function') throw new Error('footer should be a function of the page');
  return JSON.stringify(def.footer(page, pages, A4) as Content);
}

describe('document definitions', () => {
  it('notice matches its snapshot', () => {
    expect(buildDocument('notice', fixtures.notice())).toMatchSnapshot();
  });

  it('record matches its snapshot', () => {
    expect(buildDocument('record', fixtures.record())).toMatchSnapshot();
  });

  it('record with a refusal matches its snapshot', () => {
    expect(buildDocument('record', fixtures.recordRefused())).toMatchSnapshot();
  });

  it('rectification order matches its snapshot', () => {
    expect(buildDocument('rectification', fixtures.rectification())).toMatchSnapshot();
  });

  it('puts page X of Y and both signature lines in the footer of every record page', () => {
    const def = buildDocument('record', fixtures.record());
    for (const page of [1, 2, 3]) {
      const text = footerText(def, page, 3);
      expect(text).toContain(`第 ${page} 页 共 3 页`);
      expect(text).toContain('当事人签名');
      expect(text).toContain('检查人员签名');
    }
  });

  it('asks the witness to sign each page when the party refused', () => {
    const text = footerText(buildDocument('record', fixtures.recordRefused()), 1, 3);
    expect(text).toContain('见证人签名');
    expect(text).not.toContain('当事人签名');
  });

  it('uses A4 and the embedded CJK font', () => {
    const def = buildDocument('notice', fixtures.notice());
    expect(def.pageSize).toBe('A4');
    expect(def.defaultStyle?.font).toBe('NotoSansSC');
  });
});

describe('document input validation', () => {
  it('refuses a document without a number', () => {
    expect(() => buildDocument('notice', { ...fixtures.notice(), docNo: '' })).toThrow('缺少文书编号');
  });

  it('refuses a record with fewer than two inspector signatures', () => {
    const input = fixtures.record();
    expect(() =>
      buildDocument('record', { ...input, inspectorSignatures: input.inspectorSignatures.slice(0, 1) }),
    ).toThrow('检查人员不得少于两人');
  });

  it('refuses a result naming an inspector outside the task team', () => {
    const input = fixtures.record();
    const result = { ...input.result, inspectorIds: ['insp-0301', 'insp-9999'] };
    expect(() => buildDocument('record', { ...input, result })).toThrow('检查人员不在任务执法组中：insp-9999');
  });

  it('refuses a rectification order when nothing is to be rectified', () => {
    const input = fixtures.rectification();
    const itemResults = input.result.itemResults.map((r) => ({ ...r, outcome: 'pass' as const, finding: null }));
    expect(() => buildDocument('rectification', { ...input, result: { ...input.result, itemResults } })).toThrow(
      '没有需要责令限期改正的问题',
    );
  });

  it('refuses a QR link to anything but http(s)', () => {
    const input = fixtures.notice();
    const verification = { ...input.verification, platformUrl: 'javascript:alert(1)' };
    expect(() => buildDocument('notice', { ...input, verification })).toThrow();
  });
});
