/**
 * The questioning record read back from its PDF: several pages, each with the person's and both
 * officers' signature lines and its page number, the rights notice and every answer as typed, the
 * rare characters of the names, and the QR decoding to the verification link.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFontSource } from '../../../test/print/node-font-source.js';
import { PdfFile, decodeQr, fixtures, squash } from '../../../test/print/pdf-tools.js';
import { buildDocument, createPdfRenderer, verificationUrl } from './index.js';

const renderer = createPdfRenderer(nodeFontSource);
const files: PdfFile[] = [];
afterAll(() => files.forEach((f) => f.dispose()));

async function render(input = fixtures.questioning()): Promise<PdfFile> {
  const file = new PdfFile(await renderer.render(buildDocument('questioning', input)));
  files.push(file);
  return file;
}

describe('询问笔录 PDF', () => {
  it('runs over several pages; every page carries the three signature lines and 第 X 页 共 Y 页', async () => {
    const file = await render();
    const pages = file.pageCount();
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const text = squash(file.text(p));
      expect(text).toContain(`第${p}页共${pages}页`);
      expect(text).toContain('被询问人签名：');
      expect(text.split('询问人签名：').length - 1).toBeGreaterThanOrEqual(3); // person + two officers
      expect(text).toContain('文书格式SAMR-2021.1');
    }
  });

  it('prints the heading, the person, the rights notice and every question and answer', async () => {
    const input = fixtures.questioning();
    const text = squash((await render(input)).text());
    for (const s of [
      '询问笔录',
      '鹿市监询笔〔2026〕0007号',
      '2026年3月12日10时50分至11时45分',
      '陈晓东（执法证号：33030211001）',
      '林堃',
      '男／37岁',
      '你有陈述、申辩的权利',
      '听清楚了。',
      '是否申请执法人员回避',
      '以上笔录我看过，和我说的一样。',
      '温州喆堃犇㙟五金机电有限公司',
    ])
      expect(text).toContain(squash(s));
    for (const x of input.qa) {
      expect(text).toContain(squash(x.q));
      expect(text).toContain(squash(x.a));
    }
  });

  it('carries the verification QR on its last page', async () => {
    const input = fixtures.questioning();
    const file = await render(input);
    expect(decodeQr(file.png(file.pageCount(), 200))).toEqual([verificationUrl(input.verification)]);
  });

  it('asks the witness to sign each page when the person refused', async () => {
    const input = fixtures.questioning();
    const refused = {
      ...input,
      personSignature: {
        kind: 'refused' as const,
        note: '被询问人对笔录内容无异议，但拒绝签名。',
        witness: {
          name: '王喆',
          idNo: '330302199002023456',
          signature: { name: '王喆', imageDataUrl: null, signedAt: null },
        },
      },
    };
    const file = await render(refused);
    for (let p = 1; p <= file.pageCount(); p++) {
      const text = squash(file.text(p));
      expect(text).toContain('见证人签名：');
      expect(text).not.toContain('被询问人签名：');
    }
    expect(squash(file.text())).toContain('被询问人拒绝签名');
  });

  it('refuses a record with no question, or an end before the start', () => {
    const input = fixtures.questioning();
    expect(() => buildDocument('questioning', { ...input, qa: [] })).toThrow('请至少记录一问一答');
    expect(() => buildDocument('questioning', { ...input, finishedAt: '2026-03-12T10:00:00+08:00' })).toThrow(
      '询问结束时间早于开始时间',
    );
  });
});
