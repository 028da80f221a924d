import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import {
  closeDatabases,
  enterprisesRepo,
  hashBlob,
  openDatabases,
  referenceRepo,
  sha256Hex,
  tasksRepo,
} from '../../db/index.js';
import {
  disposeDatabases,
  freshDatabases,
  makeEnterprise,
  makeReference,
  makeTask,
  testServices,
} from '../../testing/builders.js';
import type { Draft } from '../api.js';
import { signDraft, tinyPng } from '../../testing/inspection.testkit.js';

const LENIENT = {
  code: 'SD-QW-001',
  violation: '未将营业执照置于醒目位置',
  itemCodes: ['A01'],
  legalBasis: '《市场主体登记管理条例》第三十六条',
  penaltyBasis: '《市场主体登记管理条例》第四十八条',
  conditions: { firstViolation: true, minorHarm: true, correctWithinDays: 0 },
  kind: 'mandatory' as const,
  effectiveFrom: '2021-07-20',
  listVersion: '鲁司〔2021〕39号',
};

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
  await referenceRepo(dbs.cache).put(makeReference({ lenientList: [LENIENT] }), '"e1"', 'x');
});
afterEach(() => disposeDatabases(dbs));

async function putEnterprise(ent: ReturnType<typeof makeEnterprise>): Promise<void> {
  await enterprisesRepo(dbs.cache).applyPage({
    changes: [{ kind: 'upsert', seq: 1, enterprise: ent }],
    quarantined: [],
    nextCursor: '1',
    hasMore: false,
    total: 1,
    at: '2026-05-06T00:00:00Z',
  });
}

function failFirst(d: Draft, lenient: NonNullable<Draft['items'][number]['finding']>['lenient']): Draft {
  return {
    ...d,
    items: d.items.map((i, n) =>
      n === 0
        ? {
            ...i,
            outcome: 'fail',
            finding: {
              description: '营业执照未悬挂',
              legalBasis: LENIENT.legalBasis,
              severity: 'general',
              handling: 'on_spot',
              rectifyDeadline: null,
              lenient,
            },
          }
        : { ...i, outcome: 'pass' },
    ),
    resultCodes: ['CORRECTED'],
    checkMethods: ['ON_SITE'],
    followUps: ['ORDER_CORRECTION'],
  };
}

describe('evidence, signatures and lenient decisions', () => {
  it('names every missing signature and a missing lenient decision in zh-CN', async () => {
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    expect(d.signatures.map((x) => x.slot)).toEqual(['inspector-insp-1', 'inspector-insp-2', 'party']);
    await s.inspection.saveDraft(failFirst(d, null));
    const r = await s.inspection.finalize('task-1');
    const messages = r.ok ? [] : r.problems.map((p) => p.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        '缺少检查人员检查员1（执法证号 33010000001）的签名',
        '缺少检查人员检查员2（执法证号 33010000002）的签名',
        '请填写当事人（企业代表）姓名',
        expect.stringContaining('属于“首违不罚/轻微违法不予处罚”清单事项，请选择是否适用'),
      ]),
    );
  });

  it('refuses a waiver whose first-violation condition the credit file contradicts', async () => {
    const s = testServices(dbs);
    const ent = makeEnterprise(1, {
      spotChecks: [{ date: '2024-01-01', authority: '局', type: '抽查', result: '发现问题', failedItems: ['A01'] }],
    });
    await putEnterprise(ent);
    const d = await signDraft(s.inspection, await s.inspection.openDraft('task-1'));
    await s.inspection.saveDraft(
      failFirst(d, { code: LENIENT.code, decision: 'apply', minorHarm: true, reason: '当场改正' }),
    );
    const r = await s.inspection.finalize('task-1');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([expect.stringContaining('不符合“首次违法”条件')]);
  });

  it('finalizes with a refusal and a witness; the payload carries lenient decision, signatures and evidence hashes', async () => {
    const s = testServices(dbs);
    const d = await s.inspection.openDraft('task-1');
    const photo = await s.inspection.addEvidence('task-1', tinyPng('photo-1'), 'photo', 'p1.png');
    const scan = await s.inspection.addEvidence(
      'task-1',
      new Blob(['%PDF-1.4 scan'], { type: 'application/pdf' }),
      'scan',
      'licence.pdf',
    );
    expect(photo.sha256).toBe(await hashBlob(tinyPng('photo-1')));
    const signed = await signDraft(s.inspection, d, { refused: true });
    await s.inspection.saveDraft({
      ...failFirst(signed, { code: LENIENT.code, decision: 'apply', minorHarm: true, reason: '当场改正，无危害后果' }),
      captions: { [photo.id]: '门口照片' },
    });
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const p = r.result.payload;
    expect(p.itemResults[0]?.finding?.lenient).toEqual({
      code: LENIENT.code,
      applied: true,
      reason: '当场改正，无危害后果',
      listVersion: LENIENT.listVersion,
      conditions: { firstViolation: 'met', minorHarm: 'met', correctedInTime: 'met' },
    });
    const byId = (a: readonly unknown[], b: readonly unknown[]): number => String(a[0]).localeCompare(String(b[0]));
    expect(p.evidence?.map((e) => [e.id, e.kind, e.sha256, e.caption]).sort(byId)).toEqual(
      [
        [photo.id, 'photo', photo.sha256, '门口照片'],
        [scan.id, 'scan', scan.sha256, ''],
      ].sort(byId),
    );
    const party = p.signatures?.find((x) => x.role === 'party');
    expect(party).toMatchObject({
      refused: true,
      witness: { name: '王见证' },
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(r.result.contentHash).toBe(await sha256Hex(canonicalJson(p)));
    await expect(s.inspection.removeEvidence(photo.id, '拍错了')).rejects.toThrow('已定稿');
    // Stable across a reload.
    closeDatabases(dbs);
    const again = openDatabases(dbs.prefix);
    const stored = await testServices({ ...again, prefix: dbs.prefix }).inspection.resultForTask('task-1');
    expect(await sha256Hex(canonicalJson(stored?.payload))).toBe(r.result.contentHash);
    closeDatabases(again);
  });

  it('a correction is a new record that replaces the finalized one; both are kept', async () => {
    const s = testServices(dbs);
    const d = await signDraft(s.inspection, await s.inspection.openDraft('task-1'));
    await s.inspection.saveDraft({
      ...d,
      items: d.items.map((i) => ({ ...i, outcome: 'pass' })),
      resultCodes: ['NO_PROBLEM'],
      checkMethods: ['ON_SITE'],
    });
    const first = await s.inspection.finalize('task-1');
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const correction = await s.inspection.startCorrection('task-1');
    expect(correction.replaces).toBe(first.result.resultId);
    expect(correction.resultId).not.toBe(first.result.resultId);
    expect(correction.items.every((i) => i.outcome === 'pass')).toBe(true);
    expect(correction.signatures.every((x) => x.attachmentId === null)).toBe(true);
    const signed = await signDraft(s.inspection, { ...correction, findings: '更正：补充说明' });
    await s.inspection.saveDraft(signed);
    const second = await s.inspection.finalize('task-1');
    if (!second.ok) throw new Error(JSON.stringify(second.problems));
    expect(second.result.payload.replaces).toBe(first.result.resultId);
    expect((await s.inspection.resultsForTask('task-1')).map((x) => x.resultId)).toEqual([
      second.result.resultId,
      first.result.resultId,
    ]);
    expect((await s.inspection.resultForTask('task-1'))?.resultId).toBe(second.result.resultId);
  });

  it('rejects a photo that is not an image and an empty file', async () => {
    const s = testServices(dbs);
    await s.inspection.openDraft('task-1');
    await expect(
      s.inspection.addEvidence('task-1', new Blob(['x'], { type: 'text/plain' }), 'photo', 'a.txt'),
    ).rejects.toThrow('照片须为图片文件');
    await expect(
      s.inspection.addEvidence('task-1', new Blob([], { type: 'image/png' }), 'photo', 'a.png'),
    ).rejects.toThrow('文件是空的');
  });
});
