/**
 * What travels inside the results and receipts bundles (the sealed format itself is bundle.format.ts).
 * A results bundle holds `index.json` plus one entry per attachment; each result is the exact body the
 * app would PUT, with the outbox op's Idempotency-Key, so the platform imports it through the same
 * acceptance path as a network upload. The receipts bundle carries the platform's signed receipts and
 * the log consistency proofs the app needs to check them without a connection.
 */
import { z } from 'zod';
import { ConsistencyProofResponseSchema } from '../protocol/log.js';
import { IdSchema } from '../protocol/common.js';
import { ReportRequestSchema } from '../protocol/docnumbers.js';
import { ReceiptSchema, ResultUploadSchema } from '../protocol/results.js';

export const INDEX_ENTRY = 'index.json';
export const attachmentEntryName = (attachmentId: string): string => `attachments/${attachmentId}`;
/** Results per bundle: one stick's worth of work, and a bound on what one import transaction holds. */
export const MAX_BUNDLE_RESULTS = 500;

const hex32 = z.string().regex(/^[0-9a-f]{64}$/);

export const BundledResultSchema = z
  .object({
    idempotencyKey: IdSchema,
    upload: ResultUploadSchema,
  })
  .strict();
export type BundledResult = z.infer<typeof BundledResultSchema>;

export const ResultsIndexSchema = z
  .object({
    v: z.literal(1),
    inspectorId: IdSchema,
    deviceId: IdSchema,
    /** Raw X25519 public key (hex) the platform encrypts this bundle's receipts to. */
    replyKey: hex32,
    /** The largest log checkpoint this device has verified, so the receipts can prove they extend it. */
    logSeenSize: z.number().int().nonnegative().nullable(),
    results: z.array(BundledResultSchema).max(MAX_BUNDLE_RESULTS),
    /** The document numbers used or voided since the last report: the body of the report request. */
    docReport: ReportRequestSchema.nullable(),
  })
  .strict();
export type ResultsIndex = z.infer<typeof ResultsIndexSchema>;

export const ReceiptsIndexSchema = z
  .object({
    v: z.literal(1),
    /** The results bundle these receipts answer. */
    forBundleId: z.string().regex(/^[0-9a-f]{32}$/),
    inspectorId: IdSchema,
    deviceId: IdSchema,
    receipts: z.array(ReceiptSchema).max(MAX_BUNDLE_RESULTS),
    consistency: z.array(ConsistencyProofResponseSchema).max(2 * MAX_BUNDLE_RESULTS + 2),
    /** What became of the bundle's document-number report; null when it carried none. */
    docReport: z.object({ accepted: z.boolean(), message: z.string().nullable() }).strict().nullable(),
  })
  .strict();
export type ReceiptsIndex = z.infer<typeof ReceiptsIndexSchema>;
