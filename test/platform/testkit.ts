/**
 * Test helpers for the simulator: start it on a temp dir, sign in, call it with a Bearer token,
 * build a valid result upload for a task (its checkpoint signed by a registered device key when
 * sent), and upload an attachment over raw tus 1.0.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../shared/domain/canonical.js';
import { addDays, chinaDate } from '../../shared/domain/dates.js';
import { signCheckpoint } from '../../shared/integrity/checkpoint.js';
import { toBase64Url } from '../../shared/integrity/encoding.js';
import { suiteFor, type SigningKey } from '../../shared/integrity/suite.js';
import {
  API,
  LoginResponseSchema,
  RegisterDeviceKeyResponseSchema,
  TaskFeedPageSchema,
} from '../../shared/protocol/index.js';
import type { LoginResponse, ResultPayload, ResultUpload, Task } from '../../shared/protocol/index.js';
import type { PlatformOptions, StartedPlatform } from './server.js';
import { startPlatform } from './server.js';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface Harness {
  platform: StartedPlatform;
  dataDir: string;
  stop(): Promise<void>;
}

export async function startTemp(opts: Partial<PlatformOptions> = {}): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'platform-test-'));
  const platform = await startPlatform({ seed: 3, enterprises: 400, port: 0, ...opts, dataDir });
  return {
    platform,
    dataDir,
    async stop() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function loginRequest(
  url: string,
  certNo: string,
  password = 'demo1234',
  deviceId = 'dev-test-1',
): Promise<Response> {
  return fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ certNo, password, deviceId, deviceName: '测试设备' }),
  });
}

export async function login(
  url: string,
  certNo: string,
  password = 'demo1234',
  deviceId = 'dev-test-1',
): Promise<LoginResponse> {
  const res = await loginRequest(url, certNo, password, deviceId);
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return LoginResponseSchema.parse(await res.json());
}

export type Call = ((path: string, init?: RequestInit) => Promise<Response>) & {
  readonly url: string;
  readonly token: string;
};

export function authed(url: string, token: string): Call {
  const call = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string> | undefined) },
    });
  return Object.assign(call, { url, token });
}

/** A device key registered through `call` (its token's inspector and device). */
export interface TestDeviceKey {
  readonly keyId: string;
  readonly key: SigningKey;
  readonly publicKey: string;
}

/** One key pair per device id, as on a real device: a new sign-in on it keeps signing with the same key. */
const deviceKeys = new Map<string, Promise<{ key: SigningKey; publicKey: string }>>();
const registrations = new Map<string, Promise<string | null>>();

/** The platform's answer to registering `publicKey` through `call`: the keyId, or null when refused. */
function register(call: Call, publicKey: string): Promise<string | null> {
  const id = `${call.url} ${call.token} ${publicKey}`;
  let got = registrations.get(id);
  if (!got) {
    got = (async () => {
      const res = await call(API.deviceKeys, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ alg: 'sha256+ed25519', publicKey }),
      });
      if (res.status !== 201 && res.status !== 200) {
        await res.arrayBuffer();
        registrations.delete(id);
        return null;
      }
      return RegisterDeviceKeyResponseSchema.parse(await res.json()).keyId;
    })();
    registrations.set(id, got);
  }
  return got;
}

/**
 * The key of `deviceId`, registered through `call`. A refused registration (a revoked device)
 * leaves the keyId unregistered, so the request still goes and meets the platform's own refusal.
 */
export async function deviceKeyFor(call: Call, deviceId = 'dev-test-1'): Promise<TestDeviceKey> {
  let pair = deviceKeys.get(deviceId);
  if (!pair) {
    pair = (async () => {
      const suite = suiteFor('sha256+ed25519');
      const made = await suite.generate();
      return { key: await suite.importSigningKey(made.pkcs8, made.publicKey), publicKey: toBase64Url(made.publicKey) };
    })();
    deviceKeys.set(deviceId, pair);
  }
  const { key, publicKey } = await pair;
  return { key, publicKey, keyId: (await register(call, publicKey)) ?? 'dk-unregistered' };
}

/** An upload as built, before the device key signs its audit checkpoint. */
export type UnsignedUpload = Omit<ResultUpload, 'auditCheckpoint'> & {
  auditCheckpoint: { count: number; headHash: string; keyId?: string; signature?: string };
};

/** Signs the upload's checkpoint with `key` (default: the device key registered through `call`). */
export async function signUpload(call: Call, up: UnsignedUpload, key?: TestDeviceKey): Promise<ResultUpload> {
  const k = key ?? (await deviceKeyFor(call, up.deviceId));
  const { count, headHash } = up.auditCheckpoint;
  const signature = await signCheckpoint(suiteFor('sha256+ed25519'), k.key, {
    resultId: up.payload.resultId,
    contentHash: up.contentHash,
    deviceId: up.deviceId,
    deviceSeq: up.deviceSeq,
    count,
    headHash,
  });
  return { ...up, auditCheckpoint: { count, headHash, keyId: k.keyId, signature } };
}

export async function allTasks(call: ReturnType<typeof authed>): Promise<Task[]> {
  const res = await call('/v1/sync/tasks?limit=1000');
  const page = TaskFeedPageSchema.parse(await res.json());
  return page.changes.flatMap((c) => (c.kind === 'upsert' ? [c.task] : []));
}

/** A finalized result of a task with every item passed (no finding), inspected today. */
export function passingPayload(
  task: Task,
  resultId: string,
  opts: { note?: string; replaces?: string | null } = {},
): ResultPayload {
  const today = chinaDate(new Date());
  return {
    resultId,
    taskId: task.id,
    enterpriseUscc: task.enterprise.uscc,
    inspectedOn: today,
    startedAt: new Date(Date.now() - 3600_000).toISOString(),
    finishedAt: new Date().toISOString(),
    inspectorIds: task.team.map((m) => m.inspectorId),
    itemResults: task.items.map((i) => ({ itemCode: i.code, outcome: 'pass', note: opts.note ?? '', finding: null })),
    findings: '',
    resultCodes: ['NO_PROBLEM'],
    checkMethods: ['ON_SITE'],
    followUps: ['NONE'],
    replaces: opts.replaces ?? null,
    publicationDeadline: addDays(today, 28),
  };
}

export function buildUpload(
  task: Task,
  resultId: string,
  opts: { note?: string; attachments?: ResultUpload['attachments']; recordedAt?: string; deviceId?: string } = {},
): UnsignedUpload {
  const payload = passingPayload(task, resultId, { note: opts.note ?? '' });
  return {
    taskId: task.id,
    taskVersion: task.version,
    deviceId: opts.deviceId ?? 'dev-test-1',
    deviceSeq: 1,
    recordedAt: opts.recordedAt ?? new Date().toISOString(),
    contentHash: sha256Hex(canonicalJson(payload)),
    payload,
    attachments: opts.attachments ?? [],
    auditCheckpoint: { count: 3, headHash: 'abc' },
  };
}

/**
 * PUTs the result. A checkpoint that carries no signature yet is signed on the way with the
 * device key registered through `call`, as the app does; a signed one is sent as it is.
 */
export async function putResult(call: Call, up: UnsignedUpload, key: string): Promise<Response> {
  const body = up.auditCheckpoint.signature === undefined ? await signUpload(call, up) : up;
  return call(`/v1/results/${encodeURIComponent(up.payload.resultId)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** tus 1.0 creation + one PATCH; returns the upload URL and the final PATCH status. */
export async function tusUpload(
  url: string,
  token: string,
  meta: { attachmentId: string; resultId: string; sha256: string; mime: string },
  bytes: Buffer,
): Promise<{ location: string; status: number }> {
  const created = await fetch(`${url}/v1/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(bytes.length),
      'upload-metadata': Object.entries(meta)
        .map(([k, v]) => `${k} ${b64(v)}`)
        .join(','),
    },
  });
  if (created.status !== 201) throw new Error(`tus create failed: ${created.status} ${await created.text()}`);
  const location = created.headers.get('location') ?? '';
  const patched = await fetch(location, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    },
    body: new Uint8Array(bytes),
  });
  await patched.arrayBuffer();
  return { location, status: patched.status };
}
