/**
 * Real PDFs from the fixtures, read back with poppler and zbar (Node helpers in test/print/):
 * key fields and rare characters come out as text, every record page is numbered, the QR code
 * decodes to the verification link, and the fonts are loaded once per renderer.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../shared/domain/canonical.js';
import { fontPath, nodeFontSource } from '../../../test/print/node-font-source.js';
import { PdfFile, decodeQr, fixtures, openEmbeddedFont, sha256Hex, squash } from '../../../test/print/pdf-tools.js';
import type { FontSource } from './fonts.js';
import { fontCovers } from './glyphs.js';
import { buildDocument, createPdfRenderer } from './index.js';

const RARE = ['喆', '堃', '犇', '㙟'];
const renderer = createPdfRenderer(nodeFontSource);
const files: PdfFile[] = [];

async function render(
  kind: 'notice' | 'record' | 'rectification',
  which: 'record' | 'recordRefused' = 'record',
): Promise<PdfFile> {
  const def =
    kind === 'notice'
      ? buildDocument('notice', fixtures.notice())
      : kind === 'rectification'
        ? buildDocument('rectification', fixtures.rectification())
        : buildDocument('record', fixtures[which]());
  const file = new PdfFile(await renderer.render(def));
  files.push(file);
  return file;
}

afterAll(() => files.forEach((f) => f.dispose()));

const common = fixtures.record();
const expectedUrl = `https://sjsj.scjgj.example.cn/public/verify?result=${common.result.resultId}&hash=${common.verification.contentHash}`;

describe('rendered documents', () => {
  it('fixture hash is the real content hash of the result', () => {
    expect(common.verification.contentHash).toBe(sha256Hex(canonicalJson(common.result)));
  });

  it('notice: title, number, party, task number, items, contact and rare characters', async () => {
    const text = squash((await render('notice')).text());
    for (const s of [
      '随机抽查检查通知书',
      '鹿市监检通〔2026〕0012号',
      '温州喆堃犇㙟五金机电有限公司',
      '91330302MA2CJ4K7X4',
      'SJRW-330302-2026-0015',
      '特种设备（场（厂）内专用机动车辆）使用单位的检查',
      '2026年3月12日至2026年3月13日',
      '联系人：周雯',
      '33030221417',
      '温州市鹿城区市场监督管理局',
    ]) {
      expect(text).toContain(s);
    }
    for (const ch of RARE) expect(text).toContain(ch);
  });

  it('record: several pages, each numbered and with signature lines', async () => {
    const file = await render('record');
    const pages = file.pageCount();
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const text = squash(file.text(p));
      expect(text).toContain(`第${p}页共${pages}页`);
      expect(text).toContain('当事人签名：');
      expect(text).toContain('检查人员签名：');
    }
    const all = squash(file.text());
    for (const s of [
      '现场检查笔录',
      '鹿市监现笔〔2026〕0031号',
      '2026年3月12日9时05分至10时40分',
      '陈晓东（执法证号：33030211001）',
      '周雯（执法证号：33030211023）',
      '检查人员已向当事人出示执法证件',
      '是否申请检查人员回避',
      '浙江省温州市鹿城区㙟头街道堃源路88号喆园大厦3幢1201室',
      '库存“堃源牌”转换插座2批次外包装未标注生产厂厂址',
      '现场照片8张',
      '发现问题已责令改正',
    ]) {
      expect(all).toContain(s);
    }
    for (const ch of RARE) expect(all).toContain(ch);
  });

  it('record with a refusal: notes the refusal and the witness', async () => {
    const all = squash((await render('record', 'recordRefused')).text());
    expect(all).toContain('当事人拒绝签名');
    expect(all).toContain('黄犇身份证件号码：330302197611023318');
    expect(all).toContain('见证人签名：');
  });

  it('rectification order: facts, basis, deadline, report-back', async () => {
    const all = squash((await render('rectification')).text());
    for (const s of [
      '责令改正通知书',
      '鹿市监责改〔2026〕0007号',
      '《中华人民共和国产品质量法》第二十七条第一款第（二）项',
      '2026年4月10日前',
      '第2项应于2026年3月27日前改正',
      '整改情况书面报告',
    ]) {
      expect(all).toContain(s);
    }
    expect(all).not.toContain('电子天平'); // corrected on the spot: not part of the order
  });

  it.each(['notice', 'record', 'rectification'] as const)(
    '%s: the QR code decodes to the verification link',
    async (kind) => {
      const file = await render(kind);
      const last = file.pageCount();
      expect(decodeQr(file.png(last, 150))).toEqual([expectedUrl]);
    },
  );
});

describe('fonts', () => {
  it('glyph table of glyphs.ts agrees with the real font file', () => {
    const regular = openEmbeddedFont(fontPath('regular'));
    const bold = openEmbeddedFont(fontPath('bold'));
    const ranges: Array<[number, number]> = [
      [0x3400, 0x4dbf],
      [0x4e00, 0x9fff],
      [0x20000, 0x323af],
    ];
    const disagree: string[] = [];
    for (const [a, b] of ranges) {
      for (let cp = a; cp <= b; cp++) {
        if (fontCovers(cp) !== regular.hasGlyphForCodePoint(cp) || fontCovers(cp) !== bold.hasGlyphForCodePoint(cp))
          disagree.push(cp.toString(16));
      }
    }
    expect(disagree).toEqual([]);
  });

  it('loads each weight once per renderer and retries after a failed load', async () => {
    const calls: string[] = [];
    let fail = true;
    const source: FontSource = {
      async load(weight) {
        calls.push(weight);
        if (fail) throw new Error('离线，字体未缓存');
        return nodeFontSource.load(weight);
      },
    };
    const r = createPdfRenderer(source);
    const def = buildDocument('rectification', fixtures.rectification());
    await expect(r.render(def)).rejects.toThrow('离线，字体未缓存');
    fail = false;
    calls.length = 0;
    await r.warmUp();
    expect(calls.sort()).toEqual(['bold', 'regular']);
    const first = await r.render(def);
    const second = await r.render(def);
    expect(calls.sort()).toEqual(['bold', 'regular']);
    expect(first.byteLength).toBeGreaterThan(1000);
    expect(second.byteLength).toBeGreaterThan(1000);
    const stats = r.stats();
    expect(stats.documents).toBe(2);
    expect(stats.firstMs).not.toBeNull();
    expect(stats.lastMs).not.toBeNull();
    expect(stats.nextMs).toBe(stats.lastMs);
    expect(stats.lastBytes).toBe(second.byteLength);
  });
});
