/**
 * The app's log verifier with a log built in the test: receipts signed by the pinned key verify
 * and their checkpoints are kept; a checkpoint from a rewritten log (a reordered entry) is refused
 * as 平台记录被改写 and raises the alarm; an older checkpoint must be a prefix of the newest one
 * seen; no key, or an unreachable platform, never makes a result safe and never raises the alarm.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt } from '../../shared/protocol/index.js';
import { logSigner } from '../platform/log-key.js';
import { logEntryJson, signReceipt } from '../platform/log-store.js';
import { LogTree, rfc6962Leaf } from '../platform/log-tree.js';
import type { Platform } from '../platform/state.js';
import { transparencyRepo } from '../../renderer/src/db/index.js';
import type { HttpClient, HttpResult } from '../../renderer/src/platform/http.js';
import { disposeDatabases, freshDatabases } from '../../renderer/src/testing/builders.js';
import { createReceiptVerifier, type ReceiptVerifier } from '../../renderer/src/sync/receipt-verify.js';

const signer = logSigner();
const asPlatform = { logKey: signer } as unknown as Platform;
let dbs: ReturnType<typeof freshDatabases>;
let entries: string[];
let reachable: boolean;

const hex = 'ab'.repeat(32);
const upload = (i: number) => ({
  payload: { resultId: `r-${i}` },
  contentHash: hex,
  attachments: [],
  auditCheckpoint: { count: i, headHash: 'h' },
});
const sentOf = (i: number) => ({ resultId: `r-${i}`, contentHash: hex, auditCheckpoint: { count: i, headHash: 'h' } });
const tree = (): LogTree => new LogTree(entries.map((e) => rfc6962Leaf(Buffer.from(e))));

function receiptFor(i: number): Receipt {
  const t = tree();
  const index = entries.indexOf(logEntryJson(upload(i) as never));
  return signReceipt(asPlatform, {
    resultId: `r-${i}`,
    receivedAt: '2026-06-01T00:00:00.000Z',
    contentHash: hex,
    attachmentHashes: [],
    publication: { state: 'accepted', publishedAt: null, deadline: '2026-06-30' },
    clockSkewFlagged: false,
    log: {
      index,
      treeSize: t.size,
      leafHash: t.hash(index, 1).toString('hex'),
      inclusionProof: t.inclusion(index, t.size).map((h) => h.toString('hex')),
      checkpoint: signer.signNote(`${signer.origin}\n${t.size}\n${t.root().toString('base64')}\n`),
    },
  });
}

const http: HttpClient = {
  async request(spec) {
    if (!reachable) return { ok: false, error: { kind: 'network', message: 'offline' } } as HttpResult<never>;
    const t = tree();
    const value =
      spec.path === '/v1/log/checkpoint'
        ? { checkpoint: signer.signNote(`${signer.origin}\n${t.size}\n${t.root().toString('base64')}\n`) }
        : {
            from: Number(spec.query?.['from']),
            to: Number(spec.query?.['to']),
            proof: t
              .consistency(Number(spec.query?.['from']), Number(spec.query?.['to']))
              .map((h) => h.toString('hex')),
          };
    return { ok: true, notModified: false, status: 200, etag: null, serverDate: null, value } as HttpResult<never>;
  },
};

function verifier(key: string | null = signer.verifierKey): ReceiptVerifier {
  return createReceiptVerifier({ http, repo: transparencyRepo(dbs.field), logKey: async () => key });
}
const append = (i: number) => entries.push(logEntryJson(upload(i) as never));

beforeEach(() => {
  dbs = freshDatabases();
  entries = [];
  reachable = true;
});
afterEach(() => disposeDatabases(dbs));

describe('receipt verifier', () => {
  it('verifies receipts, keeps each checkpoint, and proves a newer one extends the last', async () => {
    const v = verifier();
    append(0);
    expect(await v.check(receiptFor(0), sentOf(0))).toEqual({ ok: true, index: 0, treeSize: 1 });
    append(1);
    append(2);
    expect(await v.check(receiptFor(2), sentOf(2))).toEqual({ ok: true, index: 2, treeSize: 3 });
    expect((await dbs.field.logCheckpoints.toArray()).map((c) => c.size)).toEqual([1, 3]);
    expect((await v.monitor()).ok).toBe(true);
    expect(await v.alarm()).toBeNull();
  });

  it('an older checkpoint is accepted only as a prefix of the newest seen', async () => {
    const v = verifier();
    append(0);
    const old = receiptFor(0);
    append(1);
    append(2);
    expect((await v.check(receiptFor(2), sentOf(2))).ok).toBe(true);
    expect(await v.check(old, sentOf(0))).toEqual({ ok: true, index: 0, treeSize: 1 });
  });

  it('a reordered log is 平台记录被改写, raises the alarm and stops every later check', async () => {
    const v = verifier();
    append(0);
    append(1);
    expect((await v.check(receiptFor(1), sentOf(1))).ok).toBe(true);
    [entries[0], entries[1]] = [entries[1]!, entries[0]!];
    append(2);
    const verdict = await v.check(receiptFor(2), sentOf(2));
    expect(verdict).toMatchObject({ ok: false, kind: 'rewritten' });
    expect(!verdict.ok && verdict.reason).toMatch(/^平台记录被改写：.*已验证 2 条，平台现称 3 条/);
    expect(await v.alarm()).toMatchObject({ seenSize: 2, newSize: 3 });
    expect(await v.check(receiptFor(2), sentOf(2))).toMatchObject({ ok: false, kind: 'rewritten' });
  });

  it('without a pinned key nothing verifies, with a clear reason', async () => {
    append(0);
    expect(await verifier(null).check(receiptFor(0), sentOf(0))).toMatchObject({
      ok: false,
      kind: 'unverifiable',
      reason: '平台日志校验失败：本机未配置平台日志公钥（platformLogKey），无法确认平台回执',
    });
  });

  it('an unreachable proof is retried later: not safe, no alarm, nothing recorded', async () => {
    const v = verifier();
    append(0);
    expect((await v.check(receiptFor(0), sentOf(0))).ok).toBe(true);
    append(1);
    reachable = false;
    expect(await v.check(receiptFor(1), sentOf(1))).toMatchObject({ ok: false, kind: 'unreachable' });
    expect(await v.alarm()).toBeNull();
    expect(await dbs.field.logCheckpoints.count()).toBe(1);
  });
});
