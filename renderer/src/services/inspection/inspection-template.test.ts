import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckTemplate } from '../../../../shared/protocol/index.js';
import { referenceRepo, tasksRepo } from '../../db/index.js';
import { disposeDatabases, freshDatabases, makeReference, makeTask, testServices } from '../../testing/builders.js';
import { signDraft } from '../../testing/inspection.testkit.js';
import type { Draft } from '../api.js';

const TEMPLATE: CheckTemplate = {
  id: 'se-525',
  version: '2025.2',
  title: '“5·25”安全责任清单',
  department: 'TZSB-525',
  departmentName: '5·25 安全责任清单（模板）',
  legalBasis: '总局令第74号',
  method: '查阅资料',
  items: [
    { code: 'SE525-01', name: '主要负责人：对本单位特种设备使用安全全面负责', key: true },
    { code: 'SE525-02', name: '主要负责人：按规定配备安全总监、安全员', key: true },
  ],
};

let dbs: ReturnType<typeof freshDatabases>;
beforeEach(async () => {
  dbs = freshDatabases();
  await tasksRepo(dbs.field).applyPage([{ kind: 'upsert', seq: 1, task: makeTask(1) }], '1', 1, 'x');
});
afterEach(() => disposeDatabases(dbs));

function withTemplate(d: Draft): Draft {
  return {
    ...d,
    items: [
      ...d.items.map((i) => ({ ...i, outcome: 'pass' as const })),
      { itemCode: 'SE525-01', outcome: 'pass', note: '', finding: null },
    ],
    templates: ['se-525'],
    resultCodes: ['NO_PROBLEM'],
    checkMethods: ['ON_SITE'],
    followUps: ['NONE'],
  };
}

describe('5·25 template items from reference data', () => {
  it('are recorded by name with the template id and version the reference data served', async () => {
    await referenceRepo(dbs.cache).put(makeReference({ checkTemplates: [TEMPLATE] }), '"e1"', 'x');
    const s = testServices(dbs);
    const d = await signDraft(s.inspection, await s.inspection.openDraft('task-1'));
    await s.inspection.saveDraft(withTemplate(d));
    const r = await s.inspection.finalize('task-1');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.result.payload.templateItems).toEqual([
      { code: 'SE525-01', name: '主要负责人：对本单位特种设备使用安全全面负责', template: 'se-525 2025.2' },
    ]);
  });

  it('are refused when this device has no such template (reference data stored before templates)', async () => {
    await referenceRepo(dbs.cache).put(makeReference(), '"e1"', 'x');
    const s = testServices(dbs);
    const d = await signDraft(s.inspection, await s.inspection.openDraft('task-1'));
    await s.inspection.saveDraft(withTemplate(d));
    const r = await s.inspection.finalize('task-1');
    expect(r.ok ? [] : r.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('「SE525-01」不属于本任务，也不属于检查模板'),
    ]);
  });
});
