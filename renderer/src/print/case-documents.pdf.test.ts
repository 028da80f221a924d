/**
 * The other case documents read back from their PDFs (pdftotext) with their QR decoded (zbarimg):
 * the evidence list with every item's hash, the preservation notice, the proof of service with
 * its method and recipient or refusal, the special-equipment order and the food result record;
 * plus the rules that keep a wrong paper from being printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFontSource } from '../../../test/print/node-font-source.js';
import { PdfFile, decodeQr, fixtures, squash } from '../../../test/print/pdf-tools.js';
import { buildDocument, createPdfRenderer, verificationUrl, type DocumentInputs } from './index.js';

type Kind = 'evidence' | 'preservation' | 'service' | 'directive' | 'foodResult';
const renderer = createPdfRenderer(nodeFontSource);
const files: PdfFile[] = [];
afterAll(() => files.forEach((f) => f.dispose()));

async function render<K extends Kind>(kind: K, input: DocumentInputs[K]): Promise<PdfFile> {
  const file = new PdfFile(await renderer.render(buildDocument(kind, input)));
  files.push(file);
  return file;
}

/** Every page numbered, the QR on the last page decodes to the document's link. */
function expectNumberedWithQr(file: PdfFile, url: string): void {
  const pages = file.pageCount();
  for (let p = 1; p <= pages; p++) expect(squash(file.text(p))).toContain(`第${p}页共${pages}页`);
  expect(decodeQr(file.png(pages, 200))).toEqual([url]);
}

describe('case documents read back from the PDF', () => {
  it('证据提取单 lists every item with its kind, time and full SHA-256', async () => {
    const input = fixtures.evidence();
    const file = await render('evidence', input);
    const text = squash(file.text());
    for (const s of ['证据提取单', '鹿市监证取〔2026〕0004号', '温州喆堃犇㙟五金机电有限公司', '2026年3月12日10时35分'])
      expect(text).toContain(squash(s));
    for (const item of input.items) {
      expect(text).toContain(squash(item.description));
      if (item.sha256) expect(text).toContain(item.sha256);
    }
    expect(text).toContain('—（实物或纸质）');
    for (let p = 1; p <= file.pageCount(); p++) expect(squash(file.text(p))).toContain('当事人签名：');
    expectNumberedWithQr(file, verificationUrl(input.verification));
  });

  it('先行登记保存证据通知书 names the reason, basis, items, keeper and period', async () => {
    const input = fixtures.preservation();
    const file = await render('preservation', input);
    const text = squash(file.text());
    for (const s of [
      '先行登记保存证据通知书',
      '鹿市监先保〔2026〕0002号',
      '《中华人民共和国行政处罚法》第五十六条',
      '转换器插座（批号20260220）',
      '900只',
      '自2026年3月12日至2026年3月18日',
      '不得损毁、销毁或者转移证据',
      '当事人签收',
    ])
      expect(text).toContain(squash(s));
    expectNumberedWithQr(file, verificationUrl(input.verification));
  });

  it('送达回证 shows the documents served, the method ticked and the recipient', async () => {
    const input = fixtures.service();
    const file = await render('service', input);
    const text = squash(file.text());
    for (const s of [
      '送达回证',
      '询问笔录（鹿市监询笔〔2026〕0007号）',
      '先行登记保存证据通知书（鹿市监先保〔2026〕0002号）',
      '■直接送达',
      '□留置送达',
      '2026年3月12日11时50分',
      '受送达人（签名或盖章）',
    ])
      expect(text).toContain(squash(s));
    expectNumberedWithQr(file, verificationUrl(input.verification));
  });

  it('送达回证 for a refusal records 留置送达, the refusal and the witness', async () => {
    const input = fixtures.service();
    const refused = {
      ...input,
      method: 'left' as const,
      receipt: {
        kind: 'refused' as const,
        note: '受送达人林堃拒绝在送达回证上签字',
        witness: { name: '王喆', idNo: '', signature: { name: '王喆', imageDataUrl: null, signedAt: null } },
      },
    };
    const text = squash((await render('service', refused)).text());
    for (const s of [
      '■留置送达',
      '□直接送达',
      '受送达人拒绝签收',
      '受送达人林堃拒绝在送达回证上签字',
      '见证人（签名）',
      '王喆',
    ])
      expect(text).toContain(squash(s));
    expect(() => buildDocument('service', { ...refused, method: 'direct' })).toThrow('拒收时请选择留置送达');
  });

  it('特种设备安全监察指令书 lists problems, equipment, measures, deadline and the re-inspection', async () => {
    const input = fixtures.directive();
    const file = await render('directive', input);
    const text = squash(file.text());
    for (const s of [
      '特种设备安全监察指令书',
      '鹿市监特指〔2026〕0003号',
      '车11浙C08765(21)',
      '请于2026年3月27日前完成整改',
      '经检验合格前不得继续使用',
      '收到整改报告后10个工作日内进行复查',
      ...input.problems,
      ...input.measures,
    ])
      expect(text).toContain(squash(s));
    expectNumberedWithQr(file, verificationUrl(input.verification));
  });

  it('监督检查结果记录表 ticks exactly the result and prints the counts', async () => {
    const input = fixtures.foodResult();
    const file = await render('foodResult', input);
    const text = squash(file.text());
    for (const s of [
      '监督检查结果记录表',
      '重点项12项，发现问题0项',
      '一般项18项，发现问题2项',
      '□符合',
      '■基本符合',
      '□不符合',
      '张贴或者悬挂',
    ])
      expect(text).toContain(squash(s));
    expectNumberedWithQr(file, verificationUrl(input.verification));
  });
});

describe('case document rules', () => {
  it('the food result must follow from the counts', () => {
    const input = fixtures.foodResult();
    expect(() => buildDocument('foodResult', { ...input, outcome: 'compliant' })).toThrow(
      '发现问题时检查结果不能为“符合”',
    );
    expect(() => buildDocument('foodResult', { ...input, keyProblems: 1 })).toThrow(
      '重点项存在问题时检查结果应为“不符合”',
    );
    expect(() => buildDocument('foodResult', { ...input, generalProblems: 0 })).toThrow(
      '未发现问题时检查结果应为“符合”',
    );
    expect(() => buildDocument('foodResult', { ...input, generalProblems: 19 })).toThrow(
      '发现问题的项数不能多于检查的项数',
    );
  });

  it('preservation lasts at most seven days; an order cannot be due before it is issued', () => {
    expect(() => buildDocument('preservation', { ...fixtures.preservation(), to: '2026-03-19' })).toThrow(
      '先行登记保存期限不得超过7日',
    );
    expect(() => buildDocument('directive', { ...fixtures.directive(), deadline: '2026-03-11' })).toThrow(
      '整改期限不得早于出具日期',
    );
  });

  it('an evidence list needs an item, a proof of service two servers', () => {
    expect(() => buildDocument('evidence', { ...fixtures.evidence(), items: [] })).toThrow('请至少列出一项证据');
    expect(() => buildDocument('service', { ...fixtures.service(), server: ['陈晓东'] })).toThrow('送达人不得少于两人');
  });
});
