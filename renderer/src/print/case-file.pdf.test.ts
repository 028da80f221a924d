/**
 * The case file read back from its PDF: every page numbered across the bundle, the documents in
 * order with the page each starts on in the contents, the questioning record's signature lines on
 * each of its pages, the evidence index with every hash, and the QR codes of the documents and
 * of the result decoding.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFontSource } from '../../../test/print/node-font-source.js';
import { PdfFile, decodeQr, fixtures, squash } from '../../../test/print/pdf-tools.js';
import {
  DOCUMENT_TITLES,
  buildCaseFile,
  buildDocument,
  createPdfRenderer,
  signatureLabelsOf,
  verificationUrl,
  type CaseFileInput,
  type CaseFilePart,
  type DocumentInputs,
  type DocumentKind,
} from './index.js';

const renderer = createPdfRenderer(nodeFontSource);
const files: PdfFile[] = [];
afterAll(() => files.forEach((f) => f.dispose()));

function part<K extends DocumentKind>(kind: K, input: DocumentInputs[K]): CaseFilePart {
  return {
    title: DOCUMENT_TITLES[kind],
    docNo: input.docNo,
    voided: false,
    definition: buildDocument(kind, input),
    signatureLabels: signatureLabelsOf(kind, input),
  };
}

/** Fresh definitions per render: pdfmake writes into the definitions it lays out (images become keys). */
const makeParts = (): CaseFilePart[] => [
  part('notice', fixtures.notice()),
  part('record', fixtures.record()),
  part('questioning', fixtures.questioning()),
  part('evidence', fixtures.evidence()),
  part('preservation', fixtures.preservation()),
  part('service', fixtures.service()),
  part('rectification', fixtures.rectification()),
  part('directive', fixtures.directive()),
  part('foodResult', fixtures.foodResult()),
];

function caseInput(): CaseFileInput {
  const r = fixtures.record();
  return {
    authority: r.authority,
    issuedOn: '2026-03-13',
    task: r.task,
    party: r.party,
    result: r.result,
    verification: r.verification,
    evidence: fixtures.evidence().items,
    signatures: [
      {
        role: '检查人员',
        name: '陈晓东',
        detail: '执法证号：33030211001',
        signedAt: '2026-03-12T10:42:00+08:00',
        sha256: 'a'.repeat(64),
      },
      {
        role: '当事人',
        name: '林堃',
        detail: '生产副总经理',
        signedAt: '2026-03-12T10:42:00+08:00',
        sha256: 'b'.repeat(64),
      },
    ],
  };
}

/** zbarimg exits non-zero on a page without a code. */
function qrOn(file: PdfFile, page: number): string[] {
  try {
    return decodeQr(file.png(page, 150));
  } catch {
    return [];
  }
}

describe('案卷 PDF', () => {
  it('numbers every page across the bundle and lists each document with the page it starts on', async () => {
    const file = new PdfFile(await renderer.render(buildCaseFile(caseInput(), makeParts())));
    files.push(file);
    const pages = file.pageCount();
    const texts = Array.from({ length: pages }, (_, i) => squash(file.text(i + 1)));
    texts.forEach((t, i) => expect(t).toContain(`案卷第${i + 1}页共${pages}页`));
    const contents = texts[0]!;
    expect(contents).toContain('双随机抽查检查案卷');
    expect(contents).toContain('卷内文书目录');
    let previous = 1;
    makeParts().forEach((p, k) => {
      const label = squash(`卷内第${k + 1}件：${p.title} ${p.docNo}`);
      const start = texts.findIndex((t) => t.startsWith(label)) + 1;
      expect(start).toBeGreaterThan(previous); // in order, each on its own pages
      expect(contents).toContain(`${label}${start}`);
      previous = start;
    });
    const total = pages;
    expect(total).toBeGreaterThan(makeParts().length + 1);
  });

  it('keeps the questioning record’s signature lines on each of its pages, and none on the cover', async () => {
    const file = new PdfFile(await renderer.render(buildCaseFile(caseInput(), makeParts())));
    files.push(file);
    const texts = Array.from({ length: file.pageCount() }, (_, i) => squash(file.text(i + 1)));
    const q = squash(`卷内第3件：询问笔录 ${fixtures.questioning().docNo}`);
    const own = texts.filter((t) => t.endsWith(q)); // the footer's caption names the document
    expect(own.length).toBeGreaterThan(1);
    for (const t of own) {
      expect(t).toContain('被询问人签名：');
      expect(t.split('询问人签名：').length - 1).toBeGreaterThanOrEqual(3);
    }
    expect(texts[0]).not.toContain('签名：___');
  });

  it('indexes every evidence item with its hash and verifies the result and the documents by QR', async () => {
    const input = caseInput();
    const file = new PdfFile(await renderer.render(buildCaseFile(input, makeParts())));
    files.push(file);
    const texts = Array.from({ length: file.pageCount() }, (_, i) => squash(file.text(i + 1)));
    const indexPage = texts.findIndex((t) => t.startsWith('证据索引及签名')) + 1;
    expect(indexPage).toBeGreaterThan(0);
    const index = texts.slice(indexPage - 1, indexPage + 1).join('');
    for (const e of input.evidence) if (e.sha256) expect(index).toContain(e.sha256);
    expect(index).toContain('a'.repeat(32));
    const resultUrl = verificationUrl(input.verification!);
    // Scan only where the codes belong (rasterising every page is slow): the index's last page
    // and the questioning record's last page.
    const indexEnd = texts.findIndex((t, i) => i >= indexPage && t.startsWith(squash('卷内第1件'))); // next section
    expect(qrOn(file, indexEnd)).toEqual([resultUrl]);
    const q = squash(`卷内第3件：询问笔录 ${fixtures.questioning().docNo}`);
    const qLast = texts.map((t, i) => (t.endsWith(q) ? i + 1 : 0)).reduce((a, b) => Math.max(a, b), 0);
    expect(qrOn(file, qLast)).toEqual([verificationUrl(fixtures.questioning().verification)]);
  });
});
