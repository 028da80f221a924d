/**
 * Enterprise credit files (企业信用档案) and their compacted change feed.
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

/** 红名单 (trust incentives) / 黑名单 (严重失信主体) with the joint rewards or punishments applied (联合奖惩). */
export const RedBlackEntrySchema = z.object({
  list: z.enum(['红名单', '黑名单']),
  /** e.g. 守信激励对象名单, 严重失信主体名单, 重大税收违法失信主体名单. */
  name: z.string(),
  reason: z.string(),
  authority: z.string(),
  listDate: IsoDateSchema,
  removeDate: IsoDateSchema.nullable(),
  /** The joint measures applied (联合奖惩措施), e.g. 限制参与政府采购, 降低抽查比例和频次. */
  measures: z.array(z.string()),
});

/** 信用修复 (SAMR 2021 办法): one of the four routes, when applied for, and the outcome. */
export const CREDIT_REPAIR_ROUTES = [
  '移出经营异常名录',
  '恢复个体工商户正常记载状态',
  '提前移出严重违法失信名单',
  '提前停止公示行政处罚信息',
] as const;
export const CreditRepairSchema = z.object({
  route: z.enum(CREDIT_REPAIR_ROUTES),
  applyDate: IsoDateSchema,
  authority: z.string(),
  result: z.enum(['已修复', '审核中', '不予修复']),
  decidedDate: IsoDateSchema.nullable(),
});

/** Food-safety 黑榜 publications (食品安全"黑榜"公示). */
export const FoodBlacklistSchema = z.object({
  publishDate: IsoDateSchema,
  title: z.string(),
  reason: z.string(),
  authority: z.string(),
});

/** Annual report per year (年度报告, filing window 1 Jan–30 Jun). */
export const AnnualReportSchema = z.object({
  year: z.number().int(),
  state: z.enum(['已报送', '逾期报送', '未报送']),
  filedDate: IsoDateSchema.nullable(),
});

export const InternalSchema = z.object({
  creditClass: z.enum(CREDIT_CLASSES),
  classHistory: z.array(z.object({ month: z.string().regex(/^\d{4}-\d{2}$/), creditClass: z.enum(CREDIT_CLASSES) })),
  /**
   * Four-colour warning, kept apart from the credit class: set only for enterprises in the fields the
   * reference data's warning scheme covers (food, special equipment), null for every other enterprise.
   */
  warningColor: z.enum(WARNING_COLORS).nullable(),
  foodRiskLevel: z.enum(['A', 'B', 'C', 'D']).nullable(),
  seKeyUnit: z.boolean(),
  complaints12345: z.number().int().nonnegative(),
  /** 履责积分 (responsibility points of food / special-equipment units); optional: older records lack it. */
  responsibilityPoints: z.number().int().nullable().optional(),
  /** 最近一次现场检查 (internal). */
  lastVisit: IsoDateSchema.nullable().optional(),
});

export const EnterpriseSchema = z.object({
  uscc: UsccSchema,
  /** Legacy 15-digit 注册号 for old records. */
  regNo: z
    .string()
    .regex(/^\d{15}$/)
    .nullable(),
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
  // Added later, so optional: records from older feeds still parse.
  annualReports: z.array(AnnualReportSchema).optional(),
  redBlackList: z.array(RedBlackEntrySchema).optional(),
  creditRepairs: z.array(CreditRepairSchema).optional(),
  foodBlacklist: z.array(FoodBlacklistSchema).optional(),
});
export type Enterprise = z.infer<typeof EnterpriseSchema>;

/**
 * A change is validated in two steps so one bad record never aborts a page: the envelope first
 * (kind, seq, uscc), then the record itself, whose failure quarantines only that record.
 */
export const EnterpriseChangeEnvelopeSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('upsert'),
    seq: z.number().int().positive(),
    enterprise: z.object({ uscc: z.string() }).loose(),
  }),
  z.object({ kind: z.literal('tombstone'), seq: z.number().int().positive(), uscc: UsccSchema }),
]);
export type EnterpriseChangeEnvelope = z.infer<typeof EnterpriseChangeEnvelopeSchema>;

/** One upsert line of the feed, record included (what the app's byte validator is compiled from). */
export const EnterpriseUpsertSchema = z.object({
  kind: z.literal('upsert'),
  seq: z.number().int().positive(),
  enterprise: EnterpriseSchema,
});

export const EnterpriseChangeSchema = z.discriminatedUnion('kind', [
  EnterpriseUpsertSchema,
  z.object({ kind: z.literal('tombstone'), seq: z.number().int().positive(), uscc: UsccSchema }),
]);
export type EnterpriseChange = z.infer<typeof EnterpriseChangeSchema>;

export const EnterpriseFeedPageSchema = feedPageSchema(EnterpriseChangeEnvelopeSchema);
export type EnterpriseFeedPage = z.infer<typeof EnterpriseFeedPageSchema>;
