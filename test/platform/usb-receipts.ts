/**
 * The receipts bundle the platform writes back for an imported results bundle: the current signed
 * receipt of every result of that bundle the platform holds, plus the log consistency proofs the app
 * needs to check them offline (from the checkpoint it said it had verified, and between the
 * receipts' own checkpoints in ascending order: the order the app checks them in). Encrypted to the
 * reply key the results bundle named and signed with the platform's key, so only that laptop opens
 * it and it cannot be forged.
 */
import { sealBundleToBytes } from '../../shared/bundle/index.js';
import { INDEX_ENTRY, type ReceiptsIndex } from '../../shared/bundle/usb-contents.js';
import type { Receipt } from '../../shared/protocol/index.js';
import { logTree } from './log-store.js';
import { currentReceipt, publishDue } from './publisher.js';
import { lostAttachments } from './routes/results.js';
import type { Platform } from './state.js';
import { bundleKeysOf, ensureUsbTables } from './usb-import.js';

export type ReceiptsBundleResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly receipts: number }
  | { readonly ok: false; readonly error: { readonly kind: 'unknown-bundle' | 'nothing'; readonly message: string } };

interface ImportRow {
  inspector_id: string;
  device_id: string;
  reply_key: string;
  log_seen_size: number | null;
  result_ids_json: string;
  doc_report_json: string | null;
}

/** The proofs the app asks for while it checks `sizes` in ascending order after having seen `seen`. */
export function neededProofs(seen: number | null, sizes: readonly number[]): [number, number][] {
  const pairs = new Map<string, [number, number]>();
  let latest = seen;
  for (const s of [...new Set(sizes)].sort((a, b) => a - b)) {
    if (latest === null || latest === s) {
      latest = latest ?? s;
      continue;
    }
    const pair: [number, number] = s > latest ? [latest, s] : [s, latest];
    pairs.set(pair.join('-'), pair);
    latest = Math.max(latest, s);
  }
  return [...pairs.values()];
}

export async function writeReceiptsBundle(p: Platform, bundleId: string): Promise<ReceiptsBundleResult> {
  ensureUsbTables(p.db);
  const row = p.db
    .prepare(
      'SELECT inspector_id, device_id, reply_key, log_seen_size, result_ids_json, doc_report_json FROM usb_imports WHERE bundle_id = ?',
    )
    .get(bundleId) as ImportRow | undefined;
  if (!row) return { ok: false, error: { kind: 'unknown-bundle', message: `平台没有导入过数据包 ${bundleId}` } };
  publishDue(p);
  const receipts: Receipt[] = [];
  for (const id of JSON.parse(row.result_ids_json) as string[]) {
    const receipt = currentReceipt(p, id);
    // Only receipts the network would give: none while evidence is missing on the platform.
    if (receipt?.log && lostAttachments(p, id).length === 0) receipts.push(receipt);
  }
  const docReport = row.doc_report_json ? (JSON.parse(row.doc_report_json) as ReceiptsIndex['docReport']) : null;
  if (receipts.length === 0 && !docReport?.accepted)
    return { ok: false, error: { kind: 'nothing', message: '该数据包中没有已被平台接收的结果，无回执可导出' } };
  receipts.sort((a, b) => a.log!.treeSize - b.log!.treeSize);
  const tree = logTree(p.db);
  const index: ReceiptsIndex = {
    v: 1,
    forBundleId: bundleId,
    inspectorId: row.inspector_id,
    deviceId: row.device_id,
    receipts,
    consistency: neededProofs(
      row.log_seen_size,
      receipts.map((r) => r.log!.treeSize),
    ).map(([from, to]) => ({ from, to, proof: tree.consistency(from, to).map((h) => h.toString('hex')) })),
    docReport,
  };
  const keys = await bundleKeysOf(p);
  const bytes = await sealBundleToBytes(
    [{ name: INDEX_ENTRY, data: new TextEncoder().encode(JSON.stringify(index)) }],
    {
      kind: 'receipts',
      senderId: keys.senderId,
      signingKey: keys.signing.privateKey,
      senderPublicKey: keys.signing.publicKey,
      recipientPublicKey: Buffer.from(row.reply_key, 'hex'),
    },
  );
  return { ok: true, bytes, receipts: receipts.length };
}
