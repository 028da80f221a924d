/**
 * Who may put what in a result: the enterprise and the team come from the task, `replaces` stays
 * within the task, the evidence must be among the attachments sent, and every attachment must be
 * the caller's own upload for this very result (a correction re-uploads its evidence under new
 * ids). Receipts and stored answers are for the team and the key's owner only. Each refusal
 * stores nothing, and the accepted counterpart goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { ErrorBodySchema, ReceiptSchema } from '../../shared/protocol/index.js';
import type { ResultPayload, Task } from '../../shared/protocol/index.js';
import type { DemoLogin } from './server.js';
import type { Harness, UnsignedUpload } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let alice: DemoLogin;
let bob: DemoLogin;
let aliceToken: string;
let call: ReturnType<typeof authed>;
let bobToken: string;
let bobCall: ReturnType<typeof authed>;
let mine: Task[];
let bobsOwn: Task;

beforeAll(async () => {
  h = await startTemp();
  alice = h.platform.logins[0]!;
  aliceToken = (await login(h.platform.url, alice.certNo)).accessToken;
  call = authed(h.platform.url, aliceToken);
  mine = (await allTasks(call)).filter((t) => t.status === 'assigned');
  const mineIds = new Set(mine.map((t) => t.id));
  bob = h.platform.logins.find(
    (l) => l.inspectorId !== alice.inspectorId && h.platform.admin.tasksOf(l.inspectorId).some((t) => !mineIds.has(t)),
  )!;
  bobToken = (await login(h.platform.url, bob.certNo, bob.password, 'dev-bob')).accessToken;
  bobCall = authed(h.platform.url, bobToken);
  bobsOwn = (await allTasks(bobCall)).find((t) => !mineIds.has(t.id) && t.status === 'assigned')!;
});
afterAll(() => h.stop());

function withPayload(up: UnsignedUpload, patch: Partial<ResultPayload>): UnsignedUpload {
  const payload = { ...up.payload, ...patch };
  return { ...up, payload, contentHash: sha256Hex(canonicalJson(payload)) };
}

async function refusedWith(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  const err = ErrorBodySchema.parse(await res.json()).error;
  expect(err.code).toBe(code);
  return err.message;
}

/** Uploads one file as `token`'s inspector; returns the attachment ref and the evidence entry for it. */
async function evidence(token: string, resultId: string, attachmentId: string) {
  const bytes = Buffer.from(`photo of ${attachmentId}`);
  const sha = sha256Hex(bytes);
  const up = await tusUpload(h.platform.url, token, { attachmentId, resultId, sha256: sha, mime: 'image/jpeg' }, bytes);
  expect(up.status).toBe(204);
  return {
    attachment: { id: attachmentId, sha256: sha, size: bytes.length, mime: 'image/jpeg', uploadUrl: up.location },
    evidence: {
      id: attachmentId,
      kind: 'photo' as const,
      sha256: sha,
      size: bytes.length,
      mime: 'image/jpeg',
      caption: '现场照片',
      capturedAt: new Date().toISOString(),
    },
  };
}

describe('the enterprise and the team come from the task', () => {
  it('refuses a result naming another enterprise with 422 TASK_MISMATCH; the task’s own enterprise is accepted', async () => {
    const task = mine[0]!;
    const other = mine.find((t) => t.enterprise.uscc !== task.enterprise.uscc)!;
    const forged = withPayload(buildUpload(task, 'res-ent-1'), { enterpriseUscc: other.enterprise.uscc });
    const message = await refusedWith(await putResult(call, forged, 'op-ent-1'), 422, 'TASK_MISMATCH');
    expect(message).toContain(task.enterprise.uscc);
    expect(h.platform.admin.counts('res-ent-1').results).toBe(0);
    // Not stored under the key: the same result, right this time, goes through with the same key.
    expect((await putResult(call, buildUpload(task, 'res-ent-1'), 'op-ent-1')).status).toBe(201);
  });

  it('refuses inspectors who are not on the task team, and a team that leaves out the caller', async () => {
    const task = mine[1]!;
    const stranger = bobsOwn.team.find((m) => !task.team.some((x) => x.inspectorId === m.inspectorId))!.inspectorId;
    const ids = task.team.map((m) => m.inspectorId);
    const withStranger = withPayload(buildUpload(task, 'res-team-1'), { inspectorIds: [...ids, stranger] });
    expect(await refusedWith(await putResult(call, withStranger, 'op-team-1'), 422, 'TASK_MISMATCH')).toContain(
      stranger,
    );
    // After a reassignment the former member still counts, but a team that leaves out the caller does not.
    const leaving = ids.find((id) => id !== alice.inspectorId)!;
    const after = h.platform.admin.reassignTask(task.id, leaving);
    const others = after.team.map((m) => m.inspectorId).filter((id) => id !== alice.inspectorId);
    const withoutMe = withPayload(buildUpload(task, 'res-team-2'), { inspectorIds: [leaving, ...others] });
    expect(await refusedWith(await putResult(call, withoutMe, 'op-team-2'), 422, 'TASK_MISMATCH')).toMatch(/提交人/);
    expect(h.platform.admin.counts('res-team-1').results + h.platform.admin.counts('res-team-2').results).toBe(0);
    expect((await putResult(call, buildUpload(task, 'res-team-3'), 'op-team-3')).status).toBe(201);
  });

  it('refuses a correction that replaces a result of another task', async () => {
    const bobs = await putResult(bobCall, buildUpload(bobsOwn, 'res-bob-own', { deviceId: 'dev-bob' }), 'op-bob-own');
    expect(bobs.status).toBe(201);
    const task = mine[2]!;
    const hijack = withPayload(buildUpload(task, 'res-hijack'), { replaces: 'res-bob-own' });
    await refusedWith(await putResult(call, hijack, 'op-hijack'), 422, 'TASK_MISMATCH');
    expect(h.platform.admin.counts('res-hijack').results).toBe(0);
    expect((await putResult(call, buildUpload(task, 'res-task2-first'), 'op-task2-first')).status).toBe(201);
    const correction = withPayload(buildUpload(task, 'res-task2-corr', { note: '更正' }), {
      replaces: 'res-task2-first',
    });
    expect((await putResult(call, correction, 'op-task2-corr')).status).toBe(201);
  });
});

describe('evidence and attachments', () => {
  it('refuses evidence that is not among the attachments sent (422 EVIDENCE_MISMATCH), accepts it once uploaded and listed', async () => {
    const task = mine[3]!;
    const ev = await evidence(aliceToken, 'res-ev-1', 'att-ev-1');
    const unlisted = withPayload(buildUpload(task, 'res-ev-1'), { evidence: [ev.evidence] });
    const message = await refusedWith(await putResult(call, unlisted, 'op-ev-1'), 422, 'EVIDENCE_MISMATCH');
    expect(message).toContain('att-ev-1');
    const otherHash = withPayload(buildUpload(task, 'res-ev-1', { attachments: [ev.attachment] }), {
      evidence: [{ ...ev.evidence, sha256: 'ee'.repeat(32) }],
    });
    await refusedWith(await putResult(call, otherHash, 'op-ev-1b'), 422, 'EVIDENCE_MISMATCH');
    expect(h.platform.admin.counts('res-ev-1').results).toBe(0);
    const listed = withPayload(buildUpload(task, 'res-ev-1', { attachments: [ev.attachment] }), {
      evidence: [ev.evidence],
    });
    expect((await putResult(call, listed, 'op-ev-1c')).status).toBe(201);
  });

  it("refuses another inspector's upload as one's own attachment (403 NOT_YOUR_UPLOAD)", async () => {
    const bobs = await evidence(bobToken, 'res-stolen', 'att-bobs-photo');
    const task = mine[4]!;
    const stolen = withPayload(buildUpload(task, 'res-stolen', { attachments: [bobs.attachment] }), {
      evidence: [bobs.evidence],
    });
    await refusedWith(await putResult(call, stolen, 'op-stolen'), 403, 'NOT_YOUR_UPLOAD');
    expect(h.platform.admin.counts('res-stolen').results).toBe(0);
    const own = await evidence(aliceToken, 'res-own-photo', 'att-own-photo');
    const honest = withPayload(buildUpload(task, 'res-own-photo', { attachments: [own.attachment] }), {
      evidence: [own.evidence],
    });
    expect((await putResult(call, honest, 'op-own-photo')).status).toBe(201);
  });

  it('a correction must re-upload its evidence under new ids: the original’s ids belong to the original result', async () => {
    const task = mine[5]!;
    const first = await evidence(aliceToken, 'res-orig', 'att-orig');
    const original = withPayload(buildUpload(task, 'res-orig', { attachments: [first.attachment] }), {
      evidence: [first.evidence],
    });
    expect((await putResult(call, original, 'op-orig')).status).toBe(201);
    const reused = withPayload(buildUpload(task, 'res-fixed', { attachments: [first.attachment], note: '更正' }), {
      evidence: [first.evidence],
      replaces: 'res-orig',
    });
    await refusedWith(await putResult(call, reused, 'op-fixed'), 403, 'NOT_YOUR_UPLOAD');
    const again = await evidence(aliceToken, 'res-fixed', 'att-fixed');
    const rebuilt = withPayload(buildUpload(task, 'res-fixed', { attachments: [again.attachment], note: '更正' }), {
      evidence: [again.evidence],
      replaces: 'res-orig',
    });
    expect((await putResult(call, rebuilt, 'op-fixed-2')).status).toBe(201);
  });
});

describe('receipts and stored answers are for the team', () => {
  it("refuses another team's receipt with 403 NOT_YOUR_TASK and another account's key with 422", async () => {
    const up = buildUpload(mine[6]!, 'res-private');
    expect((await putResult(call, up, 'op-private')).status).toBe(201);
    await refusedWith(await bobCall('/v1/results/res-private/receipt'), 403, 'NOT_YOUR_TASK');
    // The device id is the login's word: signed in "on Alice's device", Bob could replay her exact
    // request under her key and be handed her receipt.
    const bobOnHerDevice = authed(
      h.platform.url,
      (await login(h.platform.url, bob.certNo, bob.password, up.deviceId)).accessToken,
    );
    await refusedWith(await putResult(bobOnHerDevice, up, 'op-private'), 422, 'IDEMPOTENCY_KEY_REUSED');
    const own = await call('/v1/results/res-private/receipt');
    expect(own.status).toBe(200);
    expect(ReceiptSchema.parse(await own.json()).resultId).toBe('res-private');
  });
});
