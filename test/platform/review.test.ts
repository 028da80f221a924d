/**
 * Review before publication where the deployment has it: the reference data says so; a result waits
 * 待审核; 审核退回 needs a note and reaches the inspector on the receipt; the correction is reviewed in
 * turn and published once; a decision on a result that is not 待审核 is refused and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import {
  ADMIN_SECRET_HEADER,
  PublicResultsResponseSchema,
  ReceiptSchema,
  ReferenceSchema,
} from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp } from './testkit.js';

let h: Harness;
let plain: Harness;
let call: ReturnType<typeof authed>;
let task: Task;

beforeAll(async () => {
  h = await startTemp({ publishDelayMs: 0, review: true });
  plain = await startTemp({ publishDelayMs: 0 });
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  task = (await allTasks(call)).find((t) => t.status === 'assigned')!;
});
afterAll(async () => {
  await h.stop();
  await plain.stop();
});

const review = (id: string, body: unknown, secret: string | null = h.platform.adminSecret) =>
  fetch(`${h.platform.url}/v1/admin/results/${id}/review`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [ADMIN_SECRET_HEADER]: secret }) },
    body: JSON.stringify(body),
  });
const receipt = async (id: string) => ReceiptSchema.parse(await (await call(`/v1/results/${id}/receipt`)).json());
const published = async () =>
  PublicResultsResponseSchema.parse(
    await (await fetch(`${h.platform.url}/v1/public/enterprises/${task.enterprise.uscc}/results`)).json(),
  ).results.map((r) => r.resultId);

describe('review before publication', () => {
  it('is announced in the reference data only where the deployment has it', async () => {
    const ref = async (hh: Harness) => {
      const token = (await login(hh.platform.url, hh.platform.logins[0]!.certNo)).accessToken;
      return ReferenceSchema.parse(await (await authed(hh.platform.url, token)('/v1/reference')).json());
    };
    expect((await ref(h)).reviewBeforePublication).toBe(true);
    expect('reviewBeforePublication' in (await ref(plain))).toBe(false);
  });

  it('待审核 → 审核退回 with a note → correction → 已公示 once', async () => {
    const first = await putResult(call, buildUpload(task, 'res-rv-1'), 'op-rv-1');
    expect(first.status).toBe(201);
    expect(ReceiptSchema.parse(await first.json()).publication.state).toBe('under_review');
    h.platform.admin.publishNow();
    expect(await published()).toEqual([]);

    expect((await review('res-rv-1', { decision: 'return', note: '退回' }, null)).status).toBe(401);
    const noNote = await review('res-rv-1', { decision: 'return', note: '  ' });
    expect(noNote.status).toBe(422);
    expect(JSON.stringify(await noNote.json())).toContain('审核退回必须填写审核意见');
    expect((await receipt('res-rv-1')).publication.state).toBe('under_review');

    expect((await review('res-rv-1', { decision: 'return', note: '检查事项第1项未附现场照片' })).status).toBe(200);
    const returned = await receipt('res-rv-1');
    expect(returned.publication.state).toBe('returned');
    expect(returned.review?.note).toBe('检查事项第1项未附现场照片');
    // Once decided, it is not 待审核 any more: a second decision is refused and changes nothing.
    expect((await review('res-rv-1', { decision: 'approve', note: '' })).status).toBe(422);
    expect((await receipt('res-rv-1')).publication.state).toBe('returned');

    const draft = buildUpload(task, 'res-rv-2', { note: '补充说明' });
    const payload = { ...draft.payload, replaces: 'res-rv-1' };
    const fix = { ...draft, payload, contentHash: sha256Hex(canonicalJson(payload)) };
    expect((await putResult(call, fix, 'op-rv-2')).status).toBe(201);
    const listed = await fetch(`${h.platform.url}/v1/admin/reviews`, {
      headers: { [ADMIN_SECRET_HEADER]: h.platform.adminSecret },
    });
    const pending = ((await listed.json()) as { pending: { resultId: string; replaces: string | null }[] }).pending;
    expect(pending).toEqual([expect.objectContaining({ resultId: 'res-rv-2', replaces: 'res-rv-1' })]);
    expect((await fetch(`${h.platform.url}/v1/admin/reviews`)).status).toBe(401);
    // The page itself holds no data: it lists and decides through the routes above, with the secret typed in.
    const page = await (await fetch(`${h.platform.url}/review`)).text();
    expect(page).toContain('管理密钥');
    expect(page).not.toContain('res-rv-2');

    expect((await review('res-rv-2', { decision: 'approve', note: '' })).status).toBe(200);
    h.platform.admin.publishNow();
    h.platform.admin.publishNow();
    expect(await published()).toEqual(['res-rv-2']);
    expect((await receipt('res-rv-2')).publication.state).toBe('published');
    expect(h.platform.admin.counts('res-rv-2')).toEqual({ results: 1, publications: 1 });
    expect(h.platform.admin.counts('res-rv-1')).toEqual({ results: 1, publications: 0 });
  });
});
