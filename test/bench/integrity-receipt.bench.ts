/**
 * What checking a platform receipt costs the app: the receipt's Ed25519 signature, the signed
 * checkpoint and the inclusion proof (verifyReceipt, WebCrypto Ed25519), for receipts of a log of
 * 100 000 entries (17-hash proofs). Measured in Node, whose WebCrypto and the app's noble SHA-256 are
 * the same code the renderer runs, but not in Chromium: treat it as the order of magnitude.
 *
 * `npm run bench -- integrity-receipt` merges `integrity.receiptVerifyMs` (median per receipt) into latest.json.
 */
import { performance } from 'node:perf_hooks';
import type { Receipt } from '../../shared/protocol/index.js';
import { verifyReceipt } from '../../shared/transparency/receipt-verify.js';
import { parseVerifierKey } from '../../shared/transparency/signed-note.js';
import type { Ed25519Verify } from '../../shared/transparency/signed-note.js';
import { logSigner } from '../platform/log-key.js';
import { logEntryJson, signReceipt } from '../platform/log-store.js';
import { LogTree, rfc6962Leaf } from '../platform/log-tree.js';
import type { Platform } from '../platform/state.js';
import type { BenchContext } from './context.js';

const LEAVES = 100_000;
const RECEIPTS = 300;

const ed25519: Ed25519Verify = async (pub, msg, sig) =>
  crypto.subtle.verify(
    'Ed25519',
    await crypto.subtle.importKey('raw', Uint8Array.from(pub), 'Ed25519', false, ['verify']),
    Uint8Array.from(sig),
    Uint8Array.from(msg),
  );

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const signer = logSigner();
  const platform = { logKey: signer } as unknown as Platform;
  const key = parseVerifierKey(signer.verifierKey);
  if (!key.ok) throw new Error(key.error.message);
  const hash = 'cd'.repeat(32);
  const entry = (i: number) => ({
    payload: { resultId: `r-${i}` },
    contentHash: hash,
    attachments: [{ id: `a-${i}`, sha256: hash }],
    auditCheckpoint: { count: i, headHash: hash },
  });
  const tree = new LogTree(
    Array.from({ length: LEAVES }, (_, i) => rfc6962Leaf(Buffer.from(logEntryJson(entry(i) as never)))),
  );
  const checkpoint = signer.signNote(`${signer.origin}\n${LEAVES}\n${tree.root().toString('base64')}\n`);
  const cases = Array.from({ length: RECEIPTS }, (_, n) => {
    const i = Math.floor(((n + 0.5) / RECEIPTS) * LEAVES);
    const receipt: Receipt = signReceipt(platform, {
      resultId: `r-${i}`,
      receivedAt: '2026-06-01T00:00:00.000Z',
      contentHash: hash,
      attachmentHashes: [{ id: `a-${i}`, sha256: hash }],
      publication: { state: 'accepted', publishedAt: null, deadline: '2026-06-30' },
      clockSkewFlagged: false,
      log: {
        index: i,
        treeSize: LEAVES,
        leafHash: tree.hash(i, 1).toString('hex'),
        inclusionProof: tree.inclusion(i, LEAVES).map((h) => h.toString('hex')),
        checkpoint,
      },
    });
    return { receipt, sent: { resultId: `r-${i}`, contentHash: hash, auditCheckpoint: entry(i).auditCheckpoint } };
  });
  // Warm-up, then one timing per receipt.
  for (const c of cases.slice(0, 20)) await verifyReceipt(c.receipt, c.sent, key.value, ed25519);
  const times: number[] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const r = await verifyReceipt(c.receipt, c.sent, key.value, ed25519);
    times.push(performance.now() - t0);
    if (!r.ok) throw new Error(`receipt ${c.receipt.resultId} did not verify: ${r.error.message}`);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  ctx.log(
    `${RECEIPTS} receipts of a ${LEAVES}-entry log: median ${median.toFixed(3)} ms, p90 ${times[Math.floor(times.length * 0.9)]!.toFixed(3)} ms`,
  );
  return { 'integrity.receiptVerifyMs': Math.round(median * 1000) / 1000 };
}
