/**
 * The transparency log routes and signed receipts: every accepted result is logged, its receipt
 * verifies against the pinned key with the app's verifier, proofs between checkpoints verify, and
 * a log the platform rewrites no longer proves consistent with what it signed before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConsistencyProofResponseSchema,
  ErrorBodySchema,
  InclusionProofResponseSchema,
  LogCheckpointResponseSchema,
  ReceiptSchema,
} from '../../../shared/protocol/index.js';
import type { Receipt, ResultUpload, Task } from '../../../shared/protocol/index.js';
import { DEMO_PLATFORM_LOG_KEY } from '../../../shared/transparency/demo-log-key.js';
import { verifyConsistency } from '../../../shared/transparency/merkle-verify.js';
import { verifyReceipt } from '../../../shared/transparency/receipt-verify.js';
import { openCheckpoint, parseVerifierKey } from '../../../shared/transparency/signed-note.js';
import type { Checkpoint, Ed25519Verify, VerifierKey } from '../../../shared/transparency/signed-note.js';
import { logSigner } from '../log-key.js';
import type { Harness } from '../testkit.js';
import { allTasks, authed, buildUpload, login, putResult, startTemp, signUpload } from '../testkit.js';

const ed25519: Ed25519Verify = async (pub, msg, sig) =>
  crypto.subtle.verify(
    'Ed25519',
    await crypto.subtle.importKey('raw', Uint8Array.from(pub), 'Ed25519', false, ['verify']),
    Uint8Array.from(sig),
    Uint8Array.from(msg),
  );
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

let h: Harness;
let call: ReturnType<typeof authed>;
let tasks: Task[];
let key: VerifierKey;
const sent: { up: ResultUpload; receipt: Receipt }[] = [];

function verifierKey(text: string): VerifierKey {
  const k = parseVerifierKey(text);
  if (!k.ok) throw new Error(k.error.message);
  return k.value;
}
async function checkpoint(note: string): Promise<Checkpoint> {
  const cp = await openCheckpoint(note, key, ed25519);
  if (!cp.ok) throw new Error(cp.error.message);
  return cp.value;
}
const sentOf = (up: ResultUpload) => ({
  resultId: up.payload.resultId,
  contentHash: up.contentHash,
  auditCheckpoint: up.auditCheckpoint,
});

beforeAll(async () => {
  h = await startTemp();
  call = authed(h.platform.url, (await login(h.platform.url, h.platform.logins[0]!.certNo)).accessToken);
  tasks = (await allTasks(call)).filter((t) => t.status === 'assigned');
  key = verifierKey(h.platform.logKey);
  for (const [i, task] of tasks.slice(0, 3).entries()) {
    // Signed here so the test knows the checkpoint exactly as sent (the log entry holds it).
    const up = await signUpload(call, buildUpload(task, `res-log-${i}`));
    const res = await putResult(call, up, `op-log-${i}`);
    expect(res.status).toBe(201);
    sent.push({ up, receipt: ReceiptSchema.parse(await res.json()) });
  }
});
afterAll(() => h.stop());

describe('transparency log', () => {
  it('the demo platform signs with the committed demo key, which the app pins', () => {
    expect(h.platform.logKey).toBe(logSigner().verifierKey);
    expect(h.platform.logKey).toBe(DEMO_PLATFORM_LOG_KEY);
    expect(h.platform.logKey.startsWith('demo.smart-inspect.invalid/log+')).toBe(true);
  });

  it('logs each accepted result in order, and each receipt (PUT answer and GET) verifies', async () => {
    for (const [i, { up, receipt }] of sent.entries()) {
      expect(receipt.log).toMatchObject({ index: i, treeSize: i + 1 });
      expect((await verifyReceipt(receipt, sentOf(up), key, ed25519)).ok).toBe(true);
      const again = ReceiptSchema.parse(await (await call(`/v1/results/${up.payload.resultId}/receipt`)).json());
      expect((await verifyReceipt(again, sentOf(up), key, ed25519)).ok).toBe(true);
    }
  });

  it('a tampered receipt, another device checkpoint or another key is refused', async () => {
    const { up, receipt } = sent[0]!;
    const published = { ...receipt, publication: { ...receipt.publication, state: 'published' as const } };
    expect(await verifyReceipt(published, sentOf(up), key, ed25519)).toMatchObject({
      ok: false,
      error: { kind: 'bad-signature' },
    });
    const otherCheckpoint = { ...sentOf(up), auditCheckpoint: { count: 4, headHash: 'abc' } };
    expect(await verifyReceipt(receipt, otherCheckpoint, key, ed25519)).toMatchObject({
      ok: false,
      error: { kind: 'wrong-entry' },
    });
    const other = verifierKey(logSigner('11'.repeat(32)).verifierKey);
    expect(await verifyReceipt(receipt, sentOf(up), other, ed25519)).toMatchObject({
      ok: false,
      error: { kind: 'bad-signature', message: '平台回执签名无法用本机固定的平台公钥验证，回执不可信' },
    });
  });

  it('serves the latest checkpoint, inclusion proofs and consistency proofs that verify', async () => {
    const latest = await checkpoint(
      LogCheckpointResponseSchema.parse(await (await call('/v1/log/checkpoint')).json()).checkpoint,
    );
    expect(latest.size).toBe(3);
    const incl = InclusionProofResponseSchema.parse(
      await (await call('/v1/log/proof/inclusion?index=1&size=3')).json(),
    );
    expect(incl.leafHash).toBe(sent[1]!.receipt.log!.leafHash);
    const first = await checkpoint(sent[0]!.receipt.log!.checkpoint);
    const cons = ConsistencyProofResponseSchema.parse(
      await (await call('/v1/log/proof/consistency?from=1&to=3')).json(),
    );
    expect(verifyConsistency(1, 3, cons.proof.map(hex), first.rootHash, latest.rootHash).ok).toBe(true);
  });

  it('answers bad proof requests with 400 and a reason', async () => {
    for (const q of [
      'inclusion?index=3&size=3',
      'inclusion?index=0&size=9',
      'inclusion?index=-1&size=2',
      'consistency?from=3&to=2',
      'consistency?from=x&to=2',
    ]) {
      const res = await call(`/v1/log/proof/${q}`);
      expect(res.status, q).toBe(400);
      expect(ErrorBodySchema.parse(await res.json()).error.code).toBe('BAD_REQUEST');
    }
  });

  it('a platform that drops or reorders an entry cannot prove consistency with its earlier checkpoint', async () => {
    const seen = await checkpoint(sent[1]!.receipt.log!.checkpoint);
    h.platform.rewriteLog('reorder', 0);
    const cp = await checkpoint(
      LogCheckpointResponseSchema.parse(await (await call('/v1/log/checkpoint')).json()).checkpoint,
    );
    const cons = ConsistencyProofResponseSchema.parse(
      await (await call(`/v1/log/proof/consistency?from=2&to=${cp.size}`)).json(),
    );
    expect(verifyConsistency(2, cp.size, cons.proof.map(hex), seen.rootHash, cp.rootHash).ok).toBe(false);
    h.platform.rewriteLog('drop', 1);
    const after = await checkpoint(
      LogCheckpointResponseSchema.parse(await (await call('/v1/log/checkpoint')).json()).checkpoint,
    );
    expect(after.size).toBe(2);
    const cons2 = ConsistencyProofResponseSchema.parse(
      await (await call('/v1/log/proof/consistency?from=2&to=2')).json(),
    );
    expect(verifyConsistency(2, 2, cons2.proof.map(hex), seen.rootHash, after.rootHash).ok).toBe(false);
  });
});
