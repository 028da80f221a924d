/**
 * Receipts in: the platform's receipts bundle, opened with the reply key of the export it answers and
 * trusted only if signed by the pinned platform key. Each receipt then goes through the very check a
 * network receipt gets (receipt-verify.ts: signature, leaf recomputed from what this device sent,
 * inclusion, consistency with every checkpoint seen), the consistency proofs coming from the bundle
 * instead of the network. Only when every receipt verifies are they stored, with their audit
 * entries, checkpoints and the bundle id, in one transaction; any refusal changes nothing.
 */
import { importRecipientPrivateKey, openBundle } from '../../../../shared/bundle/index.js';
import { INDEX_ENTRY, ReceiptsIndexSchema, type ReceiptsIndex } from '../../../../shared/bundle/usb-contents.js';
import { API } from '../../../../shared/protocol/index.js';
import type { Receipt } from '../../../../shared/protocol/index.js';
import { parseVerifierKey } from '../../../../shared/transparency/signed-note.js';
import {
  transparencyRepo,
  usbBundlesRepo,
  ReceiptsAlreadyImportedError,
  type LogCheckpointRow,
  type TransparencyRepo,
  type UsbExportRow,
} from '../../db/index.js';
import type { HttpClient } from '../../platform/http.js';
import { buildUpload } from '../../sync/push-engine.js';
import { createReceiptVerifier } from '../../sync/receipt-verify.js';
import type { Runtime } from '../runtime.js';
import type { UsbReceiptsResult, UsbStepOptions } from './usb.api.js';

const refused = (message: string): UsbReceiptsResult => ({ ok: false, error: { kind: 'refused', message } });

/** Kind and recipient key id from a bundle's clear header (unauthenticated: only to route and explain). */
function peekHeader(bytes: Uint8Array): { kind: unknown; recipientKeyId: string | null } | null {
  try {
    const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(9, false);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(13, 13 + length))) as {
      kind?: unknown;
      recipientKeyId?: unknown;
    };
    return {
      kind: header.kind,
      recipientKeyId: typeof header.recipientKeyId === 'string' ? header.recipientKeyId : null,
    };
  } catch {
    return null;
  }
}

/** Answers the verifier's consistency-proof requests from the bundle; anything else is "not reachable". */
function proofsFrom(index: ReceiptsIndex): HttpClient {
  return {
    async request(spec) {
      const from = Number(spec.query?.['from']);
      const to = Number(spec.query?.['to']);
      const proof =
        spec.path === API.logConsistency ? index.consistency.find((c) => c.from === from && c.to === to) : undefined;
      if (!proof) return { ok: false, error: { kind: 'network', message: '数据包中没有这段一致性证明' } };
      return {
        ok: true,
        notModified: false,
        value: spec.schema.parse(proof),
        status: 200,
        etag: null,
        serverDate: null,
      };
    },
  };
}

/** Reads through to the stored checkpoints; new ones stay in memory until the whole bundle verified. */
function overlay(repo: TransparencyRepo): TransparencyRepo & { added(): LogCheckpointRow[] } {
  const mem = new Map<number, LogCheckpointRow>();
  return {
    async latest() {
      const stored = await repo.latest();
      const top = [...mem.values()].sort((a, b) => b.size - a.size)[0] ?? null;
      return !stored || (top && top.size > stored.size) ? top : stored;
    },
    async get(size) {
      return mem.get(size) ?? (await repo.get(size));
    },
    async put(row) {
      mem.set(row.size, row);
    },
    alarm: () => repo.alarm(),
    // A rewrite found in a file is reported as its refusal; the alarm is the network check's to raise.
    async raise() {},
    // Acknowledging an alarm is the inspector's act on the outbox screen, never part of an import.
    acknowledge: () => Promise.reject(new Error('a receipts file cannot acknowledge a log alarm')),
    reviews: () => repo.reviews(),
    added: () => [...mem.values()],
  };
}

export async function importReceipts(
  rt: Runtime,
  bytes: Uint8Array,
  options: UsbStepOptions = {},
): Promise<UsbReceiptsResult> {
  const usb = usbBundlesRepo(rt.dbs.field);
  const exports = await usb.exports();
  if (exports.length === 0)
    return { ok: false, error: { kind: 'no-export', message: '本机没有导出过待上传结果，无法导入回执' } };
  const peeked = peekHeader(bytes);
  // The inspector picked the file meant for the platform: say so instead of "not for this device".
  if (peeked?.kind === 'results')
    return refused('这是导出给平台的检查结果文件，请交平台导入；本机只能导入平台回执文件');
  const keyId = peeked?.recipientKeyId ?? null;
  // Unknown recipient: open with any export's key so the opener gives its own reason (not for this device, cut short ...).
  const exported: UsbExportRow = (keyId ? await usb.exportByKeyId(keyId) : null) ?? exports[exports.length - 1]!;
  const pinned = parseVerifierKey((await rt.deps.adapter.config()).platformLogKey ?? '');
  if (!pinned.ok) return refused('本机未配置平台日志公钥（platformLogKey），无法核验回执');
  const opened = await openBundle(bytes, {
    recipient: { privateKey: await importRecipientPrivateKey(exported.replyPkcs8), publicKey: exported.replyPublicKey },
    trustedSenders: [{ senderId: pinned.value.name, publicKey: pinned.value.publicKey }],
    seenBundleIds: { has: (id) => usb.receiptsImported(id) },
    expectKind: 'receipts',
  });
  if (!opened.ok) return refused(opened.error.message);
  const entry = opened.entries.find((e) => e.name === INDEX_ENTRY);
  let parsed: ReturnType<typeof ReceiptsIndexSchema.safeParse> | null = null;
  try {
    parsed = entry ? ReceiptsIndexSchema.safeParse(JSON.parse(new TextDecoder().decode(entry.bytes))) : null;
  } catch {
    parsed = null;
  }
  if (!parsed?.success) return refused('回执数据包内容格式不正确');
  const index = parsed.data;
  const deviceId = await rt.repos.meta.deviceId();
  if (index.deviceId !== deviceId || index.forBundleId !== exported.bundleId)
    return refused('回执不是本机导出的这批结果的回执');
  // A file for the whole inspector answers the latest export but may carry receipts of earlier ones.
  const exportedIds = new Set(exports.flatMap((e) => e.resultIds));
  if (index.receipts.some((r) => !exportedIds.has(r.resultId))) return refused('回执中有本机未导出的结果');

  const signing = await rt.deviceKey.registered(false);
  if (!signing.ok) return refused('本机设备密钥尚未登记，无法核对回执');
  const repo = overlay(transparencyRepo(rt.dbs.field));
  const verifier = createReceiptVerifier({
    http: proofsFrom(index),
    repo,
    logKey: async () => (await rt.deps.adapter.config()).platformLogKey,
    now: () => rt.now().getTime(),
  });
  const ops = await rt.repos.outbox.list();
  const items: { opId: string; receipt: Receipt }[] = [];
  const sorted = [...index.receipts].sort((a, b) => (a.log?.treeSize ?? 0) - (b.log?.treeSize ?? 0));
  for (const [i, receipt] of sorted.entries()) {
    if (options.signal?.aborted)
      return { ok: false, error: { kind: 'cancelled', message: '已取消导入，未作任何更改' } };
    options.onProgress?.({ step: 'verify', done: i, total: sorted.length });
    const op = ops.find((o) => o.resultId === receipt.resultId);
    const result = await rt.repos.results.get(receipt.resultId);
    const signature = await rt.repos.checkpoints.get(receipt.resultId);
    if (!op || !result || !signature) return refused(`本机找不到结果 ${receipt.resultId}`);
    const sent = buildUpload(result, deviceId, { keyId: signing.keyId, signature: signature.signature });
    const verdict = await verifier.check(receipt, {
      resultId: result.resultId,
      contentHash: result.contentHash,
      auditCheckpoint: sent.auditCheckpoint,
    });
    if (!verdict.ok) return { ok: false, error: { kind: 'unverified', message: verdict.reason } };
    if (op.state !== 'published') items.push({ opId: op.opId, receipt });
  }
  if (options.signal?.aborted) return { ok: false, error: { kind: 'cancelled', message: '已取消导入，未作任何更改' } };
  options.onProgress?.({ step: 'apply', done: 0, total: items.length });
  try {
    await usb.applyReceipts(
      {
        id: opened.header.bundleId,
        kind: 'receipts',
        forBundleId: index.forBundleId,
        at: rt.now().toISOString(),
        resultIds: items.map((i) => i.receipt.resultId),
      },
      items,
      repo.added(),
      index.docReport?.accepted ? exported.docEntries : [],
    );
  } catch (e) {
    if (e instanceof ReceiptsAlreadyImportedError) return refused('该文件已导入过（重复）');
    throw e;
  }
  rt.emit('outbox');
  rt.emit('tasks');
  return {
    ok: true,
    marked: items.length,
    published: items.filter((i) => i.receipt.publication.state === 'published').length,
  };
}
