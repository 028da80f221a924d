/**
 * Results out: every unsent result of this inspector, exactly as the push engine would PUT it (the
 * same body and the op's own Idempotency-Key), with its evidence bytes, sealed for the platform's
 * pinned bundle key and signed by the device key. The outbox is not touched: the results stay
 * pending until a receipt arrives, by network or by stick. A one-off reply key travels in the
 * bundle so only this partition can open the receipts that come back.
 */
import {
  exportPrivateKey,
  exportPublicKey,
  generateRecipientKeyPair,
  keyIdOf,
  sealBundle,
  type BundleEntryInput,
  type BundleKey,
} from '../../../../shared/bundle/index.js';
import { INDEX_ENTRY, MAX_BUNDLE_RESULTS, attachmentEntryName } from '../../../../shared/bundle/usb-contents.js';
import type { BundledResult, ResultsIndex } from '../../../../shared/bundle/usb-contents.js';
import { MAX_BUNDLE_FILE_BYTES } from '../../../../shared/ipc/contract.js';
import {
  chunksInOrder,
  mediaChunksRepo,
  transparencyRepo,
  usbBundlesRepo,
  type AttachmentRow,
  type MediaChunksRepo,
  type OutboxRow,
} from '../../db/index.js';
import { reportBody } from '../../sync/doc-numbers.js';
import { buildUpload } from '../../sync/push-engine.js';
import type { Runtime } from '../runtime.js';
import { pushSigning } from '../storage/signed-checkpoints.js';
import type { UsbExportResult, UsbStepOptions } from './usb.api.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g) ?? [], (h) => parseInt(h, 16));

/** Ops the push engine would send: not yet accepted, not set aside, not paused. */
export const exportable = (op: OutboxRow): boolean => op.state === 'waiting' || op.state === 'uploading';

function fileNameAt(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `results-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}.sibundle`;
}

/** Room kept in a bundle for its index, header and the sealing's per-chunk overhead. */
const BUNDLE_HEADROOM = 16 * 1024 * 1024;

/**
 * An attachment as a bundle entry. A recording streams from its sealed chunks, one opened at a time
 * (its row holds no bytes); a photo or signature is small and goes as it is.
 */
async function attachmentEntry(a: AttachmentRow, chunks: MediaChunksRepo): Promise<BundleEntryInput> {
  const name = attachmentEntryName(a.id);
  const media = a.media;
  if (media)
    return {
      name,
      size: a.size,
      read: () => chunksInOrder(chunks, a.id, media.chunkCount),
    };
  const data = new Uint8Array(await a.blob.arrayBuffer());
  if (data.length !== a.size) throw new Error(`attachment ${a.id}: stored ${data.length} bytes, recorded ${a.size}`);
  return { name, data };
}

const gib = (n: number): string => `${(n / 1024 ** 3).toFixed(1)} GB`;

const cancelled: UsbExportResult = { ok: false, error: { kind: 'cancelled', message: '已取消导出，未生成文件' } };

export async function exportResults(rt: Runtime, options: UsbStepOptions = {}): Promise<UsbExportResult> {
  const { outbox, results, attachments, audit, meta } = rt.repos;
  const progress = options.onProgress ?? (() => undefined);
  const config = await rt.deps.adapter.config();
  if (!config.platformBundleKey)
    return {
      ok: false,
      error: { kind: 'no-platform-key', message: '本机未配置平台数据包公钥（platformBundleKey），无法导出' },
    };
  // Results no earlier file carried go first: a result left out of a full file then rides the next
  // export even before the platform's receipts clear the ones already on a stick.
  const carriedBefore = new Set((await usbBundlesRepo(rt.dbs.field).exports()).flatMap((e) => e.resultIds));
  const waiting = (await outbox.list()).filter(exportable);
  const ops = [
    ...waiting.filter((o) => !carriedBefore.has(o.resultId)),
    ...waiting.filter((o) => carriedBefore.has(o.resultId)),
  ].slice(0, MAX_BUNDLE_RESULTS);
  if (ops.length === 0) return { ok: false, error: { kind: 'nothing-to-export', message: '没有待上传的检查结果' } };
  const session = await rt.repos.session.current();
  if (!session) throw new Error('export without a signed-in session');
  const signing = pushSigning(rt);
  const key = await signing.registered(false);
  if (!key.ok)
    return {
      ok: false,
      error: {
        kind: 'key-unregistered',
        message: '本机设备密钥尚未在平台登记，平台无法核验数据包。请先联网登录一次，再导出。',
      },
    };
  // The same gates as the drain: a result whose audit log or signed checkpoint no longer holds stays home.
  const brokenAt = await audit.verify();
  const refused = await signing.refused(ops.map((o) => o.resultId));
  const deviceId = await meta.deviceId();
  const skipped: { resultId: string; reason: string }[] = [];
  const bundled: BundledResult[] = [];
  const files: BundleEntryInput[] = [];
  const chunks = mediaChunksRepo(rt.dbs.field);
  let carried = 0;
  for (const [i, op] of ops.entries()) {
    if (options.signal?.aborted) return cancelled;
    progress({ step: 'collect', done: i, total: ops.length });
    const result = await results.get(op.resultId);
    const signature = await signing.signature(op.resultId);
    const problem = refused.get(op.resultId);
    if (!result || !signature || problem !== undefined) {
      skipped.push({ resultId: op.resultId, reason: problem ?? '没有设备签名' });
      continue;
    }
    if (brokenAt !== null && result.auditCheckpoint.count >= brokenAt) {
      skipped.push({ resultId: op.resultId, reason: `本机审计日志第 ${brokenAt} 条记录被修改或删除` });
      continue;
    }
    const rows = await attachments.forResult(op.resultId);
    const bytes = rows.reduce((n, a) => n + a.size, 0);
    // The file must fit what the platform's import and the save dialog take; a result that would
    // not fit waits for the network (or the next export) instead of failing the whole file.
    if (carried + bytes > MAX_BUNDLE_FILE_BYTES - BUNDLE_HEADROOM) {
      const alone = bytes > MAX_BUNDLE_FILE_BYTES - BUNDLE_HEADROOM;
      skipped.push({
        resultId: op.resultId,
        reason: alone
          ? `证据文件合计 ${gib(bytes)}，超过U盘数据包上限（${gib(MAX_BUNDLE_FILE_BYTES)}），只能联网上传`
          : `本次数据包已满（上限 ${gib(MAX_BUNDLE_FILE_BYTES)}），下次导出时带出`,
      });
      continue;
    }
    carried += bytes;
    const refs = rows.map((a) => ({
      id: a.id,
      sha256: a.sha256,
      size: a.size,
      mime: a.mime || 'application/octet-stream',
      uploadUrl: null,
    }));
    for (const a of rows) files.push(await attachmentEntry(a, chunks));
    bundled.push({
      idempotencyKey: op.opId,
      upload: buildUpload(result, deviceId, { keyId: key.keyId, signature }, refs),
    });
  }
  if (bundled.length === 0)
    return {
      ok: false,
      error: {
        kind: 'nothing-to-export',
        message: `没有可导出的检查结果：${[...new Set(skipped.map((k) => k.reason))].join('；')}`,
      },
    };

  const reply = await generateRecipientKeyPair(true);
  const replyPublicKey = await exportPublicKey(reply.publicKey);
  const latest = await transparencyRepo(rt.dbs.field).latest();
  // Numbers used or voided since the last report travel too; they are marked reported when the
  // receipts file says the platform took the report, as the network report does on its answer.
  const docEntries = await rt.repos.docNumbers.unreported();
  const index: ResultsIndex = {
    v: 1,
    inspectorId: session.inspector.id,
    deviceId,
    replyKey: hex(replyPublicKey),
    logSeenSize: latest?.size ?? null,
    results: bundled,
    docReport: docEntries.length === 0 ? null : reportBody(deviceId, docEntries),
  };
  const device = await rt.deviceKey.ensure();
  const entries: BundleEntryInput[] = [
    { name: INDEX_ENTRY, data: new TextEncoder().encode(JSON.stringify(index)) },
    ...files,
  ];
  const total = entries.reduce((n, e) => n + ('data' in e ? e.data.length : e.size), 0);
  // Each sealed part goes into a Blob at once: Chromium keeps large Blobs out of the JS heap (on
  // disk past its memory limit), so a bundle carrying a recording never sits in memory twice.
  const parts: Blob[] = [];
  let sealed = 0;
  let bundleId = '';
  for await (const part of sealBundle(entries, {
    kind: 'results',
    senderId: deviceId,
    signingKey: device.handle as BundleKey,
    senderPublicKey: device.publicKey,
    recipientPublicKey: fromHex(config.platformBundleKey),
  })) {
    if (options.signal?.aborted) return cancelled;
    if (parts.length === 0) bundleId = headerBundleId(part);
    parts.push(new Blob([part as Uint8Array<ArrayBuffer>]));
    sealed += part.length;
    progress({ step: 'seal', done: Math.min(sealed, total), total });
  }
  const file = new Blob(parts, { type: 'application/octet-stream' });
  const now = rt.now();
  const resultIds = bundled.map((b) => b.upload.payload.resultId);
  await usbBundlesRepo(rt.dbs.field).recordExport(
    {
      id: await keyIdOf(replyPublicKey),
      kind: 'export',
      bundleId,
      at: now.toISOString(),
      resultIds,
      replyPkcs8: await exportPrivateKey(reply.privateKey),
      replyPublicKey,
      docEntries: docEntries.map((e) => ({
        docType: e.docType,
        serial: e.serial,
        state: e.state,
        docHash: e.docHash ?? null,
      })),
    },
    {
      at: now.toISOString(),
      kind: 'results.exported',
      subjectId: bundleId,
      detail: { bundleId, resultIds: resultIds.join(','), count: resultIds.length, bytes: file.size },
    },
  );
  return { ok: true, file, fileName: fileNameAt(now), count: bundled.length, bundleId, skipped };
}

/** The bundle id from the clear header the sealer yields first (magic, version, length, JSON). */
export function headerBundleId(first: Uint8Array): string {
  const length = new DataView(first.buffer, first.byteOffset, first.byteLength).getUint32(9, false);
  const header = JSON.parse(new TextDecoder().decode(first.subarray(13, 13 + length))) as { bundleId?: unknown };
  if (typeof header.bundleId !== 'string') throw new Error('sealed bundle header without a bundle id');
  return header.bundleId;
}
