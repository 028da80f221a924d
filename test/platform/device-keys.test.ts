/**
 * Device keys and signed audit checkpoints at the platform: a key is bound to the token's inspector
 * and device (never the body's), and a result is accepted only when its checkpoint verifies under a
 * key that same inspector registered from that same device. The two refusals concern that result
 * only and are not stored under its Idempotency-Key, so the honest resend goes through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url } from '../../shared/integrity/encoding.js';
import { suiteFor } from '../../shared/integrity/suite.js';
import { API, ErrorBodySchema, RegisterDeviceKeyResponseSchema } from '../../shared/protocol/index.js';
import type { LoginResponse, Task } from '../../shared/protocol/index.js';
import type { DemoLogin } from './server.js';
import type { Call, Harness } from './testkit.js';
import {
  allTasks,
  authed,
  buildUpload,
  deviceKeyFor,
  login,
  putResult,
  sha256Hex,
  signUpload,
  startTemp,
} from './testkit.js';
import { canonicalJson } from '../../shared/domain/canonical.js';

let h: Harness;
let alice: DemoLogin;
let aliceHere: LoginResponse;
let call: Call;
let mine: Task[];

beforeAll(async () => {
  h = await startTemp();
  alice = h.platform.logins[0]!;
  aliceHere = await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-a');
  call = authed(h.platform.url, aliceHere.accessToken);
  mine = (await allTasks(call)).filter((t) => t.status === 'assigned');
});
afterAll(() => h.stop());

const post = (c: Call, body: unknown): Promise<Response> =>
  c(API.deviceKeys, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function refusal(res: Response): Promise<{ status: number; code: string; message: string }> {
  const err = ErrorBodySchema.parse(await res.json()).error;
  return { status: res.status, code: err.code, message: err.message };
}

async function freshPublicKey(): Promise<string> {
  return toBase64Url((await suiteFor('sha256+ed25519').generate()).publicKey);
}

describe('POST /v1/devices/keys', () => {
  it('binds the key to the token’s device; the same key again is a retry; another key for it is refused', async () => {
    const here = authed(
      h.platform.url,
      (await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-reg')).accessToken,
    );
    const publicKey = await freshPublicKey();
    const first = await post(here, { alg: 'sha256+ed25519', publicKey });
    expect(first.status).toBe(201);
    const made = RegisterDeviceKeyResponseSchema.parse(await first.json());
    expect(made).toMatchObject({ deviceId: 'dev-keys-reg', alg: 'sha256+ed25519', created: true });
    const again = RegisterDeviceKeyResponseSchema.parse(
      await (await post(here, { alg: 'sha256+ed25519', publicKey })).json(),
    );
    expect(again).toMatchObject({ keyId: made.keyId, created: false });
    // Whoever holds the session cannot swap in a key of their own.
    const swapped = await refusal(await post(here, { alg: 'sha256+ed25519', publicKey: await freshPublicKey() }));
    expect(swapped).toMatchObject({ status: 409, code: 'DEVICE_KEY_EXISTS' });
    // The same inspector on another device, and a colleague on this one, register their own.
    const there = authed(
      h.platform.url,
      (await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-reg-2')).accessToken,
    );
    expect((await post(there, { alg: 'sha256+ed25519', publicKey })).status).toBe(201);
  });

  it('refuses a device id in the body, an unknown algorithm and a malformed key with 422, registering nothing', async () => {
    const call = authed(
      h.platform.url,
      (await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-bad')).accessToken,
    );
    const publicKey = await freshPublicKey();
    for (const body of [
      { alg: 'sha256+ed25519', publicKey, deviceId: 'dev-someone-else' },
      { alg: 'sm3+sm2', publicKey },
      { alg: 'sha256+ed25519', publicKey: publicKey.slice(1) },
    ])
      expect(await refusal(await post(call, body))).toMatchObject({ status: 422, code: 'VALIDATION' });
    // Nothing was stored: the first real registration of that key creates it.
    expect((await post(call, { alg: 'sha256+ed25519', publicKey })).status).toBe(201);
  });

  it('refuses a revoked device with 403 DEVICE_REVOKED', async () => {
    const lost = await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-lost');
    h.platform.admin.revokeDevice('dev-keys-lost');
    const res = await post(authed(h.platform.url, lost.accessToken), {
      alg: 'sha256+ed25519',
      publicKey: await freshPublicKey(),
    });
    expect(await refusal(res)).toMatchObject({ status: 403, code: 'DEVICE_REVOKED' });
  });
});

describe('signed audit checkpoints on PUT /v1/results/{id}', () => {
  it('403 DEVICE_KEY_UNREGISTERED for a keyId nobody registered, one of another device, or a colleague’s', async () => {
    const task = mine[0]!;
    const up = buildUpload(task, 'res-key-1', { deviceId: 'dev-keys-a' });
    const own = await deviceKeyFor(call, 'dev-keys-a');
    // The same inspector's key from another laptop, and a colleague's key.
    const elsewhere = await deviceKeyFor(
      authed(h.platform.url, (await login(h.platform.url, alice.certNo, alice.password, 'dev-keys-b')).accessToken),
      'dev-keys-b',
    );
    const bob = h.platform.logins.find((l) => l.inspectorId !== alice.inspectorId)!;
    const bobs = await deviceKeyFor(
      authed(h.platform.url, (await login(h.platform.url, bob.certNo, bob.password, 'dev-keys-bob')).accessToken),
      'dev-keys-bob',
    );
    for (const keyId of ['dk-never-registered', elsewhere.keyId, bobs.keyId]) {
      const signed = await signUpload(call, up, { ...own, keyId });
      const r = await refusal(await putResult(call, signed, 'op-key-1'));
      expect(r).toMatchObject({ status: 403, code: 'DEVICE_KEY_UNREGISTERED' });
      expect(r.message).toMatch(/未在平台登记/);
    }
    expect(h.platform.admin.counts('res-key-1').results).toBe(0);
    // Not stored under the key: once signed under its registered key, the same op goes through.
    expect((await putResult(call, up, 'op-key-1')).status).toBe(201);
  });

  it('422 SIGNATURE_INVALID for a checkpoint re-signed with another key, or content changed after signing', async () => {
    const task = mine[1]!;
    const up = buildUpload(task, 'res-sig-1', { deviceId: 'dev-keys-a' });
    const own = await deviceKeyFor(call, 'dev-keys-a');
    const suite = suiteFor('sha256+ed25519');
    const made = await suite.generate();
    const intruder = { ...own, key: await suite.importSigningKey(made.pkcs8, made.publicKey) };
    const reSigned = await signUpload(call, up, intruder);
    expect(await refusal(await putResult(call, reSigned, 'op-sig-1'))).toMatchObject({
      status: 422,
      code: 'SIGNATURE_INVALID',
    });
    // Signed honestly, then the payload edited and its content hash recomputed: the hash is fine,
    // the signature no longer covers it.
    const signed = await signUpload(call, up, own);
    const payload = { ...signed.payload, findings: '事后改写的检查情况' };
    const edited = { ...signed, payload, contentHash: sha256Hex(canonicalJson(payload)) };
    const r = await refusal(await putResult(call, edited, 'op-sig-1'));
    expect(r).toMatchObject({ status: 422, code: 'SIGNATURE_INVALID' });
    expect(r.message).toMatch(/设备签名无法验证/);
    // A moved chain head is refused the same way.
    const moved = {
      ...signed,
      auditCheckpoint: { ...signed.auditCheckpoint, count: signed.auditCheckpoint.count + 1 },
    };
    expect((await refusal(await putResult(call, moved, 'op-sig-1'))).code).toBe('SIGNATURE_INVALID');
    expect(h.platform.admin.counts('res-sig-1').results).toBe(0);
    expect((await putResult(call, signed, 'op-sig-1')).status).toBe(201);
  });

  it('refuses an upload whose checkpoint carries no signature (schema) with 422', async () => {
    const up = buildUpload(mine[2]!, 'res-unsigned-1', { deviceId: 'dev-keys-a' });
    const res = await call(`/v1/results/res-unsigned-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'op-unsigned-1' },
      body: JSON.stringify(up),
    });
    expect(await refusal(res)).toMatchObject({ status: 422, code: 'VALIDATION' });
    expect(h.platform.admin.counts('res-unsigned-1').results).toBe(0);
  });
});
