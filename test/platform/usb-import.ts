/**
 * Importing a results bundle from a USB stick with exactly the semantics of network uploads: the
 * bundle is opened and checked whole first (decryption, device signature against a registered
 * device key, manifest hashes, replay), then every result goes through the same key claim, the same
 * acceptance checks, the same log append and the same publication queue as `PUT /v1/results/{id}`,
 * under the outbox op's own Idempotency-Key, with the inspector and device taken from the key that
 * signed the bundle. Everything is written in ONE transaction, the bundle id included, so a refused
 * or failed import leaves no row behind and a second import of the same bundle is a replay.
 */
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromBase64Url } from '../../shared/integrity/encoding.js';
import { keyIdOf, openBundle, type BundleHeader, type OpenedEntry } from '../../shared/bundle/index.js';
import {
  INDEX_ENTRY,
  ResultsIndexSchema,
  attachmentEntryName,
  type ResultsIndex,
} from '../../shared/bundle/usb-contents.js';
import { inspectorById, isDeviceRevoked } from './auth.js';
import { platformBundleKeys, type PlatformBundleKeys } from './bundle-key.js';
import type { Db } from './db.js';
import {
  ImportRefused,
  importOne,
  importReport,
  precheck,
  type DocReportOutcome,
  type ImportOutcome,
  type ImportRefusalKind,
} from './usb-import.steps.js';
import type { Platform } from './state.js';

export type { DocReportOutcome, ImportOutcome, ImportRefusalKind } from './usb-import.steps.js';

export type ImportResult =
  | {
      readonly ok: true;
      readonly bundleId: string;
      readonly inspectorId: string;
      readonly deviceId: string;
      readonly outcomes: readonly ImportOutcome[];
      /** The document-number report the bundle carried, as the report endpoint would have answered it. */
      readonly docReport: DocReportOutcome | null;
    }
  | { readonly ok: false; readonly error: { readonly kind: ImportRefusalKind; readonly message: string } };

const sha256Hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const tables = new WeakSet<object>();
export function ensureUsbTables(db: Db): void {
  if (tables.has(db)) return;
  db.exec(`CREATE TABLE IF NOT EXISTS usb_imports (
    bundle_id TEXT PRIMARY KEY, kind TEXT NOT NULL, inspector_id TEXT NOT NULL, device_id TEXT NOT NULL,
    reply_key TEXT NOT NULL, log_seen_size INTEGER, result_ids_json TEXT NOT NULL, imported_at TEXT NOT NULL,
    doc_report_json TEXT)`);
  tables.add(db);
}

const keyCache = new WeakMap<Platform, Promise<PlatformBundleKeys>>();
/** The platform's bundle keys (derived once per platform instance). */
export function bundleKeysOf(p: Platform): Promise<PlatformBundleKeys> {
  let keys = keyCache.get(p);
  if (!keys) {
    keys = platformBundleKeys(p.logKey.origin, p.bundleKeySeed, p.logKeySeed);
    keyCache.set(p, keys);
  }
  return keys;
}

interface RegisteredKey {
  inspector_id: string;
  device_id: string;
  public_key: string;
}

/** Every registered device key of a device that is not revoked: the only senders a bundle may come from. */
function trustedSenders(p: Platform): { senderId: string; publicKey: Uint8Array; inspectorId: string }[] {
  const rows = p.db
    .prepare("SELECT inspector_id, device_id, public_key FROM device_keys WHERE alg = 'sha256+ed25519'")
    .all() as RegisteredKey[];
  return rows.flatMap((r) => {
    const raw = fromBase64Url(r.public_key);
    return raw && !isDeviceRevoked(p, r.device_id)
      ? [{ senderId: r.device_id, publicKey: raw, inspectorId: r.inspector_id }]
      : [];
  });
}

const refused = (kind: ImportRefusalKind, message: string): ImportResult => ({ ok: false, error: { kind, message } });

/** Reads the index and checks that every attachment the results name is in the bundle with its hash. */
function readIndex(header: BundleHeader, entries: readonly OpenedEntry[], inspectorId: string): ResultsIndex | string {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const indexEntry = byName.get(INDEX_ENTRY);
  if (!indexEntry) return '数据包缺少目录（index.json）';
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(indexEntry.bytes));
  } catch {
    return '数据包目录不是合法的 JSON';
  }
  const index = ResultsIndexSchema.safeParse(parsed);
  if (!index.success) return `数据包目录格式不正确：${index.error.issues[0]?.message ?? ''}`;
  if (index.data.deviceId !== header.senderId || index.data.inspectorId !== inspectorId)
    return '数据包目录中的检查人员或设备与签名设备的登记不符';
  const named = new Set([INDEX_ENTRY]);
  for (const r of index.data.results) {
    for (const a of r.upload.attachments) {
      const entry = byName.get(attachmentEntryName(a.id));
      if (!entry || sha256Hex(entry.bytes) !== a.sha256 || entry.bytes.length !== a.size)
        return `结果 ${r.upload.payload.resultId} 的附件 ${a.id} 不在数据包中或校验值不符`;
      named.add(entry.name);
    }
  }
  const extra = entries.find((e) => !named.has(e.name));
  if (extra) return `数据包中有目录未列出的文件：${extra.name}`;
  return index.data;
}

export interface ImportOptions {
  /** TEST-ONLY: runs inside the import transaction after the results were written, to prove a late failure rolls back. */
  readonly beforeCommit?: () => void;
}

export async function importResultsBundle(
  p: Platform,
  bytes: Uint8Array | AsyncIterable<Uint8Array>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  ensureUsbTables(p.db);
  const keys = await bundleKeysOf(p);
  const senders = trustedSenders(p);
  const opened = await openBundle(bytes, {
    recipient: keys.recipient,
    trustedSenders: senders,
    seenBundleIds: { has: (id) => !!p.db.prepare('SELECT 1 FROM usb_imports WHERE bundle_id = ?').get(id) },
    expectKind: 'results',
  });
  if (!opened.ok) return refused(opened.error.kind, opened.error.message);
  const { header, entries } = opened;
  let sender: (typeof senders)[number] | undefined;
  for (const s of senders)
    if (s.senderId === header.senderId && (await keyIdOf(s.publicKey)) === header.senderKeyId) sender = s;
  const me = sender ? inspectorById(p, sender.inspectorId) : null;
  if (!sender || !me) return refused('untrusted-sender', '签名设备未登记/不受信任');
  const index = readIndex(header, entries, me.id);
  if (typeof index === 'string') return refused('bad-contents', index);
  const deviceId = header.senderId;

  const pre = new Map<string, ImportOutcome>();
  for (const r of index.results) {
    const out = await precheck(p, me, deviceId, r);
    if (out) pre.set(r.upload.payload.resultId, out);
  }

  // Attachment bytes go to files first (a transaction cannot hold them); any not claimed by the
  // committed transaction are removed again, so a refused or failed import leaves no file behind.
  const byName = new Map(entries.map((e) => [e.name, e.bytes]));
  const written: string[] = [];
  const kept = new Set<string>();
  try {
    for (const r of index.results) {
      if (pre.has(r.upload.payload.resultId)) continue;
      for (const a of r.upload.attachments) {
        const uploadId = `usb-${header.bundleId}-${a.id}`;
        writeFileSync(join(p.uploadsDir, uploadId), byName.get(attachmentEntryName(a.id))!);
        written.push(uploadId);
      }
    }
    const outcomes = p.db.transaction((): { out: ImportOutcome[]; docs: DocReportOutcome | null } => {
      const claimed = p.db
        .prepare(
          'INSERT OR IGNORE INTO usb_imports (bundle_id, kind, inspector_id, device_id, reply_key, log_seen_size, result_ids_json, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          header.bundleId,
          header.kind,
          me.id,
          deviceId,
          index.replyKey,
          index.logSeenSize,
          JSON.stringify(index.results.map((r) => r.upload.payload.resultId)),
          p.now().toISOString(),
        ).changes;
      if (claimed !== 1) throw new ImportRefused('replayed', '该文件已导入过（重复）');
      const out = index.results.map((r) => importOne(p, me, header.bundleId, r, pre, kept));
      const docs = index.docReport ? importReport(p, me, deviceId, index.docReport) : null;
      p.db
        .prepare('UPDATE usb_imports SET doc_report_json = ? WHERE bundle_id = ?')
        .run(docs ? JSON.stringify(docs) : null, header.bundleId);
      options.beforeCommit?.();
      return { out, docs };
    })();
    return {
      ok: true,
      bundleId: header.bundleId,
      inspectorId: me.id,
      deviceId,
      outcomes: outcomes.out,
      docReport: outcomes.docs,
    };
  } catch (e) {
    kept.clear();
    if (e instanceof ImportRefused) return refused(e.kind, e.message);
    throw e;
  } finally {
    for (const f of written) if (!kept.has(f)) rmSync(join(p.uploadsDir, f), { force: true });
  }
}
