/**
 * Uploads and document numbers belong to whoever made them. Another signed-in inspector may not
 * HEAD, PATCH or DELETE an upload over tus, nor store bytes under someone else's attachment id or
 * for someone else's result; numbers are reported only by the inspector and device that reserved
 * them, and a paper only counts for a result of its reporter's task team, so no account can make
 * /public/verify vouch for a forged paper.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, ErrorBodySchema, ReserveResponseSchema, VerifyResponseSchema } from '../../shared/protocol/index.js';
import type { Task } from '../../shared/protocol/index.js';
import type { DemoLogin } from './server.js';
import type { Harness } from './testkit.js';
import { allTasks, authed, buildUpload, login, putResult, sha256Hex, startTemp, tusUpload } from './testkit.js';

let h: Harness;
let alice: DemoLogin;
let bob: DemoLogin;
let aliceToken: string;
let bobToken: string;
let mine: Task[];

beforeAll(async () => {
  h = await startTemp();
  alice = h.platform.logins[0]!;
  aliceToken = (await login(h.platform.url, alice.certNo)).accessToken;
  mine = (await allTasks(authed(h.platform.url, aliceToken))).filter((t) => t.status === 'assigned');
  const mineIds = new Set(mine.map((t) => t.id));
  bob = h.platform.logins.find(
    (l) => l.inspectorId !== alice.inspectorId && h.platform.admin.tasksOf(l.inspectorId).every((t) => !mineIds.has(t)),
  )!;
  bobToken = (await login(h.platform.url, bob.certNo, bob.password, 'dev-bob')).accessToken;
});
afterAll(() => h.stop());

const tus = (token: string, method: string, url: string, headers: Record<string, string> = {}, body?: BodyInit) =>
  fetch(url, { method, headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0', ...headers }, body });

async function expectCode(res: Response, status: number, code: string): Promise<void> {
  expect(res.status).toBe(status);
  expect(ErrorBodySchema.parse(await res.json()).error.code).toBe(code);
}

const meta = (m: Record<string, string>): string =>
  Object.entries(m)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

describe('uploads belong to the inspector who created them', () => {
  it("refuses HEAD, PATCH and DELETE on another inspector's upload; the owner's HEAD still works", async () => {
    const bytes = Buffer.from('alice evidence');
    const sha = sha256Hex(bytes);
    const { location, status } = await tusUpload(
      h.platform.url,
      aliceToken,
      { attachmentId: 'att-a1', resultId: 'res-a1', sha256: sha, mime: 'image/jpeg' },
      bytes,
    );
    expect(status).toBe(204);
    // A HEAD answer carries no body: the status says it.
    expect((await tus(bobToken, 'HEAD', location)).status).toBe(403);
    const evil = new Uint8Array(Buffer.from('forged'));
    await expectCode(
      await tus(
        bobToken,
        'PATCH',
        location,
        { 'upload-offset': String(bytes.length), 'content-type': 'application/offset+octet-stream' },
        evil,
      ),
      403,
      'NOT_YOUR_UPLOAD',
    );
    await expectCode(await tus(bobToken, 'DELETE', location), 403, 'NOT_YOUR_UPLOAD');
    const head = await tus(aliceToken, 'HEAD', location);
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(bytes.length));
  });

  it("refuses to store bytes under another inspector's attachment id or for another inspector's result", async () => {
    const forged = Buffer.from('forged bytes');
    const sha = sha256Hex(forged);
    const create = (token: string, attachmentId: string, resultId: string) =>
      tus(token, 'POST', `${h.platform.url}${API.uploads}`, {
        'upload-length': String(forged.length),
        'upload-metadata': meta({ attachmentId, resultId, sha256: sha, mime: 'image/jpeg' }),
      });
    // Same id and result as Alice's stored photo: would overwrite her evidence.
    await expectCode(await create(bobToken, 'att-a1', 'res-a1'), 403, 'NOT_YOUR_UPLOAD');
    await expectCode(await create(bobToken, 'att-a1', 'res-bob-x'), 403, 'NOT_YOUR_UPLOAD');
    // A fresh id, but for Alice's accepted result.
    expect((await putResult(authed(h.platform.url, aliceToken), buildUpload(mine[0]!, 'res-a2'), 'op-a2')).status).toBe(
      201,
    );
    await expectCode(await create(bobToken, 'att-b-for-a2', 'res-a2'), 403, 'NOT_YOUR_UPLOAD');
    // Bob's own id for his own result is fine.
    expect((await create(bobToken, 'att-b1', 'res-b1')).status).toBe(201);
  });

  it('of two creations racing for one new attachment id, the second to finish is refused and removed', async () => {
    const create = async (token: string, bytes: Buffer) => {
      const res = await tus(token, 'POST', `${h.platform.url}${API.uploads}`, {
        'upload-length': String(bytes.length),
        'upload-metadata': meta({
          attachmentId: 'att-race',
          resultId: 'res-race',
          sha256: sha256Hex(bytes),
          mime: 'image/jpeg',
        }),
      });
      expect(res.status).toBe(201);
      return res.headers.get('location') ?? '';
    };
    const patch = (token: string, url: string, bytes: Buffer) =>
      tus(
        token,
        'PATCH',
        url,
        { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
        new Uint8Array(bytes),
      );
    const hers = Buffer.from('alice race photo');
    const his = Buffer.from('bob race forgery');
    const aliceUrl = await create(aliceToken, hers);
    const bobUrl = await create(bobToken, his);
    expect((await patch(aliceToken, aliceUrl, hers)).status).toBe(204);
    expect((await patch(bobToken, bobUrl, his)).status).toBe(403);
    const task = mine[2]!;
    const ref = { id: 'att-race', sha256: sha256Hex(hers), size: hers.length, mime: 'image/jpeg', uploadUrl: aliceUrl };
    expect(
      (
        await putResult(
          authed(h.platform.url, aliceToken),
          buildUpload(task, 'res-race', { attachments: [ref] }),
          'op-race',
        )
      ).status,
    ).toBe(201);
  });
});

describe('document numbers belong to the inspector and device that reserved them', () => {
  const post = (token: string, path: string, body: unknown) =>
    authed(h.platform.url, token)(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const verify = async (resultId: string, hash: string) =>
    VerifyResponseSchema.parse(
      await (
        await fetch(`${h.platform.url}/public/verify?result=${resultId}&hash=${hash}`, {
          headers: { accept: 'application/json' },
        })
      ).json(),
    );

  it('refuses a report of numbers another inspector reserved on the same device, and a reuse of their requestId', async () => {
    const block = ReserveResponseSchema.parse(
      await (
        await post(aliceToken, API.reserveNumbers, {
          requestId: 'req-alice-1',
          deviceId: 'dev-test-1',
          docType: 'record',
          count: 3,
        })
      ).json(),
    );
    const bobHere = (await login(h.platform.url, bob.certNo, bob.password, 'dev-test-1')).accessToken;
    const voiding = {
      deviceId: 'dev-test-1',
      used: [],
      voided: [{ docType: 'record', serial: block.from, reason: 'x' }],
    };
    expect((await post(bobHere, API.reportNumbers, voiding)).status).toBe(422);
    await expectCode(
      await post(bobHere, API.reserveNumbers, {
        requestId: 'req-alice-1',
        deviceId: 'dev-test-1',
        docType: 'record',
        count: 3,
      }),
      422,
      'IDEMPOTENCY_KEY_REUSED',
    );
    expect((await post(aliceToken, API.reportNumbers, voiding)).status).toBe(200);
  });

  it("refuses to register a paper for another team's result, and a pre-registered one never verifies", async () => {
    const call = authed(h.platform.url, aliceToken);
    const task = mine[1]!;
    const reserveFor = async (token: string, requestId: string, deviceId: string) =>
      ReserveResponseSchema.parse(
        await (await post(token, API.reserveNumbers, { requestId, deviceId, docType: 'notice', count: 2 })).json(),
      );
    const bobs = await reserveFor(bobToken, 'req-bob-n', 'dev-bob');
    const forgedHash = 'f0'.repeat(32);
    // Before Alice uploads: accepted (the result is unknown yet), but it will never count for her result.
    const early = await post(bobToken, API.reportNumbers, {
      deviceId: 'dev-bob',
      used: [{ docType: 'notice', serial: bobs.from, resultId: 'res-paper', docHash: forgedHash }],
      voided: [],
    });
    expect(early.status).toBe(200);
    const alices = await reserveFor(aliceToken, 'req-alice-n', 'dev-test-1');
    const realHash = '0f'.repeat(32);
    expect(
      (
        await post(aliceToken, API.reportNumbers, {
          deviceId: 'dev-test-1',
          used: [{ docType: 'notice', serial: alices.from, resultId: 'res-paper', docHash: realHash }],
          voided: [],
        })
      ).status,
    ).toBe(200);
    expect((await putResult(call, buildUpload(task, 'res-paper'), 'op-paper')).status).toBe(201);
    expect(await verify('res-paper', forgedHash)).toMatchObject({ match: false, state: 'mismatch' });
    expect(await verify('res-paper', realHash)).toMatchObject({
      match: true,
      document: { title: '随机抽查检查通知书' },
    });
    // After the upload: refused outright.
    await expectCode(
      await post(bobToken, API.reportNumbers, {
        deviceId: 'dev-bob',
        used: [{ docType: 'notice', serial: bobs.from + 1, resultId: 'res-paper', docHash: 'f1'.repeat(32) }],
        voided: [],
      }),
      403,
      'NOT_YOUR_TASK',
    );
    expect((await verify('res-paper', 'f1'.repeat(32))).match).toBe(false);
  });
});
