/** Offline document numbers: blocks reserved per device, then reported used or voided. */
import { z } from 'zod';
import { IdSchema, Sha256Schema } from './common.js';

export const DOC_TYPES = ['notice', 'record', 'rectification'] as const;
export type DocType = (typeof DOC_TYPES)[number];
export const DOC_TYPE_LABELS: Readonly<Record<DocType, string>> = {
  notice: '随机抽查检查通知书',
  record: '现场检查笔录',
  rectification: '责令改正通知书',
};

export const ReserveRequestSchema = z.object({
  requestId: IdSchema,
  deviceId: IdSchema,
  docType: z.enum(DOC_TYPES),
  count: z.number().int().min(1).max(500),
});
export const ReserveResponseSchema = z.object({
  docType: z.enum(DOC_TYPES),
  prefix: z.string(),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
});
export const ReportRequestSchema = z.object({
  deviceId: IdSchema,
  used: z.array(
    z.object({
      docType: z.enum(DOC_TYPES),
      serial: z.number().int().positive(),
      resultId: IdSchema,
      /** SHA-256 of the printed document (its QR's hash): lets /public/verify answer for the paper. */
      docHash: Sha256Schema.optional(),
      /** SHA-256 of the PDF file as printed: lets anyone check a PDF copy of the paper by its hash alone. */
      fileHash: Sha256Schema.optional(),
    }),
  ),
  voided: z.array(
    z.object({ docType: z.enum(DOC_TYPES), serial: z.number().int().positive(), reason: z.string().min(1) }),
  ),
});
export const ReportResponseSchema = z.object({ accepted: z.number().int().nonnegative() });
