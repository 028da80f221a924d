/**
 * Offline document numbers: blocks reserved per device and type,
 * idempotent per requestId; reports of used / voided numbers so every number is accounted for.
 * A used number may carry the printed document's own hash (its QR's hash): registered here so
 * /public/verify can answer for that paper; voiding the number withdraws it.
 * A block belongs to the inspector and the device that reserved it: only they report its numbers.
 * A paper counts for a result only when its reporter is on that result's task team, so no account
 * can vouch for a forged paper under somebody else's result.
 */
import { DOC_TYPE_LABELS, ReportRequestSchema, ReserveRequestSchema } from '../../../shared/protocol/index.js';
import type { DocType, Inspector } from '../../../shared/protocol/index.js';
import type { z } from 'zod';
import { requireCaller } from '../auth.js';
import type { Ctx, Reply } from '../http.js';
import { HttpError, json, parseWith, readJson } from '../http.js';
import type { Platform } from '../state.js';
import type { Db } from '../db.js';

const DOC_HASHES = `CREATE TABLE IF NOT EXISTS doc_hashes (
  result_id TEXT NOT NULL, doc_hash TEXT NOT NULL, doc_type TEXT NOT NULL, serial INTEGER NOT NULL, doc_no TEXT NOT NULL,
  inspector_id TEXT NOT NULL DEFAULT '', file_hash TEXT, PRIMARY KEY (result_id, doc_hash, inspector_id))`;
const ready = new WeakSet<Db>();
function docHashes(db: Db): Db {
  if (!ready.has(db)) {
    db.exec(DOC_HASHES);
    const columns = (db.prepare('PRAGMA table_info(doc_hashes)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('inspector_id'))
      db.exec("ALTER TABLE doc_hashes ADD COLUMN inspector_id TEXT NOT NULL DEFAULT ''");
    if (!columns.includes('file_hash')) db.exec('ALTER TABLE doc_hashes ADD COLUMN file_hash TEXT');
    ready.add(db);
  }
  return db;
}

/** The printed document registered for this result under this hash by a member of its task team, if any. */
export function documentByHash(p: Platform, resultId: string, hash: string): { title: string; docNo: string } | null {
  const row = docHashes(p.db)
    .prepare(
      `SELECT h.doc_type, h.doc_no FROM doc_hashes h JOIN results r ON r.result_id = h.result_id
       JOIN task_team t ON t.task_id = r.task_id AND t.inspector_id = h.inspector_id
       WHERE h.result_id = ? AND h.doc_hash = ?`,
    )
    .get(resultId, hash) as { doc_type: DocType; doc_no: string } | undefined;
  return row ? { title: DOC_TYPE_LABELS[row.doc_type] ?? row.doc_type, docNo: row.doc_no } : null;
}

export interface RegisteredPaper {
  readonly resultId: string;
  readonly title: string;
  readonly docNo: string;
  /** 'qr': the hash the paper's QR carries; 'file': the SHA-256 of the PDF file as printed. */
  readonly via: 'qr' | 'file';
}

/**
 * Every printed document registered under this hash, as its QR hash or as its PDF file's SHA-256,
 * by a member of its result's task team (same rule as above: nobody vouches for somebody else's paper).
 */
export function papersByHash(p: Platform, hash: string): RegisteredPaper[] {
  const rows = docHashes(p.db)
    .prepare(
      `SELECT h.result_id, h.doc_type, h.doc_no, CASE WHEN h.doc_hash = ? THEN 'qr' ELSE 'file' END AS via
       FROM doc_hashes h JOIN results r ON r.result_id = h.result_id
       JOIN task_team t ON t.task_id = r.task_id AND t.inspector_id = h.inspector_id
       WHERE h.doc_hash = ? OR h.file_hash = ? ORDER BY h.serial`,
    )
    .all(hash, hash, hash) as { result_id: string; doc_type: DocType; doc_no: string; via: 'qr' | 'file' }[];
  return rows.map((r) => ({
    resultId: r.result_id,
    title: DOC_TYPE_LABELS[r.doc_type] ?? r.doc_type,
    docNo: r.doc_no,
    via: r.via,
  }));
}

function docNoOf(p: Platform, deviceId: string, docType: DocType, serial: number): string {
  const row = p.db
    .prepare(
      'SELECT response_json FROM doc_reservations WHERE device_id = ? AND doc_type = ? AND ? BETWEEN from_no AND to_no',
    )
    .get(deviceId, docType, serial) as { response_json: string } | undefined;
  const prefix = row ? String((JSON.parse(row.response_json) as { prefix?: unknown }).prefix ?? '') : '';
  return `${prefix}${String(serial).padStart(4, '0')}号`;
}

const PREFIX: Readonly<Record<DocType, string>> = {
  notice: '威环市监抽通',
  record: '威环市监现笔',
  rectification: '威环市监责改',
  questioning: '威环市监询笔',
  evidence: '威环市监证取',
  preservation: '威环市监先保',
  service: '威环市监送回',
  directive: '威环市监特指',
  foodResult: '威环市监食检',
};

/** Numbers belong to the device of the access token; a body may not claim another device's block. */
function sameDevice<T extends { deviceId: string }>(body: T, deviceId: string): T {
  if (body.deviceId !== deviceId)
    throw new HttpError(422, 'VALIDATION', `deviceId（${body.deviceId}）与登录设备（${deviceId}）不一致`);
  return body;
}

export interface BlockRequest {
  readonly requestId: string;
  readonly deviceId: string;
  readonly inspectorId: string;
  readonly docType: DocType;
  readonly count: number;
}

export interface ReservedBlock {
  readonly docType: DocType;
  readonly prefix: string;
  readonly from: number;
  readonly to: number;
}

/**
 * Reserves a block for one inspector on one device (the network route and the station bundle both
 * come here, so no number is handed out twice); the same requestId answers the same block. Runs in
 * its own transaction, or joins the caller's.
 */
export function reserveBlock(p: Platform, req: BlockRequest): ReservedBlock {
  const year = p.now().getUTCFullYear();
  return p.db.transaction((): ReservedBlock => {
    const prior = p.db
      .prepare('SELECT device_id, inspector_id, doc_type, response_json FROM doc_reservations WHERE request_id = ?')
      .get(req.requestId) as
      { device_id: string; inspector_id: string; doc_type: string; response_json: string } | undefined;
    if (prior) {
      if (prior.device_id !== req.deviceId || prior.inspector_id !== req.inspectorId || prior.doc_type !== req.docType)
        throw new HttpError(422, 'IDEMPOTENCY_KEY_REUSED', 'requestId 已用于其他设备、其他检查人员或文书类型');
      return JSON.parse(prior.response_json) as ReservedBlock;
    }
    const row = p.db.prepare('SELECT next FROM doc_counters WHERE doc_type = ?').get(req.docType) as
      { next: number } | undefined;
    const from = row?.next ?? 1;
    const to = from + req.count - 1;
    p.db
      .prepare(
        'INSERT INTO doc_counters (doc_type, next) VALUES (?, ?) ON CONFLICT(doc_type) DO UPDATE SET next = excluded.next',
      )
      .run(req.docType, to + 1);
    const res: ReservedBlock = { docType: req.docType, prefix: `${PREFIX[req.docType]}〔${year}〕`, from, to };
    p.db
      .prepare(
        'INSERT INTO doc_reservations (request_id, device_id, inspector_id, doc_type, from_no, to_no, response_json) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(req.requestId, req.deviceId, req.inspectorId, req.docType, from, to, JSON.stringify(res));
    return res;
  })();
}

export async function reserve(p: Platform, ctx: Ctx): Promise<Reply> {
  const { inspector: me, deviceId } = requireCaller(p, ctx);
  const body = sameDevice(parseWith(ReserveRequestSchema, await readJson(ctx), '文书编号申请'), deviceId);
  return json(
    200,
    reserveBlock(p, {
      requestId: body.requestId,
      deviceId: body.deviceId,
      inspectorId: me.id,
      docType: body.docType,
      count: body.count,
    }),
  );
}

export async function report(p: Platform, ctx: Ctx): Promise<Reply> {
  const { inspector: me, deviceId } = requireCaller(p, ctx);
  const body = sameDevice(parseWith(ReportRequestSchema, await readJson(ctx), '文书编号使用报告'), deviceId);
  return json(200, { accepted: applyReport(p, me, body) });
}

/**
 * Records a report of used and voided numbers for `me` (throws the refusal as HttpError); shared
 * with the USB import, where the device comes from the bundle's verified signature.
 */
export type ReportRequest = z.infer<typeof ReportRequestSchema>;

export function applyReport(p: Platform, me: Inspector, body: ReportRequest): number {
  const owned = p.db.prepare(
    'SELECT 1 FROM doc_reservations WHERE device_id = ? AND inspector_id = ? AND doc_type = ? AND ? BETWEEN from_no AND to_no',
  );
  const entries = [
    ...body.used.map((u) => ({
      docType: u.docType,
      serial: u.serial,
      kind: 'used',
      resultId: u.resultId,
      reason: null as string | null,
    })),
    ...body.voided.map((v) => ({
      docType: v.docType,
      serial: v.serial,
      kind: 'voided',
      resultId: null as string | null,
      reason: v.reason,
    })),
  ];
  const notOwned = entries.filter((e) => !owned.get(body.deviceId, me.id, e.docType, e.serial));
  if (notOwned.length > 0) {
    const first = notOwned[0]!;
    throw new HttpError(
      422,
      'VALIDATION',
      `编号未分配给本人在该设备上的申请：${DOC_TYPE_LABELS[first.docType]} 第 ${first.serial} 号`,
      { details: { notOwned } },
    );
  }
  // A result already on the platform tells whose it is; one not yet uploaded is checked when verified.
  const teamOf = p.db.prepare(
    'SELECT 1 FROM results r LEFT JOIN task_team t ON t.task_id = r.task_id AND t.inspector_id = ? WHERE r.result_id = ? AND t.inspector_id IS NULL',
  );
  const foreign = body.used.filter((u) => teamOf.get(me.id, u.resultId) !== undefined).map((u) => u.resultId);
  if (foreign.length > 0)
    throw new HttpError(403, 'NOT_YOUR_TASK', `结果 ${foreign.join('、')} 不属于您所在检查组的任务，不能为其登记文书`, {
      details: { foreign },
    });
  const upsert = p.db
    .prepare(`INSERT INTO doc_reports (doc_type, serial, device_id, kind, result_id, reason) VALUES (?, ?, ?, ?, ?, ?)
                               ON CONFLICT(doc_type, serial) DO UPDATE SET kind = excluded.kind, result_id = excluded.result_id, reason = excluded.reason`);
  const db = docHashes(p.db);
  const addHash = db.prepare(
    'INSERT OR REPLACE INTO doc_hashes (result_id, doc_hash, doc_type, serial, doc_no, inspector_id, file_hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const dropHashes = db.prepare('DELETE FROM doc_hashes WHERE doc_type = ? AND serial = ?');
  db.transaction(() => {
    for (const e of entries) upsert.run(e.docType, e.serial, body.deviceId, e.kind, e.resultId, e.reason);
    for (const u of body.used) {
      if (u.docHash)
        addHash.run(
          u.resultId,
          u.docHash,
          u.docType,
          u.serial,
          docNoOf(p, body.deviceId, u.docType, u.serial),
          me.id,
          u.fileHash ?? null,
        );
    }
    for (const v of body.voided) dropHashes.run(v.docType, v.serial);
  })();
  return entries.length;
}
