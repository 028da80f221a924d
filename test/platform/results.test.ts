/** PUT /v1/results: idempotency, conflicts, validation, holds, attachments (every answer of the upload table). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, PublicResultsResponseSchema, ReceiptSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let token: string;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp({ faults: true });
  const first = h.platform.logins[0]!;
  token = (await login(h.platform.url, first.certNo)).accessToken;
  call = authed(h.platform.url, token);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
  expect(tasks.length).toBeGreaterThanOrEqual(5);
});
afterAll(() => h.stop());

const errorCode = async (res: Response): Promise<string> => ErrorBodySchema.parse(await res.json()).error.code;

describe('PUT /v1/results/{id}', () => {
  it('accepts once, replays the same key as 200 and never stores twice', async () => {
    const up = buildUpload(tasks[0]!, 'res-idem-1');
    const first = await putResult(call, up, 'op-idem-1');
    expect(first.status).toBe(201);
    const receipt = ReceiptSchema.parse(await first.json());
    expect(receipt.contentHash).toBe(up.contentHash);
    const again = await putResult(call, up, 'op-idem-1');
    expect(again.status).toBe(200);
    expect(ReceiptSchema.parse(await again.json()).resultId).toBe('res-idem-1');
    const newKey = await putResult(call, up, 'op-idem-1b');
    expect(newKey.status).toBe(200);
    h.platform.admin.publishNow();
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('res-idem-1')).toEqual({ results: 1, publications: 1 });
  });

  it('rejects the same resultId with different content (409) and a reused key with another body (422)', async () => {
    const up = buildUpload(tasks[1]!, 'res-conf-1');
    expect((await putResult(call, up, 'op-conf-1')).status).toBe(201);
    const changed = buildUpload(tasks[1]!, 'res-conf-1', { note: '内容被改动' });
    const conflict = await putResult(call, changed, 'op-conf-2');
    expect(conflict.status).toBe(409);
    expect(await errorCode(conflict)).toBe('RESULT_CONFLICT');
    const reused = await putResult(call, changed, 'op-conf-1');
    expect(reused.status).toBe(422);
    expect(await errorCode(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('answers bad bodies with 400/422 and keeps serving', async () => {
    const path = '/v1/results/res-bad-1';
    const noKey = await call(path, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(noKey.status).toBe(400);
    const notJson = await call(path, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-bad-1' },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
    const invalid = await call(path, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-bad-2' },
      body: JSON.stringify({ taskId: 1 }),
    });
    expect(invalid.status).toBe(422);
    expect(await errorCode(invalid)).toBe('VALIDATION');
    const up = buildUpload(tasks[2]!, 'res-bad-1');
    const wrongHash = await putResult(call, { ...up, contentHash: sha256Hex('something else') }, 'k-bad-3');
    expect(wrongHash.status).toBe(422);
    const codes = buildUpload(tasks[2]!, 'res-bad-1');
    codes.payload.resultCodes = ['NO_PROBLEM', 'CORRECTED'];
    expect((await putResult(call, codes, 'k-bad-4')).status).toBe(422);
    const ok = await putResult(call, up, 'k-bad-5');
    expect(ok.status).toBe(201);
  });

  it('answers IN_FLIGHT while the same key is being processed', async () => {
    h.platform.admin.addFault({ kind: 'delay', method: 'PUT', path: '^/v1/results/res-flight-1$', ms: 400 });
    const up = buildUpload(tasks[3]!, 'res-flight-1');
    const slow = putResult(call, up, 'op-flight-1');
    await new Promise((r) => setTimeout(r, 150));
    const dup = await putResult(call, up, 'op-flight-1');
    expect(dup.status).toBe(409);
    expect(await errorCode(dup)).toBe('IN_FLIGHT');
    expect((await slow).status).toBe(201);
    expect((await putResult(call, up, 'op-flight-1')).status).toBe(200);
  });

  it('fail-after-commit: the retry with the same key is a replay; fail-before-commit stores nothing', async () => {
    h.platform.admin.addFault({ kind: 'fail-before-commit', method: 'PUT', path: '^/v1/results/res-fault-1$' });
    const up = buildUpload(tasks[4]!, 'res-fault-1');
    expect((await putResult(call, up, 'op-fault-1')).status).toBe(500);
    expect(h.platform.admin.counts('res-fault-1').results).toBe(0);
    h.platform.admin.addFault({ kind: 'fail-after-commit', method: 'PUT', path: '^/v1/results/res-fault-1$' });
    expect((await putResult(call, up, 'op-fault-1')).status).toBe(500);
    expect(h.platform.admin.counts('res-fault-1').results).toBe(1);
    expect((await putResult(call, up, 'op-fault-1')).status).toBe(200);
  });

  it('ATTACHMENTS_MISSING until the attachment is uploaded over tus, then 201', async () => {
    const bytes = Buffer.from('fake jpeg bytes '.repeat(1000));
    const att = {
      id: 'att-photo-1',
      sha256: sha256Hex(bytes),
      size: bytes.length,
      mime: 'image/jpeg',
      uploadUrl: null,
    };
    const up = buildUpload(tasks[5] ?? tasks[0]!, 'res-att-1', { attachments: [att] });
    const missing = await putResult(call, up, 'op-att-1');
    expect(missing.status).toBe(409);
    const body = ErrorBodySchema.parse(await missing.json());
    expect(body.error.code).toBe('ATTACHMENTS_MISSING');
    expect(body.error.missing).toEqual(['att-photo-1']);
    const bad = await tusUpload(
      h.platform.url,
      token,
      { attachmentId: att.id, resultId: 'res-att-1', sha256: sha256Hex('other'), mime: 'image/jpeg' },
      bytes,
    );
    expect(bad.status).toBe(460);
    expect((await putResult(call, up, 'op-att-1')).status).toBe(409);
    const good = await tusUpload(
      h.platform.url,
      token,
      { attachmentId: att.id, resultId: 'res-att-1', sha256: att.sha256, mime: 'image/jpeg' },
      bytes,
    );
    expect(good.status).toBe(204);
    const head = await fetch(good.location, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' },
    });
    expect(head.headers.get('upload-offset')).toBe(String(bytes.length));
    const accepted = await putResult(call, up, 'op-att-1');
    expect(accepted.status).toBe(201);
    expect(ReceiptSchema.parse(await accepted.json()).attachmentHashes).toEqual([{ id: att.id, sha256: att.sha256 }]);
  });

  it('TASK_CANCELLED stores the result but holds publication', async () => {
    const task = tasks[tasks.length - 1]!;
    h.platform.admin.cancelTask(task.id);
    const up = buildUpload(task, 'res-cancel-1');
    const res = await putResult(call, up, 'op-cancel-1');
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('TASK_CANCELLED');
    expect(h.platform.admin.publishNow()).toBeGreaterThanOrEqual(0);
    expect(h.platform.admin.counts('res-cancel-1')).toEqual({ results: 1, publications: 0 });
    const receipt = ReceiptSchema.parse(await (await call('/v1/results/res-cancel-1/receipt')).json());
    expect(receipt.publication.state).toBe('held');
    const pub = PublicResultsResponseSchema.parse(
      await (await fetch(`${h.platform.url}/v1/public/enterprises/${task.enterprise.uscc}/results`)).json(),
    );
    expect(pub.results.map((r) => r.resultId)).not.toContain('res-cancel-1');
  });

  it('TASK_REASSIGNED for a former member; 403 for an inspector never on the team', async () => {
    const me = h.platform.logins[0]!.inspectorId;
    const task = tasks[tasks.length - 2]!;
    h.platform.admin.reassignTask(task.id, me);
    const res = await putResult(call, buildUpload(task, 'res-reassign-1'), 'op-reassign-1');
    expect(res.status).toBe(409);
    expect(await errorCode(res)).toBe('TASK_REASSIGNED');
    const outsider = h.platform.logins.find(
      (l) => !task.team.some((m) => m.inspectorId === l.inspectorId) && l.inspectorId !== me,
    )!;
    const other = authed(h.platform.url, (await login(h.platform.url, outsider.certNo)).accessToken);
    const forbidden = await putResult(other, buildUpload(tasks[0]!, 'res-outsider-1'), 'op-outsider-1');
    const ok = tasks[0]!.team.some((m) => m.inspectorId === outsider.inspectorId);
    expect(forbidden.status).toBe(ok ? 201 : 403);
  });

  it('flags clock skew in the receipt instead of rejecting', async () => {
    const up = buildUpload(tasks[6]!, 'res-skew-1', { recordedAt: '2020-01-01T00:00:00.000Z' });
    const res = await putResult(call, up, 'op-skew-1');
    expect(res.status).toBe(201);
    expect(ReceiptSchema.parse(await res.json()).clockSkewFlagged).toBe(true);
  });
});
