import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { docDraftsRepo } from './doc-drafts.repo.js';
import { docNumbersRepo } from './docnumbers.repo.js';

const open: Databases[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await disposeDatabases(d);
});

function setup() {
  const dbs = freshDatabases();
  open.push(dbs);
  return { drafts: docDraftsRepo(dbs.field), numbers: docNumbersRepo(dbs.field) };
}

const at = '2026-03-05T01:00:00.000Z';

describe('document form drafts', () => {
  it('keeps one draft per task and document type, the last save winning', async () => {
    const { drafts } = setup();
    await drafts.save({ taskId: 't-1', docType: 'questioning', values: { qa: [{ q: '问一', a: '' }] }, savedAt: at });
    await drafts.save({
      taskId: 't-1',
      docType: 'questioning',
      values: { qa: [{ q: '问一', a: '答一' }] },
      savedAt: at,
    });
    await drafts.save({ taskId: 't-1', docType: 'evidence', values: { place: '仓库' }, savedAt: at });
    await drafts.save({ taskId: 't-2', docType: 'questioning', values: { qa: [] }, savedAt: at });
    expect((await drafts.get('t-1', 'questioning'))?.values).toEqual({ qa: [{ q: '问一', a: '答一' }] });
    expect((await drafts.typesFor('t-1')).sort()).toEqual(['evidence', 'questioning']);
    expect(await drafts.get('t-3', 'questioning')).toBeNull();
  });

  it('refuses a draft without a task or a type and stores nothing', async () => {
    const { drafts } = setup();
    await expect(drafts.save({ taskId: '', docType: 'questioning', values: {}, savedAt: at })).rejects.toThrow(
      '文书草稿缺少任务或文书类型',
    );
    expect(await drafts.typesFor('')).toEqual([]);
  });

  it('issuing a document deletes exactly its own draft in the same transaction', async () => {
    const { drafts, numbers } = setup();
    await numbers.addRequest({ requestId: 'req-1', docType: 'questioning', count: 5, requestedAt: at });
    await numbers.applyReservation('req-1', { prefix: '威环市监询笔〔2026〕', from: 1, to: 5 });
    await drafts.save({ taskId: 't-1', docType: 'questioning', values: { qa: [] }, savedAt: at });
    await drafts.save({ taskId: 't-1', docType: 'evidence', values: {}, savedAt: at });
    await drafts.save({ taskId: 't-2', docType: 'questioning', values: {}, savedAt: at });
    const n = await numbers.take({ docType: 'questioning', taskId: 't-1', resultId: 'r-1', at });
    const pdf = new TextEncoder().encode('%PDF-1.7 questioning');
    await numbers.saveIssued({
      docId: `questioning:${n.serial}`,
      docType: 'questioning',
      serial: n.serial,
      docNo: n.docNo,
      taskId: 't-1',
      resultId: 'r-1',
      docHash: 'a'.repeat(64),
      verifyUrl: 'https://p.example.cn/public/verify',
      issuedAt: at,
      pdf,
      bytes: pdf.byteLength,
    });
    expect(await drafts.get('t-1', 'questioning')).toBeNull();
    expect(await drafts.get('t-1', 'evidence')).not.toBeNull();
    expect(await drafts.get('t-2', 'questioning')).not.toBeNull();
  });
});
