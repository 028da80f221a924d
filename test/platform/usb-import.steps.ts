/**
 * The per-result steps of a USB results import (usb-import.ts opens and checks the bundle, then runs
 * these inside its one transaction): the network path's pre-checks, storing attachments as the tus
 * completion does, the key claim and acceptance under the op's Idempotency-Key, and the document
 * number report, each refusal confined to its own savepoint.
 */
import { HttpError } from './http.js';
import { requireSignedCheckpoint } from './routes/devices.js';
import { applyReport, type ReportRequest } from './routes/docnumbers.js';
import { accept, checkUpload, claimKey, finishKey, requestHashOf } from './routes/results.js';
import type { BundledResult } from '../../shared/bundle/usb-contents.js';
import type { Inspector } from '../../shared/protocol/index.js';
import type { Platform } from './state.js';

export interface ImportOutcome {
  readonly resultId: string;
  /** The HTTP status the same upload over the network would have had. */
  readonly status: number;
  readonly code: string | null;
  readonly message: string | null;
  /** Answered from the stored outcome of the same Idempotency-Key (already uploaded or imported). */
  readonly replayed: boolean;
}

export interface DocReportOutcome {
  readonly accepted: boolean;
  readonly message: string | null;
}

export type ImportRefusalKind =
  | 'truncated'
  | 'tampered'
  | 'untrusted-sender'
  | 'wrong-recipient'
  | 'replayed'
  | 'unsupported-version'
  | 'not-a-bundle'
  | 'wrong-kind'
  | 'bad-contents'
  | 'busy';

export function outcomeOf(resultId: string, status: number, body: unknown, replayed: boolean): ImportOutcome {
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  return { resultId, status, code: error?.code ?? null, message: error?.message ?? null, replayed };
}

/** What the network path checks before claiming the key; a refusal concerns that result only. */
export async function precheck(
  p: Platform,
  me: Inspector,
  deviceId: string,
  r: BundledResult,
): Promise<ImportOutcome | null> {
  try {
    checkUpload(r.upload, r.upload.payload.resultId, deviceId);
    await requireSignedCheckpoint(p, me.id, deviceId, r.upload);
    return null;
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return outcomeOf(r.upload.payload.resultId, e.status, { error: { code: e.code, message: e.message } }, false);
  }
}

/** Stores one attachment as the tus completion does; false when the id belongs to someone else. */
function storeAttachment(
  p: Platform,
  me: Inspector,
  resultId: string,
  a: { id: string; sha256: string; size: number; mime: string },
  uploadId: string,
): boolean {
  const existing = p.db.prepare('SELECT inspector_id, result_id, sha256 FROM attachments WHERE id = ?').get(a.id) as
    { inspector_id: string; result_id: string; sha256: string } | undefined;
  if (existing) {
    if (existing.inspector_id !== me.id || existing.result_id !== resultId) return false;
    if (existing.sha256 === a.sha256) return true; // already uploaded over the network: keep that copy
  }
  p.db
    .prepare(
      `INSERT INTO attachments (id, result_id, sha256, size, mime, upload_id, inspector_id, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET sha256 = excluded.sha256, size = excluded.size, upload_id = excluded.upload_id, stored_at = excluded.stored_at`,
    )
    .run(a.id, resultId, a.sha256, a.size, a.mime, uploadId, me.id, p.now().toISOString());
  return true;
}

/** The report endpoint's semantics after the results (its team check sees them), in a savepoint of its own. */
export function importReport(p: Platform, me: Inspector, deviceId: string, body: ReportRequest): DocReportOutcome {
  if (body.deviceId !== deviceId)
    return { accepted: false, message: `deviceId（${body.deviceId}）与签名设备（${deviceId}）不一致` };
  try {
    p.db.transaction(() => applyReport(p, me, body))();
    return { accepted: true, message: null };
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { accepted: false, message: e.message };
  }
}

/** Refuses one result: its savepoint rolls back, the others go on. */
class ResultRefused extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super(outcome.message ?? 'refused');
  }
}

export class ImportRefused extends Error {
  constructor(
    readonly kind: ImportRefusalKind,
    message: string,
  ) {
    super(message);
  }
}

/** One result, inside the import transaction: attachments, key claim, acceptance, stored answer. */
export function importOne(
  p: Platform,
  me: Inspector,
  bundleId: string,
  r: BundledResult,
  pre: ReadonlyMap<string, ImportOutcome>,
  kept: Set<string>,
): ImportOutcome {
  const resultId = r.upload.payload.resultId;
  const early = pre.get(resultId);
  if (early) return early;
  // A savepoint per result: a result refused midway takes its attachment rows back with it.
  try {
    return p.db.transaction((): ImportOutcome => {
      const stored: string[] = [];
      for (const a of r.upload.attachments) {
        const uploadId = `usb-${bundleId}-${a.id}`;
        if (!storeAttachment(p, me, resultId, a, uploadId))
          throw new ResultRefused(
            outcomeOf(
              resultId,
              403,
              {
                error: {
                  code: 'NOT_YOUR_UPLOAD',
                  message: `附件编号 ${a.id} 已被其他检查人员或其他结果使用，不能覆盖`,
                },
              },
              false,
            ),
          );
        stored.push(uploadId);
      }
      let replay;
      try {
        replay = claimKey(p, r.idempotencyKey, me, requestHashOf(resultId, r.upload), resultId);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        // Another copy of this result is being uploaded over the network right now: import later.
        if (e.code === 'IN_FLIGHT') throw new ImportRefused('busy', '数据包中的结果正在通过网络上传，请稍后重新导入');
        throw new ResultRefused(outcomeOf(resultId, e.status, { error: { code: e.code, message: e.message } }, false));
      }
      for (const f of stored) kept.add(f);
      if (replay) return outcomeOf(resultId, replay.status, replay.json, true);
      const { res, store } = accept(p, me, r.upload);
      finishKey(p, r.idempotencyKey, res, store);
      return outcomeOf(resultId, res.status, res.body, false);
    })();
  } catch (e) {
    if (e instanceof ResultRefused) return e.outcome;
    throw e;
  }
}
