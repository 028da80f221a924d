/**
 * Field database, schema version 4: offline document numbers and issued documents.
 * - docBlocks: one row per reserve request. The requestId is stored (state 'requested') BEFORE the
 *   request is sent, so a retry after a lost answer asks with the same id (the platform is
 *   idempotent per requestId) and a block can never be reserved twice by mistake.
 * - docNumbers: every serial taken from a block, used or voided, kept forever; `reportedAt` is set
 *   once the platform acknowledged it in /v1/doc-numbers/report.
 * - issuedDocs: the documents printed from those numbers with their content hash (the QR's hash).
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';
import type { DocType } from '../../../../shared/protocol/docnumbers.js';

export const FIELD_V4_VERSION = 4;

export const FIELD_V4_STORES = {
  docBlocks: 'requestId, docType, state',
  docNumbers: '[docType+serial], docType, state, reportedAt, taskId, resultId',
  issuedDocs: 'docId, taskId, resultId, docType',
} as const;

export interface DocBlockRow {
  /** Created and stored before the first send; the idempotency key of the reservation. */
  readonly requestId: string;
  readonly docType: DocType;
  readonly count: number;
  readonly requestedAt: string;
  /** requested: sent (or about to be), no answer yet; active: numbers available; used-up: all taken. */
  readonly state: 'requested' | 'active' | 'used-up';
  /** Known once the platform answered: e.g. 威环市监抽通〔2026〕. */
  readonly prefix: string | null;
  readonly from: number | null;
  readonly to: number | null;
  /** Next serial to hand out (from..to+1). */
  readonly next: number | null;
}

export interface DocNumberRow {
  readonly docType: DocType;
  readonly serial: number;
  /** Printed number, e.g. 威环市监抽通〔2026〕0012号. */
  readonly docNo: string;
  readonly blockId: string;
  readonly state: 'used' | 'voided';
  readonly taskId: string;
  readonly resultId: string;
  readonly takenAt: string;
  readonly voidReason: string | null;
  readonly voidedAt: string | null;
  /** Hash of the document printed with this number (registered with the platform in the report). */
  readonly docHash: string | null;
  /**
   * SHA-256 of the PDF file printed with this number, reported beside docHash so that anyone holding a
   * PDF copy can check it by its hash alone. Absent on rows written before it was kept.
   */
  readonly fileHash?: string | null;
  /** Empty string until the platform acknowledged the current state (Dexie cannot index null). */
  readonly reportedAt: string;
}

export interface IssuedDocRow {
  /** `${docType}:${serial}`: one document per number. */
  readonly docId: string;
  readonly docType: DocType;
  readonly serial: number;
  readonly docNo: string;
  readonly taskId: string;
  readonly resultId: string;
  /** SHA-256 of the canonical document input without its own hash (printed in the QR). */
  readonly docHash: string;
  /** The link the QR code carries. */
  readonly verifyUrl: string;
  readonly issuedAt: string;
  /** The PDF as printed, so a reprint is the same paper. */
  readonly pdf: Uint8Array;
  readonly bytes: number;
  /**
   * JSON of the print input exactly as laid out (number and hash included), so the case file can
   * lay the document out again inside one bundle. Absent on documents issued before the case file.
   */
  readonly input?: string;
}

export function fieldV4(db: Dexie): void {
  db.version(FIELD_V4_VERSION).stores(FIELD_V4_STORES);
}
