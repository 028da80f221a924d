/** Offline document numbers: blocks reserved per device, then reported used or voided. */
import { z } from 'zod';
import { IdSchema, Sha256Schema } from './common.js';

/**
 * Every document the terminal numbers and prints. Each type has its own number blocks, so adding a
 * type here makes the sync reserve blocks for it and the platform count it separately.
 */
export const DOC_TYPES = [
  'notice',
  'record',
  'rectification',
  'questioning',
  'evidence',
  'preservation',
  'service',
  'directive',
  'foodResult',
] as const;
export type DocType = (typeof DOC_TYPES)[number];
export const DOC_TYPE_LABELS: Readonly<Record<DocType, string>> = {
  notice: '随机抽查检查通知书',
  record: '现场检查笔录',
  rectification: '责令改正通知书',
  questioning: '询问笔录',
  evidence: '证据提取单',
  preservation: '先行登记保存证据通知书',
  service: '送达回证',
  directive: '特种设备安全监察指令书',
  foodResult: '监督检查结果记录表',
};

/**
 * The template version of each type this build lays out (SAMR 2021 文书格式范本 for the case
 * documents, the Zhejiang notice, TSG special-equipment forms, the food inspection tables). The
 * platform's reference data names the types and versions a deployment uses; a type it does not
 * name, or names in another version, is not offered.
 */
export const DOC_TEMPLATE_VERSIONS: Readonly<Record<DocType, string>> = {
  notice: 'ZJ-2021.1',
  record: 'SAMR-2021.1',
  rectification: 'ZJ-2021.1',
  questioning: 'SAMR-2021.1',
  evidence: 'SAMR-2021.1',
  preservation: 'SAMR-2021.1',
  service: 'SAMR-2021.1',
  directive: 'TSG-2023.1',
  foodResult: 'SP-2022.1',
};

/** A record with one value per document type (counters, prefixes), built without listing the types again. */
export function perDocType<T>(value: (docType: DocType) => T): Record<DocType, T> {
  return Object.fromEntries(DOC_TYPES.map((t) => [t, value(t)])) as Record<DocType, T>;
}

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
