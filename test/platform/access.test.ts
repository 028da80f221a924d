/**
 * Who may do what: a revoked device is refused everywhere (login, refresh, reads, results, tus,
 * document numbers, keys) until reinstated, while the inspector's other device works on; a result
 * for a task the caller is not on is refused on its own, and the caller's own results go through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, DeviceStatusSchema, ErrorBodySchema } from '../../shared/protocol/index.js';
import type { LoginResponse, Task } from '../../shared/protocol/index.js';
import type { DemoLogin } from './server.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, loginRequest, putResult, startTemp } from './testkit.js';

let h: Harness;
let alice: DemoLogin;
let lost: LoginResponse;
let spare: LoginResponse;
let mine: Task[];

beforeAll(async () => {
  h = await startTemp();
  alice = h.platform.logins[0]!;
  lost = await login(h.platform.url, alice.certNo, alice.password, 'dev-lost');
  spare = await login(h.platform.url, alice.certNo, alice.password, 'dev-spare');
  mine = (await allTasks(authed(h.platform.url, spare.accessToken))).filter((t) => t.status === 'assigned');
});
afterAll(() => h.stop());

async function codeOf(res: Response): Promise<string> {
  return ErrorBodySchema.parse(await res.json()).error.code;
}

async function expectRevoked(res: Response | Promise<Response>): Promise<void> {
  const r = await res;
  expect(r.status).toBe(403);
  const err = ErrorBodySchema.parse(await r.json()).error;
  expect(err.code).toBe('DEVICE_REVOKED');
  expect(err.message).toMatch(/设备已被平台停用/);
}

const admin = (path: string, secret: string | null = h.platform.adminSecret): Promise<Response> =>
  fetch(`${h.platform.url}${path}`, { method: 'POST', headers: secret === null ? {} : { 'x-admin-secret': secret } });

const jsonPost = (call: ReturnType<typeof authed>, path: string, body: unknown): Promise<Response> =>
  call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('device revocation', () => {
  it('needs the admin secret', async () => {
    expect((await admin(API.adminRevokeDevice('dev-lost'), null)).status).toBe(401);
    expect((await admin(API.adminRevokeDevice('dev-lost'), 'not-the-secret-at-all')).status).toBe(401);
    expect((await admin(API.adminRevokeDevice('bad id!'))).status).toBe(400);
    expect((await authed(h.platform.url, lost.accessToken)('/v1/sync/tasks?limit=1')).status).toBe(200);
  });

  it('refuses everything from the revoked device and nothing from the other one', async () => {
    const res = await admin(API.adminRevokeDevice('dev-lost'));
    expect(res.status).toBe(200);
    expect(DeviceStatusSchema.parse(await res.json())).toMatchObject({ deviceId: 'dev-lost', revoked: true });

    const call = authed(h.platform.url, lost.accessToken);
    await expectRevoked(call('/v1/sync/tasks?limit=1'));
    await expectRevoked(call('/v1/sync/enterprises?limit=1'));
    await expectRevoked(call(API.stationCacheKey));
    await expectRevoked(call(API.dataKey));
    const up = buildUpload(mine[0]!, 'res-revoked-1', { deviceId: 'dev-lost' });
    await expectRevoked(putResult(call, up, 'op-revoked-1'));
    expect(h.platform.admin.counts('res-revoked-1').results).toBe(0);
    await expectRevoked(
      call(API.uploads, {
        method: 'POST',
        headers: { 'tus-resumable': '1.0.0', 'upload-length': '4', 'upload-metadata': 'attachmentId YS0x' },
      }),
    );
    await expectRevoked(
      jsonPost(call, API.reserveNumbers, {
        requestId: 'req-revoked',
        deviceId: 'dev-lost',
        docType: 'notice',
        count: 5,
      }),
    );
    await expectRevoked(jsonPost(call, API.reportNumbers, { deviceId: 'dev-lost', used: [], voided: [] }));
    await expectRevoked(
      fetch(`${h.platform.url}${API.refresh}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: lost.refreshToken }),
      }),
    );
    await expectRevoked(loginRequest(h.platform.url, alice.certNo, alice.password, 'dev-lost'));
    // A wrong password is told only that: the revocation is no oracle for someone without the password.
    const wrong = await loginRequest(h.platform.url, alice.certNo, 'wrong-password', 'dev-lost');
    expect(wrong.status).toBe(401);
    expect(await codeOf(wrong)).toBe('UNAUTHORIZED');

    const other = authed(h.platform.url, spare.accessToken);
    expect((await other('/v1/sync/tasks?limit=1')).status).toBe(200);
    expect(
      (await putResult(other, buildUpload(mine[1]!, 'res-spare-1', { deviceId: 'dev-spare' }), 'op-spare-1')).status,
    ).toBe(201);
  });

  it('reinstating lets the device sign in again; its old sessions stay ended', async () => {
    const res = await admin(API.adminReinstateDevice('dev-lost'));
    expect(res.status).toBe(200);
    expect(DeviceStatusSchema.parse(await res.json())).toMatchObject({ deviceId: 'dev-lost', revoked: false });
    const old = await authed(h.platform.url, lost.accessToken)('/v1/sync/tasks?limit=1');
    expect(old.status).toBe(401);
    expect(await codeOf(old)).toBe('UNAUTHORIZED');
    const again = await login(h.platform.url, alice.certNo, alice.password, 'dev-lost');
    const call = authed(h.platform.url, again.accessToken);
    expect(
      (await putResult(call, buildUpload(mine[0]!, 'res-revoked-1', { deviceId: 'dev-lost' }), 'op-revoked-1')).status,
    ).toBe(201);
    expect(h.platform.admin.counts('res-revoked-1').results).toBe(1);
  });
});

describe("a result for somebody else's task", () => {
  it("is refused with 403 NOT_YOUR_TASK on its own; the caller's own results still go through", async () => {
    const mineIds = new Set(h.platform.admin.tasksOf(alice.inspectorId));
    const bob = h.platform.logins.find(
      (l) =>
        l.inspectorId !== alice.inspectorId && h.platform.admin.tasksOf(l.inspectorId).some((t) => !mineIds.has(t)),
    )!;
    const bobCall = authed(
      h.platform.url,
      (await login(h.platform.url, bob.certNo, bob.password, 'dev-bob')).accessToken,
    );
    const theirs = (await allTasks(bobCall)).find((t) => !mineIds.has(t.id))!;
    const call = authed(h.platform.url, spare.accessToken);

    const refused = await putResult(
      call,
      buildUpload(theirs, 'res-not-mine-1', { deviceId: 'dev-spare' }),
      'op-not-mine-1',
    );
    expect(refused.status).toBe(403);
    expect(await codeOf(refused)).toBe('NOT_YOUR_TASK');
    expect(h.platform.admin.counts('res-not-mine-1').results).toBe(0);

    expect(
      (await putResult(call, buildUpload(mine[2]!, 'res-mine-after', { deviceId: 'dev-spare' }), 'op-mine-after'))
        .status,
    ).toBe(201);
    // Bob, who is on the task, may still record it: the refusal stored nothing for the task.
    expect(
      (await putResult(bobCall, buildUpload(theirs, 'res-bob-1', { deviceId: 'dev-bob' }), 'op-bob-1')).status,
    ).toBe(201);
  });
});

describe('the device comes from the access token, never from a body', () => {
  it('refuses a result or a number request naming another device, storing nothing', async () => {
    const call = authed(h.platform.url, spare.accessToken);
    const res = await putResult(
      call,
      buildUpload(mine[3]!, 'res-other-device', { deviceId: 'dev-lost' }),
      'op-other-device',
    );
    expect(res.status).toBe(422);
    expect(ErrorBodySchema.parse(await res.json()).error.message).toMatch(/登录设备/);
    expect(h.platform.admin.counts('res-other-device').results).toBe(0);
    const reserve = await jsonPost(call, API.reserveNumbers, {
      requestId: 'req-other-device',
      deviceId: 'dev-lost',
      docType: 'notice',
      count: 5,
    });
    expect(reserve.status).toBe(422);
    const own = await jsonPost(call, API.reserveNumbers, {
      requestId: 'req-other-device',
      deviceId: 'dev-spare',
      docType: 'notice',
      count: 5,
    });
    // The refused request reserved nothing: the same requestId now gets the first block.
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ from: 1, to: 5 });
  });
});
