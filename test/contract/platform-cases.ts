/**
 * The simulator-side set-up of each contract case: the state the case needs, made through the
 * admin API and ordinary calls, and the values only the running simulator knows (ids, tokens,
 * upload URLs) for the golden request's placeholders.
 */
import { canonicalJson } from '../../shared/domain/canonical.js';
import { signCheckpoint } from '../../shared/integrity/checkpoint.js';
import { toBase64Url } from '../../shared/integrity/encoding.js';
import { suiteFor } from '../../shared/integrity/suite.js';
import type { ResultUpload, Task } from '../../shared/protocol/index.js';
import type { DemoLogin } from '../platform/server.js';
import type { Harness, UnsignedUpload } from '../platform/testkit.js';
import {
  authed,
  buildUpload,
  deviceKeyFor,
  loginRequest,
  putResult,
  sha256Hex,
  signUpload,
  startTemp,
  tusUpload,
} from '../platform/testkit.js';
import type { Fixture } from './contract-fixtures.js';
import { fill } from './contract-fixtures.js';

export const DEVICE = 'dev-contract-1';

export type Ctx = Record<string, unknown>;
export type CaseSetup = (f: Fixture) => Promise<Ctx>;

export interface Session {
  readonly accessToken: string;
  readonly refreshToken: string;
}

// Set-up reads answers as plain JSON, not through the shared schemas: a schema that drifted must
// not be able to stop (or bend) the simulator's side of the contract.
async function login(url: string, certNo: string, password: string, deviceId: string): Promise<Session> {
  const res = await loginRequest(url, certNo, password, deviceId);
  if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Session;
}

async function allTasks(c: ReturnType<typeof authed>): Promise<Task[]> {
  const page = (await (await c('/v1/sync/tasks?limit=1000')).json()) as {
    changes: ({ kind: 'upsert'; task: Task } | { kind: 'tombstone' })[];
  };
  return page.changes.flatMap((ch) => (ch.kind === 'upsert' ? [ch.task] : []));
}

export interface PlatformEnv {
  readonly h: Harness;
  readonly me: DemoLogin;
  readonly session: Session;
  readonly call: ReturnType<typeof authed>;
  readonly tasks: readonly Task[];
}

/** The simulator on a temp dir (faults on), the demo inspector with the most tasks signed in on DEVICE. */
export async function startEnv(): Promise<PlatformEnv> {
  const h = await startTemp({ faults: true });
  const me = h.platform.logins[0]!;
  const session = await login(h.platform.url, me.certNo, me.password, DEVICE);
  const call = authed(h.platform.url, session.accessToken);
  const tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
  return { h, me, session, call, tasks };
}

/** The set-up of every case, by fixture name. Cases share the env, so each takes its own task. */
export function platformCases(env: PlatformEnv): Readonly<Record<string, CaseSetup>> {
  const { h, me, session, call, tasks } = env;
  let nextTask = 0;
  function takeTask(): Task {
    const t = tasks[nextTask++];
    if (!t) throw new Error('the demo inspector has too few assigned tasks for the contract cases');
    return t;
  }

  const base = (): Ctx => ({
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    certNo: me.certNo,
    password: me.password,
  });

  /** The current snapshot as the manifest names it: its hash, ETag and size fill the file requests. */
  async function snapshotCase(): Promise<Ctx> {
    const manifest = (await (await call('/v1/sync/enterprises/snapshot')).json()) as { sha256: string; bytes: number };
    return { ...base(), sha: manifest.sha256, etag: `"${manifest.sha256}"`, size: manifest.bytes };
  }

  function unsigned(task: Task, resultId: string, note?: string): UnsignedUpload {
    return buildUpload(task, resultId, { deviceId: DEVICE, ...(note === undefined ? {} : { note }) });
  }

  /** A result as the app sends it: its checkpoint signed by DEVICE's registered device key. */
  function upload(task: Task, resultId: string, note?: string): Promise<ResultUpload> {
    return signUpload(call, unsigned(task, resultId, note));
  }

  function rehash(up: UnsignedUpload): UnsignedUpload {
    return { ...up, contentHash: sha256Hex(canonicalJson(up.payload)) };
  }

  async function expectStatus(res: Promise<Response>, status: number): Promise<void> {
    const r = await res;
    const text = await r.text();
    if (r.status !== status) throw new Error(`set-up call answered ${r.status}: ${text}`);
  }

  /** A result accepted by the platform (for receipts and public pages). */
  async function acceptOne(resultId: string): Promise<{ task: Task; up: ResultUpload }> {
    const task = takeTask();
    const up = await upload(task, resultId);
    await expectStatus(putResult(call, up, `op-${resultId}`), 201);
    return { task, up };
  }

  let publishedResult: Promise<{ task: Task; up: ResultUpload }> | null = null;
  /** One accepted and published result, shared by the public-page cases. */
  function published(): Promise<{ task: Task; up: ResultUpload }> {
    publishedResult ??= acceptOne('r-contract-public-1').then((r) => {
      h.platform.admin.publishNow();
      return r;
    });
    return publishedResult;
  }

  function resultCase(resultId: string, up: ResultUpload, extra: Ctx = {}): Ctx {
    return { ...base(), resultId, opId: `op-${resultId}`, upload: up, ...extra };
  }

  const fault = (rule: Parameters<Harness['platform']['admin']['addFault']>[0]) => h.platform.admin.addFault(rule);

  const tusMeta = (m: Record<string, string>): string =>
    Object.entries(m)
      .map(([k, v]) => `${k} ${Buffer.from(v, 'utf8').toString('base64')}`)
      .join(',');

  const KEY_A = Buffer.alloc(32, 7).toString('base64url');

  async function freshPublicKey(): Promise<string> {
    return toBase64Url((await suiteFor('sha256+ed25519').generate()).publicKey);
  }

  const registerKey = (c: ReturnType<typeof authed>, publicKey: string): Promise<Response> =>
    c('/v1/devices/keys', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ alg: 'sha256+ed25519', publicKey }),
    });

  /** Another demo inspector, freshly signed in with a password (key escrow needs a recent one). */
  async function inspector(index: number, escrow?: { keyId: string; key: string }): Promise<Ctx> {
    const who = h.platform.logins[index];
    if (!who) throw new Error(`the simulator has no demo inspector #${index}`);
    const s = await login(h.platform.url, who.certNo, who.password, `dev-contract-keys-${index}`);
    if (escrow)
      await expectStatus(
        authed(h.platform.url, s.accessToken)('/v1/keys/data-key', {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(escrow),
        }),
        201,
      );
    return { accessToken: s.accessToken };
  }

  /** A tus upload created for `bytes` (with the given declared hash), nothing sent yet. */
  async function createdUpload(attachmentId: string, bytes: Buffer, declared = sha256Hex(bytes)): Promise<Ctx> {
    const created = await fetch(`${h.platform.url}/v1/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(bytes.length),
        'upload-metadata': tusMeta({ attachmentId, resultId: 'r-contract-att', sha256: declared, mime: 'image/jpeg' }),
      },
    });
    if (created.status !== 201) throw new Error(`tus creation answered ${created.status}`);
    return { ...base(), uploadPath: new URL(created.headers.get('location') ?? '').pathname, uploadBytes: bytes };
  }

  /** The state each case needs, set up through the admin API and ordinary calls. */
  return {
    'auth/login-200': () => Promise.resolve(base()),
    'auth/login-401': () => Promise.resolve(base()),
    'auth/login-422': () => Promise.resolve(base()),
    'auth/refresh-200': async () => ({
      refreshToken: (await login(h.platform.url, me.certNo, me.password, DEVICE)).refreshToken,
    }),
    'auth/refresh-401': () => Promise.resolve(base()),
    'doc-numbers/reserve-200': () => Promise.resolve(base()),
    'doc-numbers/reserve-200-replay': async () => {
      const res = await call('/v1/doc-numbers/reserve', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: 'req-reserve-replay', deviceId: DEVICE, docType: 'record', count: 20 }),
      });
      return { ...base(), sameAs: (await res.json()) as unknown };
    },
    'doc-numbers/reserve-422-device': () => Promise.resolve(base()),
    'doc-numbers/report-200': async () => {
      const res = await call('/v1/doc-numbers/reserve', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requestId: 'req-contract-report', deviceId: DEVICE, docType: 'record', count: 3 }),
      });
      const block = (await res.json()) as { from: number };
      return { ...base(), serial: block.from };
    },
    'enterprises/feed-200': () => Promise.resolve(base()),
    'enterprises/feed-410': () => {
      h.platform.admin.removeEnterprises(5);
      h.platform.admin.advanceTombstoneHorizon();
      return Promise.resolve({ ...base(), staleCursor: '5' });
    },
    'keys/data-key-get-200': () => inspector(1, { keyId: 'dk-insp-0001-2026', key: KEY_A }),
    'keys/data-key-get-404': () => inspector(2),
    'keys/data-key-put-200': () => inspector(3, { keyId: 'dk-insp-0001-2026', key: KEY_A }),
    'keys/data-key-put-201': () => inspector(4),
    'keys/data-key-put-409': () => inspector(5, { keyId: 'dk-insp-0001-2026', key: KEY_A }),
    'keys/station-cache-get-200': () => Promise.resolve(base()),
    'public/results-200': async () => ({ uscc: (await published()).task.enterprise.uscc }),
    'public/verify-200-mismatch': async () => ({
      resultId: (await published()).up.payload.resultId,
      otherHash: sha256Hex('另一张纸'),
    }),
    'public/verify-200-unknown': () =>
      Promise.resolve({ unknownResultId: 'r-contract-never-sent', otherHash: sha256Hex('另一张纸') }),
    'public/verify-200': async () => {
      const { up } = await published();
      return { resultId: up.payload.resultId, contentHash: up.contentHash };
    },
    'receipts/get-200': async () => ({
      ...base(),
      resultId: (await acceptOne('r-contract-receipt-1')).up.payload.resultId,
    }),
    'receipts/get-404': () => Promise.resolve({ ...base(), unknownResultId: 'r-contract-never-sent' }),
    'reference/get-200': () => Promise.resolve(base()),
    'reference/get-304': async () => {
      const res = await call('/v1/reference');
      await res.arrayBuffer();
      return { ...base(), referenceEtag: res.headers.get('etag') };
    },
    'results/put-200-replay': async () => {
      const task = takeTask();
      const up = await upload(task, 'r-contract-replay-1');
      const first = await putResult(call, up, 'op-r-contract-replay-1');
      if (first.status !== 201) throw new Error(`first PUT answered ${first.status}`);
      const receipt = (await first.json()) as { resultId: string; contentHash: string; receivedAt: string };
      const { resultId, contentHash, receivedAt } = receipt;
      return resultCase('r-contract-replay-1', up, { sameAs: { resultId, contentHash, receivedAt } });
    },
    // The golden body is filled with the task's ids; the content hash is then computed over it.
    'results/put-201': async (f) => {
      const task = takeTask();
      const ctx: Ctx = {
        ...base(),
        resultId: 'r-contract-201',
        opId: 'op-r-contract-201',
        taskId: task.id,
        taskVersion: task.version,
        uscc: task.enterprise.uscc,
        inspectorIds: task.team.map((m) => m.inspectorId),
        itemCode: task.items[0]!.code,
      };
      const body = fill(f.request.body, { ...ctx, contentHash: '', keyId: '', signature: '' }) as ResultUpload;
      const contentHash = sha256Hex(canonicalJson(body.payload));
      // The golden checkpoint, signed by the device key registered for this session's device.
      const key = await deviceKeyFor(call, body.deviceId);
      const signature = await signCheckpoint(suiteFor('sha256+ed25519'), key.key, {
        resultId: body.payload.resultId,
        contentHash,
        deviceId: body.deviceId,
        deviceSeq: body.deviceSeq,
        count: body.auditCheckpoint.count,
        headHash: body.auditCheckpoint.headHash,
      });
      return { ...ctx, contentHash, keyId: key.keyId, signature };
    },
    'results/put-401-token-expired': async () => {
      const up = await upload(tasks[0]!, 'r-contract-expired');
      fault({ kind: 'expire-token', method: 'PUT', path: '^/v1/results/r-contract-expired$' });
      return resultCase('r-contract-expired', up);
    },
    'results/put-403-device-revoked': async () => {
      const lost = await login(h.platform.url, me.certNo, me.password, 'dev-contract-lost');
      h.platform.admin.revokeDevice('dev-contract-lost');
      // Its key registration is refused too; the upload goes signed by the unregistered key.
      const up = await signUpload(
        authed(h.platform.url, lost.accessToken),
        buildUpload(takeTask(), 'r-contract-revoked', { deviceId: 'dev-contract-lost' }),
      );
      return { ...resultCase('r-contract-revoked', up), accessToken: lost.accessToken };
    },
    'results/put-403-not-your-task': async () => {
      const task = takeTask();
      const outsider = h.platform.logins.find((l) => !task.team.some((m) => m.inspectorId === l.inspectorId));
      if (!outsider) throw new Error('no inspector outside the task team');
      const other = await login(h.platform.url, outsider.certNo, outsider.password, 'dev-contract-outsider');
      const up = await signUpload(
        authed(h.platform.url, other.accessToken),
        buildUpload(task, 'r-contract-outsider', { deviceId: 'dev-contract-outsider' }),
      );
      return { ...resultCase('r-contract-outsider', up), accessToken: other.accessToken };
    },
    'results/put-409-attachments-missing': async () => {
      const photo = { id: 'att-contract-missing', sha256: sha256Hex('never uploaded'), size: 14, mime: 'image/jpeg' };
      const up = buildUpload(takeTask(), 'r-contract-missing', {
        deviceId: DEVICE,
        attachments: [{ ...photo, uploadUrl: null }],
      });
      return resultCase('r-contract-missing', await signUpload(call, up));
    },
    'results/put-409-in-flight': async () => {
      const up = await upload(takeTask(), 'r-contract-flight');
      fault({ kind: 'delay', method: 'PUT', path: '^/v1/results/r-contract-flight$', ms: 2500 });
      const first = putResult(call, up, 'op-r-contract-flight').then((r) => r.arrayBuffer());
      // The first request must have claimed the key before the golden one is sent.
      await new Promise((r) => setTimeout(r, 600));
      return resultCase('r-contract-flight', up, { pending: first });
    },
    'results/put-409-result-conflict': async () => {
      const task = takeTask();
      await expectStatus(putResult(call, unsigned(task, 'r-contract-conflict', '初次提交'), 'op-conflict-first'), 201);
      return resultCase('r-contract-conflict', await upload(task, 'r-contract-conflict', '内容不同的再次提交'));
    },
    'results/put-409-result-conflict-task': async () => {
      const task = takeTask();
      await expectStatus(putResult(call, unsigned(task, 'r-contract-first-of-task'), 'op-first-of-task'), 201);
      return resultCase('r-contract-second-of-task', await upload(task, 'r-contract-second-of-task'));
    },
    'results/put-409-task-cancelled': async () => {
      const task = takeTask();
      h.platform.admin.cancelTask(task.id);
      return resultCase('r-contract-cancelled', await upload(task, 'r-contract-cancelled'));
    },
    'results/put-409-task-reassigned': async () => {
      const task = takeTask();
      h.platform.admin.reassignTask(task.id, me.inspectorId);
      return resultCase('r-contract-reassigned', await upload(task, 'r-contract-reassigned'));
    },
    'results/put-422-key-reused': async () => {
      // Whatever the first answer was, the key is now bound to that first body.
      const task = tasks[0]!;
      await (await putResult(call, unsigned(task, 'r-contract-reuse', '第一次'), 'op-r-contract-reuse')).arrayBuffer();
      return resultCase('r-contract-reuse', await upload(task, 'r-contract-reuse', '同一幂等键的另一个请求体'));
    },
    'results/put-422-task-mismatch': async () => {
      // Refused before any state is touched, so a task that already has a result will do.
      const task = tasks[1]!;
      const other = tasks.find((t) => t.enterprise.uscc !== task.enterprise.uscc);
      if (!other) throw new Error('no second enterprise');
      const up = unsigned(task, 'r-contract-mismatch');
      const forged = rehash({ ...up, payload: { ...up.payload, enterpriseUscc: other.enterprise.uscc } });
      // Signed by the device itself: the platform's own records refuse it, not the signature.
      return resultCase('r-contract-mismatch', await signUpload(call, forged));
    },
    'results/put-422-validation': async () => {
      const up = await upload(tasks[0]!, 'r-contract-invalid');
      return resultCase('r-contract-invalid', { ...up, contentHash: sha256Hex('另一份内容') });
    },
    'results/put-403-device-key-unregistered': async () => {
      const own = await deviceKeyFor(call, DEVICE);
      // Refused before any state is touched, so a task that already has a result will do.
      const up = await signUpload(call, unsigned(tasks[1]!, 'r-contract-unregistered'), {
        ...own,
        keyId: 'dk-contract-never-registered',
      });
      return resultCase('r-contract-unregistered', up);
    },
    'results/put-422-signature-invalid': async () => {
      // Re-signed with a key the platform never saw, under this device's registered keyId.
      const own = await deviceKeyFor(call, DEVICE);
      const suite = suiteFor('sha256+ed25519');
      const made = await suite.generate();
      const intruder = { ...own, key: await suite.importSigningKey(made.pkcs8, made.publicKey) };
      const up = await signUpload(call, unsigned(tasks[1]!, 'r-contract-bad-signature'), intruder);
      return resultCase('r-contract-bad-signature', up);
    },
    'results/put-413': async () => {
      const up = await upload(tasks[0]!, 'r-contract-413');
      // Six MiB of findings: far over any sane result, and over the platform's body limit.
      return resultCase('r-contract-413', {
        ...up,
        payload: { ...up.payload, findings: '现'.repeat(2 * 1024 * 1024) },
      });
    },
    'results/put-429': async () => {
      const up = await upload(tasks[0]!, 'r-contract-429');
      fault({ kind: 'status', method: 'PUT', path: '^/v1/results/', status: 429, retryAfter: 30 });
      return resultCase('r-contract-429', up);
    },
    'results/put-500': async () => {
      const up = await upload(tasks[0]!, 'r-contract-500');
      fault({ kind: 'status', method: 'PUT', path: '^/v1/results/', status: 500 });
      return resultCase('r-contract-500', up);
    },
    'results/put-503': async () => {
      const up = await upload(tasks[0]!, 'r-contract-503');
      fault({ kind: 'status', method: 'PUT', path: '^/v1/results/', status: 503, retryAfter: 120 });
      return resultCase('r-contract-503', up);
    },
    // One key per inspector and device: each case signs in on a device of its own.
    'devices/keys-post-201': async () => ({
      accessToken: (await login(h.platform.url, me.certNo, me.password, 'dev-contract-keys-new')).accessToken,
      publicKey: await freshPublicKey(),
    }),
    'devices/keys-post-200-replay': async () => {
      const s = await login(h.platform.url, me.certNo, me.password, 'dev-contract-keys-replay');
      const publicKey = await freshPublicKey();
      await expectStatus(registerKey(authed(h.platform.url, s.accessToken), publicKey), 201);
      return { accessToken: s.accessToken, publicKey };
    },
    'devices/keys-post-409-exists': async () => {
      const s = await login(h.platform.url, me.certNo, me.password, 'dev-contract-keys-taken');
      await expectStatus(registerKey(authed(h.platform.url, s.accessToken), await freshPublicKey()), 201);
      return { accessToken: s.accessToken, publicKey: await freshPublicKey() };
    },
    'devices/keys-post-403-device-revoked': async () => {
      const lost = await login(h.platform.url, me.certNo, me.password, 'dev-contract-keys-lost');
      h.platform.admin.revokeDevice('dev-contract-keys-lost');
      return { accessToken: lost.accessToken, publicKey: await freshPublicKey() };
    },
    'snapshots/manifest-200': () => Promise.resolve(base()),
    'snapshots/manifest-401': () => Promise.resolve(base()),
    'snapshots/file-206': snapshotCase,
    'snapshots/file-current-206': snapshotCase,
    'snapshots/file-200-if-range-stale': snapshotCase,
    'snapshots/file-416': snapshotCase,
    'snapshots/file-404': () => Promise.resolve({ ...base(), goneSha: '0'.repeat(64) }),
    'tasks/feed-200': () => Promise.resolve(base()),
    'tasks/feed-400-cursor': () => Promise.resolve(base()),
    'tasks/feed-401-expired': () => Promise.resolve(base()),
    'uploads/create-201': () => {
      const bytes = Buffer.from('现场照片-contract-create');
      return Promise.resolve({
        ...base(),
        uploadLength: bytes.length,
        uploadMetadata: tusMeta({
          attachmentId: 'att-contract-c1',
          resultId: 'r-contract-att',
          sha256: sha256Hex(bytes),
          mime: 'image/jpeg',
        }),
      });
    },
    'uploads/head-200': async () => {
      const bytes = Buffer.from('现场照片-contract-head');
      const meta = {
        attachmentId: 'att-contract-h1',
        resultId: 'r-contract-att',
        sha256: sha256Hex(bytes),
        mime: 'image/jpeg',
      };
      const { location } = await tusUpload(h.platform.url, session.accessToken, meta, bytes);
      return { ...base(), uploadPath: new URL(location).pathname };
    },
    'uploads/patch-204': () => createdUpload('att-contract-p1', Buffer.from('现场照片-contract-patch')),
    'uploads/patch-460-checksum': () =>
      createdUpload('att-contract-bad', Buffer.from('现场照片-contract-bad'), sha256Hex('拍摄时的另一份内容')),
  };
}
