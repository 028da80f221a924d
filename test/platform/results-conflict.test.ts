/**
 * One live result per task, corrections by `replaces`, and evidence lost after acceptance:
 * publication waits and a replay answers ATTACHMENTS_MISSING until the attachment is re-sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema, ReceiptSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let call: ReturnType<typeof authed>;
let token: string;
let tasks: Task[];

beforeAll(async () => {
  h = await startTemp({ faults: true, publishDelayMs: 0 });
  token = (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken;
  call = authed(h.platform.url, token);
  tasks = await allTasks(call);
});
afterAll(() => h.stop());

describe('task-level conflicts', () => {
  it('refuses a second result for an accepted task (naming the accepted one) and accepts a correction that replaces it', async () => {
    const task = tasks[0]!;
    expect((await putResult(call, buildUpload(task, 'res-first-1'), 'op-first-1')).status).toBe(201);
    const second = await putResult(
      call,
      buildUpload(task, 'res-second-1', { note: '组员的另一份记录' }),
      'op-second-1',
    );
    expect(second.status).toBe(409);
    const body = ErrorBodySchema.parse(await second.json());
    expect(body.error.code).toBe('RESULT_CONFLICT');
    expect(body.error.details).toEqual({ acceptedResultId: 'res-first-1' });
    expect(h.platform.admin.counts('res-second-1').results).toBe(0);

    const correction = buildUpload(task, 'res-corr-1', { note: '更正' });
    const corrected = { ...correction, payload: { ...correction.payload, replaces: 'res-first-1' } };
    const { canonicalJson } = await import('../../shared/domain/canonical.js');
    const up = { ...corrected, contentHash: sha256Hex(canonicalJson(corrected.payload)) };
    expect((await putResult(call, up, 'op-corr-1')).status).toBe(201);
    // The correction is now the live one: a third plain result conflicts with it.
    const third = await putResult(call, buildUpload(task, 'res-third-1'), 'op-third-1');
    expect(ErrorBodySchema.parse(await third.json()).error.details).toEqual({ acceptedResultId: 'res-corr-1' });
  });

  it('201 then the blob is lost: not published, replay says ATTACHMENTS_MISSING, re-upload, then 1 publication', async () => {
    const bytes = Buffer.from('photo-bytes-22');
    const meta = { attachmentId: 'att-22', resultId: 'res-22', sha256: sha256Hex(bytes), mime: 'image/jpeg' };
    expect((await tusUpload(h.platform.url, token, meta, bytes)).status).toBe(204);
    const up = buildUpload(tasks[1]!, 'res-22', {
      attachments: [
        { id: 'att-22', sha256: meta.sha256, size: bytes.length, mime: 'image/jpeg', uploadUrl: 'http://x/1' },
      ],
    });
    h.platform.admin.addFault({ kind: 'lose-attachment-after-commit', method: 'PUT', path: '^/v1/results/res-22$' });
    expect((await putResult(call, up, 'op-22')).status).toBe(201);
    const receipt = await call('/v1/results/res-22/receipt');
    expect(receipt.status).toBe(409);
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('res-22').publications).toBe(0);
    const replay = await putResult(call, up, 'op-22');
    expect(ErrorBodySchema.parse(await replay.json()).error.missing).toEqual(['att-22']);
    const again = await tusUpload(h.platform.url, token, meta, bytes);
    expect(again.status).toBe(204);
    // A new upload URL is transport detail: the same key still matches the same request.
    const resent = await putResult(
      call,
      { ...up, attachments: [{ ...up.attachments[0]!, uploadUrl: again.location }] },
      'op-22',
    );
    expect(resent.status).toBe(200);
    expect(ReceiptSchema.parse(await resent.json()).resultId).toBe('res-22');
    h.platform.admin.publishNow();
    h.platform.admin.publishNow();
    expect(h.platform.admin.counts('res-22')).toEqual({ results: 1, publications: 1 });
  });

  it('a result the platform lost answers 404 on its receipt; the resend under the same key stores it again, once', async () => {
    const up = buildUpload(tasks[2]!, 'res-lost-1');
    expect((await putResult(call, up, 'op-lost-1')).status).toBe(201);
    expect(h.platform.admin.forgetResult('res-lost-1')).toBe(true);
    expect((await call('/v1/results/res-lost-1/receipt')).status).toBe(404);
    const resent = await putResult(call, up, 'op-lost-1');
    expect(resent.status).toBe(201);
    expect(ReceiptSchema.parse(await resent.json()).resultId).toBe('res-lost-1');
    expect((await call('/v1/results/res-lost-1/receipt')).status).toBe(200);
    // Stored again: a further resend is an ordinary replay.
    expect((await putResult(call, up, 'op-lost-1')).status).toBe(200);
    expect(h.platform.admin.counts('res-lost-1').results).toBe(1);
  });
});
