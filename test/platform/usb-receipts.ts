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
  bundle_id: string;
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

const COLUMNS = 'bundle_id, inspector_id, device_id, reply_key, log_seen_size, result_ids_json, doc_report_json';

/** The receipts of one imported results bundle, encrypted to that bundle's reply key. */
export async function writeReceiptsBundle(p: Platform, bundleId: string): Promise<ReceiptsBundleResult> {
  ensureUsbTables(p.db);
  const row = p.db.prepare(`SELECT ${COLUMNS} FROM usb_imports WHERE bundle_id = ?`).get(bundleId) as
    ImportRow | undefined;
  if (!row) return { ok: false, error: { kind: 'unknown-bundle', message: `平台没有导入过数据包 ${bundleId}` } };
  return receiptsFor(p, row, JSON.parse(row.result_ids_json) as string[]);
}

/**
 * The receipts of every result an inspector's laptop brought in by stick, answered to the latest
 * bundle from it (its reply key and device): one file catches up a laptop that missed earlier ones.
 */
export async function writeInspectorReceipts(p: Platform, inspectorId: string): Promise<ReceiptsBundleResult> {
  ensureUsbTables(p.db);
  const latest = p.db
    .prepare(`SELECT ${COLUMNS} FROM usb_imports WHERE inspector_id = ? ORDER BY imported_at DESC, rowid DESC LIMIT 1`)
    .get(inspectorId) as ImportRow | undefined;
  if (!latest)
    return { ok: false, error: { kind: 'unknown-bundle', message: `平台没有导入过检查人员 ${inspectorId} 的数据包` } };
  const rows = p.db
    .prepare('SELECT result_ids_json FROM usb_imports WHERE inspector_id = ? AND device_id = ?')
    .all(inspectorId, latest.device_id) as { result_ids_json: string }[];
  const ids = [...new Set(rows.flatMap((r) => JSON.parse(r.result_ids_json) as string[]))];
  return receiptsFor(p, latest, ids);
}

async function receiptsFor(p: Platform, row: ImportRow, resultIds: readonly string[]): Promise<ReceiptsBundleResult> {
  publishDue(p);
  const receipts: Receipt[] = [];
  for (const id of resultIds) {
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
    forBundleId: row.bundle_id,
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
