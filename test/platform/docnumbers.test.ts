/** Document numbers (reserve idempotent per requestId, report) and QR verification of a printed document's own hash. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReserveResponseSchema, VerifyResponseSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, startTemp } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp();
  const first = h.platform.logins[0]!;
  call = authed(h.platform.url, (await login(h.platform.url, first.certNo)).accessToken);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
});
afterAll(() => h.stop());

const post = (path: string, body: unknown) =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const verify = async (resultId: string, hash: string) =>
  VerifyResponseSchema.parse(
    await (
      await fetch(`${h.platform.url}/public/verify?result=${resultId}&hash=${hash}`, {
        headers: { accept: 'application/json' },
      })
    ).json(),
  );

describe('doc numbers', () => {
  it('answers a repeated requestId with the same block and the next request with the next block', async () => {
    const req = { requestId: 'req-a', deviceId: 'dev-test-1', docType: 'notice', count: 5 };
    const a = ReserveResponseSchema.parse(await (await post('/v1/doc-numbers/reserve', req)).json());
    const again = ReserveResponseSchema.parse(await (await post('/v1/doc-numbers/reserve', req)).json());
    const b = ReserveResponseSchema.parse(
      await (await post('/v1/doc-numbers/reserve', { ...req, requestId: 'req-b' })).json(),
    );
    expect(again).toEqual(a);
    expect(b.from).toBe(a.to + 1);
    expect(a.prefix).toMatch(/〔\d{4}〕$/);
  });

  it('rejects a report of a number this device never reserved', async () => {
    const res = await post('/v1/doc-numbers/report', {
      deviceId: 'dev-test-1',
      used: [],
      voided: [{ docType: 'record', serial: 9999, reason: '作废' }],
    });
    expect(res.status).toBe(422);
  });

  it('verifies a printed document by its own hash once the result is uploaded; voiding withdraws it', async () => {
    const task = tasks[0]!;
    const block = ReserveResponseSchema.parse(
      await (
        await post('/v1/doc-numbers/reserve', {
          requestId: 'req-n',
          deviceId: 'dev-test-1',
          docType: 'notice',
          count: 2,
        })
      ).json(),
    );
    const docHash = 'ab'.repeat(32);
    const report = await post('/v1/doc-numbers/report', {
      deviceId: 'dev-test-1',
      used: [{ docType: 'notice', serial: block.from, resultId: 'res-doc-1', docHash }],
      voided: [],
    });
    expect(report.status).toBe(200);
    expect(await verify('res-doc-1', docHash)).toMatchObject({ match: false, state: 'unknown' });

    const up = buildUpload(task, 'res-doc-1');
    expect((await putResult(call, up, 'op-doc-1')).status).toBe(201);
    const ok = await verify('res-doc-1', docHash);
    expect(ok).toMatchObject({
      match: true,
      document: { title: '随机抽查检查通知书', docNo: `${block.prefix}${String(block.from).padStart(4, '0')}号` },
    });
    expect(await verify('res-doc-1', up.contentHash)).toMatchObject({ match: true });
    expect((await verify('res-doc-1', 'cd'.repeat(32))).state).toBe('mismatch');
    const html = await (await fetch(`${h.platform.url}/public/verify?result=res-doc-1&hash=${docHash}`)).text();
    expect(html).toContain('核验通过');
    expect(html).toContain('随机抽查检查通知书');

    await post('/v1/doc-numbers/report', {
      deviceId: 'dev-test-1',
      used: [],
      voided: [{ docType: 'notice', serial: block.from, reason: '打印错误' }],
    });
    expect((await verify('res-doc-1', docHash)).match).toBe(false);
  });
});
