/**
 * Drafts of document forms through the documents service in Node: typed values are stored and read
 * back per task and type, a stored draft that does not fit the form is reported as damaged (and
 * not handed to the form), bad input changes nothing, a refused issue keeps the draft and a
 * successful issue deletes it.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentKindName, QuestioningDetails } from '../../renderer/src/services/api.js';
import { disposeDatabases, makeEnterprise, makeTask, member } from '../../renderer/src/testing/builders.js';
import { documentsWorld, type DocumentsWorld } from './documents-kit.js';

let dbs: DocumentsWorld['dbs'];
const task = makeTask(7, {
  enterprise: { uscc: makeEnterprise(7).uscc, name: '温州喆堃食品有限公司', address: '温州市鹿城区犇园路7号' },
  team: [member(1), member(2)],
});

let docs: DocumentsWorld['documents'];

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
      { q: '你在本单位担任什么职务？', a: '生产副总经理。' },
      { q: '仓库内这批产品何时进货？', a: '2026年4月20日，共120箱。' },
    ],
  };
}

beforeAll(async () => {
  ({ dbs, documents: docs } = await documentsWorld(task, [
    { docType: 'questioning', prefix: '威环市监询笔〔2026〕', from: 1, to: 5 },
  ]));
});
afterAll(() => disposeDatabases(dbs));

describe('document form drafts through the documents service', () => {
  it('has no draft until something is saved, then reads back exactly what was typed', async () => {
    const d = docs();
    expect(await d.formDraft(task.id, 'questioning')).toEqual({ ok: true, draft: null });
    const values = typed(await d.defaults(task.id, 'questioning'));
    const { savedAt } = await d.saveFormDraft(task.id, 'questioning', values);
    const back = await docs().formDraft(task.id, 'questioning');
    expect(back).toEqual({ ok: true, draft: { values, savedAt } });
    // Another document type of the same task has its own draft.
    expect(await d.formDraft(task.id, 'evidence')).toEqual({ ok: true, draft: null });
  });

  it('reports a stored draft that does not fit the form instead of handing it over', async () => {
    const d = docs();
    const defaults = await d.defaults(task.id, 'questioning');
    await dbs.field.docDrafts.put({
      taskId: task.id,
      docType: 'questioning',
      values: { ...defaults, qa: [{ q: '问', a: 42 }] },
      savedAt: '2026-05-06T03:00:00.000Z',
    });
    expect(await d.formDraft(task.id, 'questioning')).toEqual({
      ok: false,
      error: { kind: 'damaged', message: '本机保存的草稿已损坏（内容.qa[1].a 类型不对）' },
    });
    const { personName: _gone, ...missing } = defaults;
    await dbs.field.docDrafts.put({ taskId: task.id, docType: 'questioning', values: missing, savedAt: 'x' });
    expect(await d.formDraft(task.id, 'questioning')).toMatchObject({
      ok: false,
      error: { message: '本机保存的草稿已损坏（内容.personName 缺失）' },
    });
  });

  it('refuses bad input with a specific error and changes nothing', async () => {
    const d = docs();
    const values = typed(await d.defaults(task.id, 'questioning'));
    await d.saveFormDraft(task.id, 'questioning', values);
    await expect(d.saveFormDraft(task.id, 'bogus' as DocumentKindName, values)).rejects.toThrow('没有这种文书：bogus');
    await expect(d.saveFormDraft(task.id, 'questioning', null as never)).rejects.toThrow(
      '文书草稿的内容必须是表单的值',
    );
    expect(await d.formDraft(task.id, 'questioning')).toMatchObject({ ok: true, draft: { values } });
  });

  it('keeps the draft when issuing is refused and deletes it when the document is issued', async () => {
    const d = docs();
    const values = typed(await d.defaults(task.id, 'questioning'));
    await d.saveFormDraft(task.id, 'questioning', values);
    const refused = await d.issue(task.id, { kind: 'questioning', details: { ...values, personAge: '三十' } });
    expect(refused.ok).toBe(false);
    expect(await d.formDraft(task.id, 'questioning')).toMatchObject({ ok: true, draft: { values } });
    const res = await d.issue(task.id, { kind: 'questioning', details: values });
    if (!res.ok) throw new Error(res.message);
    expect(await d.formDraft(task.id, 'questioning')).toEqual({ ok: true, draft: null });
  });
});
