/**
 * What a printed paper must say, from the platform's own records: document type and number,
 * enterprise, date, the items with their outcomes and the result in words, whether the record is
 * still current, and its place in the transparency log. Anyone may ask — by the QR's result and hash,
 * or by a hash alone (a PDF copy of the paper, or an evidence photo). The view carries no internal
 * data: no inspector, device, task or result ids, and no hash but the one that was asked about.
 */
import { z } from 'zod';
import { ITEM_OUTCOME_LABELS, resultSummary } from '../../../shared/domain/results.js';
import { ResultUploadSchema } from '../../../shared/protocol/index.js';
import type { Platform } from '../state.js';
import { papersByHash } from './docnumbers.js';
import { correctionOf, enterpriseName, itemNamer } from './public.js';

/** A log entry as the receipt carries it once the platform logs accepted results. */
export interface LogInclusion {
  readonly index: number;
  readonly treeSize: number;
  readonly leafHash: string;
  /** The signed checkpoint (signed-note text) the inclusion proof leads to. */
  readonly checkpoint: string;
}

export interface PaperView {
  /** The document the hash names; null when the hash is the record's own content hash or a photo's. */
  readonly document: { readonly title: string; readonly docNo: string } | null;
  /** How the hash matched: the QR hash of a paper, its PDF file, an evidence file, or the record itself. */
  readonly matchedAs: 'qr' | 'file' | 'evidence' | 'record';
  readonly enterpriseName: string;
  readonly uscc: string;
  readonly inspectedOn: string;
  readonly items: readonly { readonly item: string; readonly result: string }[];
  readonly result: string;
  readonly state: 'published' | 'accepted';
  /** A published correction replaces this record: the paper is not current. */
  readonly corrected: boolean;
  readonly log: LogInclusion | null;
  /** The hash that was checked (the paper's own, or the file's): the only hash the page shows. */
  readonly hash: string;
}

interface ResultRow {
  result_id: string;
  content_hash: string;
  state: string;
  enterprise_uscc: string;
  task_id: string;
  receipt_json: string;
  body_json: string;
}

const LogSchema = z.object({
  index: z.number().int().nonnegative(),
  treeSize: z.number().int().positive(),
  leafHash: z.string().regex(/^[0-9a-f]{64}$/),
  checkpoint: z.string().min(1),
});

/**
 * The log entry of a result, read from the `log` member of its stored receipt; null while the
 * receipt has none (a platform without the log, or a result received before it existed).
 */
export function logInclusionFor(p: Platform, resultId: string): LogInclusion | null {
  const row = p.db.prepare('SELECT receipt_json FROM results WHERE result_id = ?').get(resultId) as
    { receipt_json: string } | undefined;
  if (!row) return null;
  const parsed = LogSchema.safeParse((JSON.parse(row.receipt_json) as { log?: unknown }).log);
  return parsed.success ? parsed.data : null;
}

function resultRow(p: Platform, resultId: string): ResultRow | null {
  const row = p.db
    .prepare(
      `SELECT result_id, content_hash, state, enterprise_uscc, task_id, receipt_json, body_json FROM results
       WHERE result_id = ? AND state IN ('accepted', 'under_review', 'returned', 'published')`,
    )
    .get(resultId) as ResultRow | undefined;
  return row ?? null;
}

function view(p: Platform, row: ResultRow, hash: string, how: Pick<PaperView, 'document' | 'matchedAs'>): PaperView {
  const up = ResultUploadSchema.parse(JSON.parse(row.body_json));
  const name = itemNamer(p, row.task_id);
  return {
    ...how,
    enterpriseName: enterpriseName(p, row.enterprise_uscc) ?? '',
    uscc: row.enterprise_uscc,
    inspectedOn: up.payload.inspectedOn,
    items: up.payload.itemResults.map((i) => ({ item: name(i.itemCode), result: ITEM_OUTCOME_LABELS[i.outcome] })),
    result: resultSummary(up.payload.resultCodes),
    state: row.state === 'published' ? 'published' : 'accepted',
    corrected: correctionOf(p, row.result_id) !== null,
    log: logInclusionFor(p, row.result_id),
    hash,
  };
}

/** The QR names the result and the paper's own hash: the paper must be registered for that result. */
export function paperForQr(p: Platform, resultId: string, hash: string): PaperView | 'unknown' | 'mismatch' {
  const row = resultRow(p, resultId);
  if (!row) return 'unknown';
  const h = hash.toLowerCase();
  if (row.content_hash === h) return view(p, row, h, { document: null, matchedAs: 'record' });
  const paper = papersByHash(p, h).find((d) => d.resultId === resultId && d.via === 'qr');
  if (!paper) return 'mismatch';
  return view(p, row, h, { document: { title: paper.title, docNo: paper.docNo }, matchedAs: 'qr' });
}

/** A hash alone: a registered paper (QR hash or PDF file), an evidence file of a record, or a record. */
export function paperForHash(p: Platform, hash: string): PaperView | null {
  const h = hash.toLowerCase();
  for (const paper of papersByHash(p, h)) {
    const row = resultRow(p, paper.resultId);
    if (row) return view(p, row, h, { document: { title: paper.title, docNo: paper.docNo }, matchedAs: paper.via });
  }
  const evidence = p.db
    .prepare(
      `SELECT r.result_id FROM results r, json_each(r.body_json, '$.payload.evidence') e
       WHERE r.state IN ('accepted', 'under_review', 'returned', 'published') AND json_extract(e.value, '$.sha256') = ? LIMIT 1`,
    )
    .get(h) as { result_id: string } | undefined;
  const byEvidence = evidence ? resultRow(p, evidence.result_id) : null;
  if (byEvidence) return view(p, byEvidence, h, { document: null, matchedAs: 'evidence' });
  const record = p.db
    .prepare(
      "SELECT result_id FROM results WHERE content_hash = ? AND state IN ('accepted', 'under_review', 'returned', 'published') LIMIT 1",
    )
    .get(h) as { result_id: string } | undefined;
  const byRecord = record ? resultRow(p, record.result_id) : null;
  return byRecord ? view(p, byRecord, h, { document: null, matchedAs: 'record' }) : null;
}
