import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { disposeDatabases, freshDatabases } from '../../testing/builders.js';
import type { Databases } from '../databases.js';
import { docNumbersRepo, NoDocNumberError } from './docnumbers.repo.js';

const open: Databases[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await disposeDatabases(d);
});

async function repoWithBlock(from: number, to: number) {
  const dbs = freshDatabases();
  open.push(dbs);
  const repo = docNumbersRepo(dbs.field);
  await repo.addRequest({
    requestId: 'req-1',
    docType: 'notice',
    count: to - from + 1,
    requestedAt: '2026-03-01T00:00:00.000Z',
  });
  await repo.applyReservation('req-1', { prefix: '威环市监抽通〔2026〕', from, to });
  return { dbs, repo };
}

const take = (repo: ReturnType<typeof docNumbersRepo>, i: number) =>
  repo.take({ docType: 'notice', taskId: `task-${i}`, resultId: `res-${i}`, at: `2026-03-05T01:0${i}:00.000Z` });

describe('document number blocks', () => {
  it('stores the request before any answer and applies a replayed answer only once', async () => {
    const dbs = freshDatabases();
    open.push(dbs);
    const repo = docNumbersRepo(dbs.field);
    await repo.addRequest({ requestId: 'req-9', docType: 'record', count: 3, requestedAt: '2026-03-01T00:00:00.000Z' });
    expect((await repo.pendingRequests()).map((r) => r.requestId)).toEqual(['req-9']);
    expect((await repo.remaining()).record).toBe(0);
    await repo.applyReservation('req-9', { prefix: 'P〔2026〕', from: 5, to: 7 });
    await repo.take({ docType: 'record', taskId: 't', resultId: 'r', at: '2026-03-01T01:00:00.000Z' });
    await repo.applyReservation('req-9', { prefix: 'P〔2026〕', from: 5, to: 7 });
    expect((await repo.remaining()).record).toBe(2);
    expect(await repo.pendingRequests()).toEqual([]);
  });

  it('hands out consecutive serials, never the same one twice, even when taken concurrently', async () => {
    const { repo } = await repoWithBlock(11, 20);
    const rows = await Promise.all([1, 2, 3, 4, 5].map((i) => take(repo, i)));
    const serials = rows.map((r) => r.serial).sort((a, b) => a - b);
    expect(serials).toEqual([11, 12, 13, 14, 15]);
    expect(rows.find((r) => r.serial === 12)?.docNo).toBe('威环市监抽通〔2026〕0012号');
    expect((await repo.remaining()).notice).toBe(5);
  });

  it('refuses when the block is used up and never reuses a voided number', async () => {
    const { repo } = await repoWithBlock(1, 2);
    const first = await take(repo, 1);
    await repo.void('notice', first.serial, '打印卡纸，重新出具', '2026-03-05T02:00:00.000Z');
    const second = await take(repo, 2);
    expect(second.serial).toBe(2);
    await expect(take(repo, 3)).rejects.toBeInstanceOf(NoDocNumberError);
    const kept = await repo.numbersFor('task-1');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ state: 'voided', voidReason: '打印卡纸，重新出具', serial: 1 });
  });

  it('requires a reason to void', async () => {
    const { repo } = await repoWithBlock(1, 3);
    const n = await take(repo, 1);
    await expect(repo.void('notice', n.serial, '  ', '2026-03-05T02:00:00.000Z')).rejects.toThrow('原因');
  });

  it('reports used and voided numbers once, and again only when their state changed after the report', async () => {
    const { repo } = await repoWithBlock(1, 5);
    const a = await take(repo, 1);
    const b = await take(repo, 2);
    await repo.void('notice', b.serial, '填写错误', '2026-03-05T02:00:00.000Z');
    const sent = await repo.unreported();
    expect(sent.map((s) => [s.serial, s.state])).toEqual([
      [1, 'used'],
      [2, 'voided'],
    ]);
    // The inspector voids the first one while the report is in flight: it must be sent again.
    await repo.void('notice', a.serial, '当事人名称有误', '2026-03-05T03:00:00.000Z');
    expect(await repo.markReported(sent, '2026-03-05T04:00:00.000Z')).toBe(1);
    const again = await repo.unreported();
    expect(again.map((s) => [s.serial, s.state, s.voidReason])).toEqual([[1, 'voided', '当事人名称有误']]);
    await repo.markReported(again, '2026-03-05T05:00:00.000Z');
    expect(await repo.unreported()).toEqual([]);
  });

  const PDF_SHA256 = '270c8317a8553817990775930c6225d310f8cf6d39793b33b7ee3276d773c5bd';
  it('reports the SHA-256 of the PDF as printed beside the QR hash', async () => {
    const { repo } = await repoWithBlock(1, 5);
    const n = await take(repo, 1);
    const pdf = new TextEncoder().encode('%PDF-1.7 printed notice');
    await repo.saveIssued({
      docId: `notice:${n.serial}`,
      docType: 'notice',
      serial: n.serial,
      docNo: n.docNo,
      taskId: n.taskId,
      resultId: n.resultId,
      docHash: 'a'.repeat(64),
      verifyUrl: 'https://p.example.cn/public/verify',
      issuedAt: '2026-03-05T01:10:00.000Z',
      pdf,
      bytes: pdf.byteLength,
    });
    const [entry] = await repo.unreported();
    expect(entry).toMatchObject({ serial: n.serial, docHash: 'a'.repeat(64) });
    // Known SHA-256 of those bytes (sha256sum), not recomputed by the code under test.
    expect(entry?.fileHash).toBe(PDF_SHA256);
  });
});
