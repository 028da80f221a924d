/** 一公开: what the public sees under an enterprise's name, and the QR verification answer. */
import { z } from 'zod';
import { IdSchema, IsoDateSchema, IsoDateTimeSchema, UsccSchema } from './common.js';

export const PublicResultSchema = z.object({
  resultId: IdSchema,
  authority: z.string(),
  type: z.enum(['抽查', '检查']),
  planNo: z.string(),
  planName: z.string(),
  taskNo: z.string(),
  inspectedOn: IsoDateSchema,
  result: z.string(),
  items: z.array(z.object({ item: z.string(), result: z.string() })),
  publishedAt: IsoDateTimeSchema,
  /**
   * Set when a published correction replaced this result: it is kept for the record (已更正) but
   * is no longer the current result. Optional so earlier answers still parse.
   */
  correctedBy: IdSchema.optional(),
  /** 后续处置: what the 复查 found for this result's findings, once it is accepted. */
  followUp: z
    .object({
      checkedOn: IsoDateSchema,
      closed: z.boolean(),
      outcome: z.string(),
      findings: z.array(z.object({ item: z.string(), state: z.string() })),
    })
    .optional(),
});
export type PublicResult = z.infer<typeof PublicResultSchema>;

export const PublicResultsResponseSchema = z.object({
  uscc: UsccSchema,
  name: z.string(),
  results: z.array(PublicResultSchema),
});
export type PublicResultsResponse = z.infer<typeof PublicResultsResponseSchema>;

export const VerifyResponseSchema = z.object({
  match: z.boolean(),
  state: z.enum(['published', 'accepted', 'unknown', 'mismatch']),
  enterpriseName: z.string().nullable(),
  inspectedOn: IsoDateSchema.nullable(),
  /** Set when the hash is a printed document's own hash registered with the result. */
  document: z.object({ title: z.string(), docNo: z.string() }).optional(),
  /** The result was replaced by this correction: the paper matches a record that is no longer current. */
  correctedBy: IdSchema.optional(),
});
