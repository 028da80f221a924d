/**
 * Document numbers during sync: keep a block of numbers per
 * device and document type on hand, and tell the platform which numbers were used (with the
 * result id and the printed document's hash) or voided (with the reason).
 *
 * Every reserve request's id is stored in the field database BEFORE it is sent; a request whose
 * answer was lost is sent again with the same id, and the platform answers with the same block.
 * Runs after the pull phases; one failing call never stops the others.
 */
import type { z } from 'zod';
import {
  API,
  DOC_TYPES,
  perDocType,
  ReportResponseSchema,
  ReserveResponseSchema,
  type DocType,
  type ReportRequestSchema,
} from '../../../shared/protocol/index.js';
import type { DocNumbersRepo, ReportEntry } from '../db/index.js';
import type { HttpClient, HttpError } from '../platform/http.js';

/** Numbers asked for at a time, per type. */
export const BLOCK_SIZE = 20;
/** Ask for a new block when fewer than this many are left (before the inspector runs out). */
export const REFILL_BELOW = 10;
/** The UI warns when fewer than this many are left. */
export const LOW_WARNING_BELOW = 5;

export interface DocNumberSyncDeps {
  readonly http: HttpClient;
  readonly repo: DocNumbersRepo;
  readonly deviceId: () => Promise<string>;
  readonly now: () => Date;
  readonly newId?: () => string;
}

export interface DocNumberSyncOutcome {
  /** Numbers newly available per type after this run. */
  readonly reserved: Readonly<Record<DocType, number>>;
  readonly reported: number;
  /** zh-CN messages of the calls that failed (they are retried on the next sync). */
  readonly errors: readonly string[];
}

function describe(error: HttpError): string {
  return error.kind === 'http' ? `${error.status} ${error.message}` : error.message;
}

/** Stores a request for every type that runs low and has none outstanding. */
async function planRequests(deps: DocNumberSyncDeps): Promise<void> {
  const remaining = await deps.repo.remaining();
  const pending = new Set((await deps.repo.pendingRequests()).map((r) => r.docType));
  const newId = deps.newId ?? (() => `docreq-${crypto.randomUUID()}`);
  for (const docType of DOC_TYPES) {
    if (remaining[docType] >= REFILL_BELOW || pending.has(docType)) continue;
    await deps.repo.addRequest({
      requestId: newId(),
      docType,
      count: BLOCK_SIZE,
      requestedAt: deps.now().toISOString(),
    });
  }
}

async function sendReservations(
  deps: DocNumberSyncDeps,
  deviceId: string,
  errors: string[],
): Promise<Record<DocType, number>> {
  const reserved = perDocType(() => 0);
  for (const req of await deps.repo.pendingRequests()) {
    const res = await deps.http.request({
      method: 'POST',
      path: API.reserveNumbers,
      schema: ReserveResponseSchema,
      body: { requestId: req.requestId, deviceId, docType: req.docType, count: req.count },
    });
    if (!res.ok) {
      errors.push(`申请文书编号失败：${describe(res.error)}`);
      continue;
    }
    if (res.notModified) continue;
    if (res.value.docType !== req.docType) {
      errors.push(`申请文书编号失败：平台返回的文书类型不符（${res.value.docType}）`);
      continue;
    }
    await deps.repo.applyReservation(req.requestId, res.value);
    reserved[req.docType] += res.value.to - res.value.from + 1;
  }
  return reserved;
}

/** The report of used and voided numbers, as the network sends it and a USB results bundle carries it. */
export function reportBody(deviceId: string, entries: readonly ReportEntry[]): z.infer<typeof ReportRequestSchema> {
  return {
    deviceId,
    used: entries
      .filter((e) => e.state === 'used')
      .map((e) => ({
        docType: e.docType,
        serial: e.serial,
        resultId: e.resultId,
        ...(e.docHash ? { docHash: e.docHash } : {}),
        ...(e.fileHash ? { fileHash: e.fileHash } : {}),
      })),
    voided: entries
      .filter((e) => e.state === 'voided')
      .map((e) => ({ docType: e.docType, serial: e.serial, reason: e.voidReason ?? '作废' })),
  };
}

async function sendReport(deps: DocNumberSyncDeps, deviceId: string, errors: string[]): Promise<number> {
  const entries = await deps.repo.unreported();
  if (entries.length === 0) return 0;
  const body = reportBody(deviceId, entries);
  const res = await deps.http.request({ method: 'POST', path: API.reportNumbers, schema: ReportResponseSchema, body });
  if (!res.ok) {
    errors.push(`上报文书编号使用情况失败：${describe(res.error)}`);
    return 0;
  }
  return deps.repo.markReported(entries, deps.now().toISOString());
}

export async function syncDocNumbers(deps: DocNumberSyncDeps): Promise<DocNumberSyncOutcome> {
  const errors: string[] = [];
  const deviceId = await deps.deviceId();
  await planRequests(deps);
  const reserved = await sendReservations(deps, deviceId, errors);
  const reported = await sendReport(deps, deviceId, errors);
  return { reserved, reported, errors };
}
