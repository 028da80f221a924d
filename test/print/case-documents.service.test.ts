/**
 * The case documents through the documents service in Node: the questioning record typed on site
 * before the result is finalized, numbered from its own block, hashed, read back from the PDF with
 * its QR, and entered in the audit chain; bad input consumes no number.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditRepo, docNumbersRepo } from '../../renderer/src/db/index.js';
import type { Draft, QuestioningDetails } from '../../renderer/src/services/api.js';
import { signDraft, tinyPng } from '../../renderer/src/testing/inspection.testkit.js';
import { disposeDatabases, makeEnterprise, makeTask, member } from '../../renderer/src/testing/builders.js';
import { documentsWorld, type DocumentsWorld } from './documents-kit.js';
import { decodeQr, PdfFile, squash } from './pdf-tools.js';

let dbs: DocumentsWorld['dbs'];
let s: DocumentsWorld['s'];
const task = makeTask(9, {
  enterprise: { uscc: makeEnterprise(9).uscc, name: '温州喆堃食品有限公司', address: '温州市鹿城区犇园路9号' },
  team: [member(1), member(2)],
});

let service: DocumentsWorld['documents'];

beforeAll(async () => {
  const docTypes = ['questioning', 'evidence', 'service', 'foodResult', 'preservation', 'directive'] as const;
  ({
    dbs,
    s,
    documents: service,
  } = await documentsWorld(
    task,
    docTypes.map((docType, i) => ({ docType, prefix: `威环市监${i}〔2026〕`, from: 21, to: 25 })),
  ));
});
afterAll(() => disposeDatabases(dbs));

function typed(d: QuestioningDetails): QuestioningDetails {
  return {
    ...d,
    personName: '林堃',
    personAge: '37',
    personIdNo: '330302198805121234',
    date: '2026-05-06',
    startTime: '10:50',
    endTime: '11:45',
    qa: [
      { q: '你在本单位担任什么职务？', a: '生产副总经理，负责㙟头仓库。' },
      { q: '仓库内这批产品何时进货？', a: '2026年4月20日，共120箱。' },
      { q: '', a: '' },
    ],
  };
}

describe('questioning record through the documents service', () => {
  it('is offered before the result is finalized', async () => {
    const available = await service().available(task.id);
    expect(available.find((a) => a.kind === 'questioning')).toMatchObject({ title: '询问笔录', blockedReason: null });
  });

  it('refuses a half-typed answer without consuming a number', async () => {
    const docs = service();
    const d = typed(await docs.defaults(task.id, 'questioning'));
    const bad = await docs.issue(task.id, {
      kind: 'questioning',
      details: { ...d, qa: [{ q: '进货时间？', a: '  ' }] },
    });
    expect(bad).toEqual({ ok: false, message: '回答不能为空（未回答请记录“未回答”）' });
    const badAge = await docs.issue(task.id, { kind: 'questioning', details: { ...d, personAge: '三十' } });
    expect(badAge).toEqual({ ok: false, message: '被询问人年龄请填写整数（周岁）' });
    expect((await docNumbersRepo(dbs.field).remaining()).questioning).toBe(5);
  });

  it('issues it with a number from its block; the PDF reads back, its QR decodes, the audit chain has it', async () => {
    const docs = service();
    const res = await docs.issue(task.id, {
      kind: 'questioning',
      details: typed(await docs.defaults(task.id, 'questioning')),
    });
    if (!res.ok) throw new Error(res.message);
    expect(res.document).toMatchObject({ kind: 'questioning', title: '询问笔录', docNo: '威环市监0〔2026〕0021号' });
    const pdf = new PdfFile((await docs.pdf(res.document.docId))!);
    try {
      const text = squash(pdf.text());
      for (const x of ['询问笔录', '威环市监0〔2026〕0021号', '林堃', '2026年5月6日10时50分至11时45分'])
        expect(text).toContain(squash(x));
      expect(text).toContain('生产副总经理，负责㙟头仓库。');
      expect(text).toContain('文书格式SAMR-2021.1');
      expect(decodeQr(pdf.png(pdf.pageCount(), 200))).toEqual([res.document.verifyUrl]);
    } finally {
      pdf.dispose();
    }
    const audit = await auditRepo(dbs.field).forTask(task.id);
    expect(audit.filter((e) => e.kind === 'document.issued').map((e) => e.subjectId)).toContain(res.document.docId);
  });

  it('preservation notice: items typed one per line; a period over seven days consumes no number', async () => {
    const docs = service();
    const d = {
      ...(await docs.defaults(task.id, 'preservation')),
      reason: '涉嫌经营标签不符合规定的预包装食品',
      items: '喆堃牌坚果礼盒｜500g｜120盒｜原包装\n散装花生｜—｜30kg｜',
      keptBy: '林堃',
      from: '2026-05-06',
      to: '2026-05-14',
    };
    expect(await docs.issue(task.id, { kind: 'preservation', details: d })).toEqual({
      ok: false,
      message: '先行登记保存期限不得超过7日',
    });
    expect((await docNumbersRepo(dbs.field).remaining()).preservation).toBe(5);
    const res = await docs.issue(task.id, { kind: 'preservation', details: { ...d, to: '2026-05-12' } });
    if (!res.ok) throw new Error(res.message);
    const pdf = new PdfFile((await docs.pdf(res.document.docId))!);
    try {
      const text = squash(pdf.text());
      for (const x of ['喆堃牌坚果礼盒', '120盒', '散装花生', '30kg', '自2026年5月6日至2026年5月12日'])
        expect(text).toContain(x);
      expect(decodeQr(pdf.png(pdf.pageCount(), 200))).toEqual([res.document.verifyUrl]);
    } finally {
      pdf.dispose();
    }
  });

  it('after finalize: the evidence list carries every photo’s hash, the food record derives its result, the proof of service names the documents', async () => {
    const docs = service();
    expect((await docs.available(task.id)).find((a) => a.kind === 'evidence')?.blockedReason).toBe(
      '检查结果定稿后才能出具',
    );
    const photo = await s.inspection.addEvidence(task.id, tinyPng('shelf'), 'photo', 'shelf.png');
    const d: Draft = await s.inspection.openDraft(task.id);
    const filled: Draft = {
      ...d,
      items: d.items.map((i, n) => (n === 0 ? { ...i, outcome: 'pass' } : { ...i, outcome: 'na' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
      followUps: ['NONE'],
    };
    await s.inspection.saveDraft(await signDraft(s.inspection, filled));
    const fin = await s.inspection.finalize(task.id);
    if (!fin.ok) throw new Error(JSON.stringify(fin.problems));
    const stored = await s.inspection.resultForTask(task.id);
    const photoRef = stored!.payload.evidence!.find((e) => e.id === photo.id)!;

    const ev = await docs.issue(task.id, { kind: 'evidence', details: await docs.defaults(task.id, 'evidence') });
    if (!ev.ok) throw new Error(ev.message);
    const food = await docs.issue(task.id, {
      kind: 'foodResult',
      details: { ...(await docs.defaults(task.id, 'foodResult')), licenceNo: 'JY13303020099999' },
    });
    if (!food.ok) throw new Error(food.message);
    const svcDefaults = await docs.defaults(task.id, 'service');
    expect(svcDefaults.docIds).toHaveLength(4);
    expect(svcDefaults.docIds).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^questioning:/),
        expect.stringMatching(/^preservation:/),
        ev.document.docId,
        food.document.docId,
      ]),
    );
    const refusedDirect = await docs.issue(task.id, {
      kind: 'service',
      details: { ...svcDefaults, recipient: '李四', refused: true, refusalNote: '拒收', witnessName: '王喆' },
    });
    expect(refusedDirect).toEqual({ ok: false, message: '留置送达仅用于受送达人拒绝签收的情形，拒收时请选择留置送达' });
    const svc = await docs.issue(task.id, { kind: 'service', details: { ...svcDefaults, recipient: '李四' } });
    if (!svc.ok) throw new Error(svc.message);

    const read = async (docId: string) => {
      const pdf = new PdfFile((await docs.pdf(docId))!);
      try {
        return { text: squash(pdf.text()), qr: decodeQr(pdf.png(pdf.pageCount(), 200)) };
      } finally {
        pdf.dispose();
      }
    };
    const evPdf = await read(ev.document.docId);
    expect(evPdf.text).toContain(photoRef.sha256);
    expect(evPdf.qr).toEqual([ev.document.verifyUrl]);
    const foodPdf = await read(food.document.docId);
    // One item passed, the others do not apply: nothing found, so 符合 is the only box ticked.
    expect(foodPdf.text).toContain('■符合');
    expect(foodPdf.text).toContain('□基本符合');
    expect(foodPdf.text).toContain('JY13303020099999');
    expect(foodPdf.qr).toEqual([food.document.verifyUrl]);
    const svcPdf = await read(svc.document.docId);
    expect(svcPdf.text).toContain(squash(`证据提取单（${ev.document.docNo}）`));
    expect(svcPdf.text).toContain(squash(`监督检查结果记录表（${food.document.docNo}）`));
    expect(svcPdf.text).toContain('■直接送达');
    expect(svcPdf.qr).toEqual([svc.document.verifyUrl]);
  });

  it('special-equipment order after finalize: problems, equipment rows and measures as typed', async () => {
    const docs = service();
    const res = await docs.issue(task.id, {
      kind: 'directive',
      details: {
        ...(await docs.defaults(task.id, 'directive')),
        problems: '叉车超过定期检验有效期仍在使用',
        equipment: '内燃平衡重式叉车｜车11浙C08765(21)｜一楼仓库',
        measures: '立即停止使用超期未检叉车',
        deadline: '2026-05-20',
        stopUse: true,
        partyName: '李四',
      },
    });
    if (!res.ok) throw new Error(res.message);
    const pdf = new PdfFile((await docs.pdf(res.document.docId))!);
    try {
      const text = squash(pdf.text());
      for (const x of [
        '特种设备安全监察指令书',
        '车11浙C08765(21)',
        '立即停止使用超期未检叉车',
        '请于2026年5月20日前完成整改',
      ])
        expect(text).toContain(squash(x));
      expect(text).toContain('文书格式TSG-2023.1');
      expect(decodeQr(pdf.png(pdf.pageCount(), 200))).toEqual([res.document.verifyUrl]);
    } finally {
      pdf.dispose();
    }
  });
});
