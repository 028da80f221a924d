/**
 * The documents service end to end in Node: numbers from the reserved block, the notice before any
 * result, the record and the rectification order from a finalized result with drawn signatures,
 * the PDF's text and QR, a failed document voiding its number, and bad input consuming none.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNumbersRepo, sha256Hex as webSha } from '../../renderer/src/db/index.js';
import { verificationUrl } from '../../renderer/src/print/index.js';
import type { Draft } from '../../renderer/src/services/api.js';
import { createDocumentsService } from '../../renderer/src/services/documents/documents.service.js';
import { hashText } from '../../renderer/src/services/documents/documents.inputs.js';
import { signDraft } from '../../renderer/src/testing/inspection.testkit.js';
import { disposeDatabases, makeEnterprise, makeTask, member } from '../../renderer/src/testing/builders.js';
import { documentsWorld, renderer, signedIn, type DocumentsWorld } from './documents-kit.js';
import { decodeQr, PdfFile, squash } from './pdf-tools.js';

const RARE = '喆堃犇㙟';
let dbs: DocumentsWorld['dbs'];
let s: DocumentsWorld['s'];
const task = makeTask(7, {
  enterprise: { uscc: makeEnterprise(7).uscc, name: `温州${RARE}五金有限公司`, address: `温州市鹿城区${RARE}路8号` },
  team: [member(1), member(2)],
});

let service: DocumentsWorld['documents'];

beforeAll(async () => {
  const docTypes = ['notice', 'record', 'rectification'] as const;
  ({
    dbs,
    s,
    documents: service,
  } = await documentsWorld(
    task,
    docTypes.map((docType, i) => ({ docType, prefix: `威环市监${i}〔2026〕`, from: 11, to: 13 })),
  ));
});
afterAll(() => disposeDatabases(dbs));

async function finalize(): Promise<void> {
  const d: Draft = await s.inspection.openDraft(task.id);
  const filled: Draft = {
    ...d,
    items: d.items.map((i, n) =>
      n === 0
        ? { ...i, outcome: 'pass' }
        : {
            ...i,
            outcome: 'fail',
            finding: {
              description: '未按时公示年度报告',
              legalBasis: '《企业信息公示暂行条例》第八条',
              severity: 'general',
              handling: 'rectify',
              rectifyDeadline: '2026-06-01',
              lenient: null,
            },
          },
    ),
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: ['ORDER_CORRECTION'],
  };
  const signed = await signDraft(s.inspection, filled);
  await s.inspection.saveDraft(signed);
  const r = await s.inspection.finalize(task.id);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
}

describe('documents service', () => {
  it('issues the notice before any result, with a number from the block and the QR link to its own hash', async () => {
    const docs = service();
    expect((await docs.available(task.id)).map((a) => [a.kind, a.blockedReason === null])).toEqual([
      ['notice', true],
      ['record', false],
      ['rectification', false],
      ['questioning', true],
      ['evidence', false],
      ['preservation', true],
      ['foodResult', false],
      ['directive', false],
      ['service', false],
    ]);
    const bad = await docs.issue(task.id, {
      kind: 'notice',
      details: { ...(await docs.defaults(task.id, 'notice')), contactPhone: '' },
    });
    expect(bad).toEqual({ ok: false, message: '缺少联系电话' });
    const res = await docs.issue(task.id, {
      kind: 'notice',
      details: { ...(await docs.defaults(task.id, 'notice')), contactPhone: '0577-88200315' },
    });
    if (!res.ok) throw new Error(res.message);
    expect(res.document.docNo).toBe('威环市监0〔2026〕0011号'); // the bad attempt consumed no number
    const draft = await s.inspection.openDraft(task.id);
    expect(res.document.verifyUrl).toBe(
      verificationUrl({
        platformUrl: 'http://127.0.0.1:8787',
        resultId: draft.resultId,
        contentHash: res.document.docHash,
      }),
    );
    const pdf = new PdfFile((await docs.pdf(res.document.docId))!);
    try {
      const text = squash(pdf.text());
      expect(text).toContain(squash(task.enterprise.name));
      expect(text).toContain('威环市监0〔2026〕0011号');
      expect(decodeQr(pdf.png(pdf.pageCount(), 200))).toContain(res.document.verifyUrl);
    } finally {
      pdf.dispose();
    }
    expect((await docs.stock()).find((x) => x.kind === 'notice')).toMatchObject({ remaining: 2, low: true });
  });

  it('issues the record with the drawn signatures and the rectification order after finalize; voiding keeps the number', async () => {
    await finalize();
    const docs = service();
    const defaults = await docs.defaults(task.id, 'record');
    expect(defaults).toMatchObject({
      presentName: '李四',
      presentPost: '店长',
      presentIdNo: '370000199001011234',
      partyRefused: false,
    });
    const rec = await docs.issue(task.id, { kind: 'record', details: defaults });
    if (!rec.ok) throw new Error(rec.message);
    const order = await docs.issue(task.id, {
      kind: 'rectification',
      details: await docs.defaults(task.id, 'rectification'),
    });
    if (!order.ok) throw new Error(order.message);
    const pdf = new PdfFile((await docs.pdf(rec.document.docId))!);
    try {
      const text = squash(pdf.text());
      expect(text).toContain('现场检查笔录');
      expect(text).toContain(rec.document.docNo);
      expect(text).toContain('李四');
    } finally {
      pdf.dispose();
    }
    await docs.void(order.document.docId, '期限填写错误');
    const list = await docs.list(task.id);
    expect(list.map((d) => [d.kind, d.voided])).toEqual([
      ['notice', false],
      ['record', false],
      ['rectification', true],
    ]);
    const unreported = await docNumbersRepo(dbs.field).unreported();
    expect(unreported.find((u) => u.docType === 'rectification')).toMatchObject({
      state: 'voided',
      voidReason: '期限填写错误',
    });
    expect(unreported.find((u) => u.docType === 'record')?.docHash).toBe(rec.document.docHash);
  });

  it('hashes what is printed: the hash covers the number but not itself', async () => {
    const docs = service();
    const [notice] = await docs.list(task.id);
    expect(notice?.docHash).toMatch(/^[0-9a-f]{64}$/);
    const a = hashText('notice', {
      verification: { platformUrl: 'http://x', resultId: 'r', contentHash: 'a'.repeat(64) },
      docNo: '1',
    } as never);
    const b = hashText('notice', {
      verification: { platformUrl: 'http://x', resultId: 'r', contentHash: 'b'.repeat(64) },
      docNo: '1',
    } as never);
    const c = hashText('notice', {
      verification: { platformUrl: 'http://x', resultId: 'r', contentHash: 'a'.repeat(64) },
      docNo: '2',
    } as never);
    expect(await webSha(a)).toBe(await webSha(b));
    expect(await webSha(a)).not.toBe(await webSha(c));
  });

  it('voids the number with the reason when rendering fails, and never hands it out again', async () => {
    const broken = createDocumentsService(s.internals.runtime, {
      tasks: s.tasks,
      enterprises: s.enterprises,
      inspection: s.inspection,
      auth: signedIn,
      renderer: () => ({
        render: async () => {
          throw new Error('打印机驱动异常');
        },
        warmUp: async () => undefined,
        stats: () => renderer.stats(),
      }),
    });
    const before = (await docNumbersRepo(dbs.field).remaining()).notice;
    const res = await broken.issue(task.id, {
      kind: 'notice',
      details: { ...(await broken.defaults(task.id, 'notice')), contactPhone: '0577-1' },
    });
    expect(res.ok).toBe(false);
    expect(res.ok ? '' : res.message).toContain('已作废');
    const voided = (await docNumbersRepo(dbs.field).numbersFor(task.id)).filter(
      (n) => n.state === 'voided' && n.docType === 'notice',
    );
    expect(voided).toHaveLength(1);
    expect(voided[0]?.voidReason).toContain('打印机驱动异常');
    expect((await docNumbersRepo(dbs.field).remaining()).notice).toBe(before - 1);
  });

  it('bundles the task into one case file: every document again, voided ones marked, pages numbered across it', async () => {
    const docs = service();
    const list = await docs.list(task.id);
    const made = await docs.caseFile(task.id);
    if (!made.ok) throw new Error(made.message);
    expect(made.documents).toBe(list.length);
    const pdf = new PdfFile(made.pdf);
    try {
      const pages = pdf.pageCount();
      const texts = Array.from({ length: pages }, (_, i) => squash(pdf.text(i + 1)));
      texts.forEach((t, i) => expect(t).toContain(`案卷第${i + 1}页共${pages}页`));
      const all = texts.join('');
      for (const d of list) expect(all).toContain(squash(d.docNo));
      const voided = list.find((d) => d.voided)!;
      expect(texts[0]).toContain(squash(`${voided.title} ${voided.docNo}（已作废）`));
      const stored = await s.inspection.resultForTask(task.id);
      const resultUrl = verificationUrl({
        platformUrl: 'http://127.0.0.1:8787',
        resultId: stored!.resultId,
        contentHash: stored!.contentHash,
      });
      const indexPage = texts.findIndex((t) => t.startsWith('证据索引及签名')) + 1;
      expect(decodeQr(pdf.png(indexPage, 150))).toEqual([resultUrl]);
      // The notice is laid out again from its stored input: same number, same QR as the paper.
      // Its QR is on its last page: the one before the second document starts.
      const noticeLast = texts.findIndex((t) => t.startsWith(squash('卷内第2件')));
      expect(decodeQr(pdf.png(noticeLast, 150))).toEqual([list[0]!.verifyUrl]);
    } finally {
      pdf.dispose();
    }
  });
});
