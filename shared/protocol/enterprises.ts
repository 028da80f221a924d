/**
 * Enterprise credit files (企业信用档案, DOMAIN.md §4) and their compacted change feed.
 * Public sections mirror gsxt; `internal` is never published (class, warnings, complaints).
 */
import { z } from 'zod';
import { CREDIT_CLASSES, WARNING_COLORS } from '../domain/credit.js';
import { IsoDateSchema, UsccSchema, feedPageSchema } from './common.js';

export const ENTERPRISE_STATUSES = ['存续', '吊销未注销', '注销', '歇业', '迁出', '撤销'] as const;

export const LicenceSchema = z.object({
  name: z.string(),
  no: z.string(),
  validFrom: IsoDateSchema,
  validTo: IsoDateSchema.nullable(),
  issuer: z.string(),
  content: z.string(),
});

export const PenaltySchema = z.object({
  decisionNo: z.string(),
  violationType: z.string(),
  content: z.string(),
  fine: z.number().nonnegative(),
  authority: z.string(),
  date: IsoDateSchema,
  publicityEnd: IsoDateSchema.nullable(),
});

export const ListEntrySchema = z.object({
  listDate: IsoDateSchema,
  reason: z.string(),
  authority: z.string(),
  removeDate: IsoDateSchema.nullable(),
  removeReason: z.string().nullable(),
});

export const SpotCheckSchema = z.object({
  date: IsoDateSchema,
  authority: z.string(),
  type: z.enum(['抽查', '检查']),
  result: z.string(),
  /** Item codes found non-compliant at that visit (internal; drives "look here" hints). */
  failedItems: z.array(z.string()),
});

export const CommitmentSchema = z.object({
  type: z.enum(['告知承诺', '主动承诺']),
  content: z.string(),
  date: IsoDateSchema,
  status: z.enum(['履行中', '已履行', '未履行']),
});

export const SpecialEquipmentSchema = z.object({
  type: z.string(),
  regNo: z.string(),
  nextInspectionDue: IsoDateSchema,
});

export const InternalSchema = z.object({
  creditClass: z.enum(CREDIT_CLASSES),
  classHistory: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), creditClass: z.enum(CREDIT_CLASSES) })),
  warningColor: z.enum(WARNING_COLORS),
  foodRiskLevel: z.enum(['A', 'B', 'C', 'D']).nullable(),
  seKeyUnit: z.boolean(),
  complaints12345: z.number().int().nonnegative(),
});

export const EnterpriseSchema = z.object({
  uscc: UsccSchema,
  /** Legacy 15-digit 注册号 for old records. */
  regNo: z.string().regex(/^\d{15}$/).nullable(),
  version: z.number().int().positive(),
  name: z.string().min(1).max(100),
  entType: z.string(),
  legalRep: z.string(),
  regCapital: z.number().nonnegative().nullable(),
  establishDate: IsoDateSchema,
  status: z.enum(ENTERPRISE_STATUSES),
  regAuthority: z.string(),
  address: z.string(),
  region: z.string().regex(/^\d{6}$/),
  industry: z.string(),
  businessScope: z.string(),
  phone: z.string(),
  licences: z.array(LicenceSchema),
  penalties: z.array(PenaltySchema),
  abnormalList: z.array(ListEntrySchema),
  seriousList: z.array(ListEntrySchema),
  spotChecks: z.array(SpotCheckSchema),
  commitments: z.array(CommitmentSchema),
  specialEquipment: z.array(SpecialEquipmentSchema),
  internal: InternalSchema,
});
export type Enterprise = z.infer<typeof EnterpriseSchema>;

/**
 * A change is validated in two steps so one bad record never aborts a page: the envelope first
 * (kind, seq, uscc), then the record itself, whose failure quarantines only that record.
 */
export const EnterpriseChangeEnvelopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), seq: z.number().int().positive(), enterprise: z.object({ uscc: z.string() }).loose() }),
  z.object({ kind: z.literal('tombstone'), seq: z.number().int().positive(), uscc: UsccSchema }),
]);
export type EnterpriseChangeEnvelope = z.infer<typeof EnterpriseChangeEnvelopeSchema>;

export const EnterpriseChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), seq: z.number().int().positive(), enterprise: EnterpriseSchema }),
  z.object({ kind: z.literal('tombstone'), seq: z.number().int().positive(), uscc: UsccSchema }),
]);
export type EnterpriseChange = z.infer<typeof EnterpriseChangeSchema>;

export const EnterpriseFeedPageSchema = feedPageSchema(EnterpriseChangeEnvelopeSchema);
export type EnterpriseFeedPage = z.infer<typeof EnterpriseFeedPageSchema>;
