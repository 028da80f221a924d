/** Reference data (`GET /v1/reference`, with ETag). */
import { z } from 'zod';
import { WARNING_COLORS } from '../domain/credit.js';
import { CHECK_METHODS, FOLLOW_UPS, RESULT_CODES } from '../domain/results.js';
import { IsoDateSchema } from './common.js';
import { CheckItemSchema } from './tasks.js';

export const LenientEntrySchema = z.object({
  code: z.string(),
  violation: z.string(),
  /** Item codes whose findings this entry may cover. */
  itemCodes: z.array(z.string()),
  legalBasis: z.string(),
  penaltyBasis: z.string(),
  conditions: z.object({
    firstViolation: z.boolean(),
    minorHarm: z.boolean(),
    correctWithinDays: z.number().int().nonnegative(),
  }),
  /** 'mandatory' = 轻微违法不予处罚; 'discretionary' = 首违可不罚. */
  kind: z.enum(['mandatory', 'discretionary']),
  effectiveFrom: IsoDateSchema,
  /**
   * Last day the entry applies (inclusive); null or absent = still in force. Optional so that reference
   * data stored before lists carried an end date still parses.
   */
  effectiveTo: IsoDateSchema.nullable().optional(),
  /** The published list (and its revision) this entry belongs to; named in the recorded decision. */
  listVersion: z.string(),
});
export type LenientEntry = z.infer<typeof LenientEntrySchema>;

/**
 * A check template the inspector may add on site beside the task's items (the special-equipment 5·25
 * responsibility list). Versioned: a result names the template id and version its items came from.
 */
export const CheckTemplateSchema = z.object({
  id: z.string().min(1),
  version: z.string().min(1),
  title: z.string().min(1),
  /** Department code the added items are filed under (kept apart from the task's own departments). */
  department: z.string().min(1),
  departmentName: z.string().min(1),
  legalBasis: z.string(),
  method: z.string(),
  items: z
    .array(z.object({ code: z.string().min(1), name: z.string().min(1), key: z.boolean() }))
    .min(1)
    .refine((items) => new Set(items.map((i) => i.code)).size === items.length, '模板事项编码不能重复'),
});
export type CheckTemplate = z.infer<typeof CheckTemplateSchema>;

/**
 * The four-colour warning scheme (四色预警): which departments' enterprises carry a colour, what each
 * colour means, what the checklist does about it, and the conditions that set a colour. Versioned,
 * because the colours' meanings are a local choice that changes.
 */
export const WarningSchemeSchema = z.object({
  version: z.string().min(1),
  /** Departments (food, special equipment) whose enterprises carry a colour; others never do. */
  departments: z.array(z.object({ code: z.string().min(1), name: z.string().min(1) })).min(1),
  levels: z
    .array(
      z.object({
        color: z.enum(WARNING_COLORS),
        label: z.string().min(1),
        meaning: z.string().min(1),
        /** The checklist asks the inspector to verify every key item of an enterprise at this level. */
        checkKeyItems: z.boolean(),
      }),
    )
    .min(1)
    .refine((levels) => new Set(levels.map((l) => l.color)).size === levels.length, '预警颜色不能重复'),
  triggers: z.array(
    z.object({
      code: z.string().min(1),
      department: z.string().min(1),
      color: z.enum(WARNING_COLORS),
      condition: z.string().min(1),
    }),
  ),
});
export type WarningScheme = z.infer<typeof WarningSchemeSchema>;

export const ReferenceSchema = z.object({
  version: z.string(),
  resultCodes: z.array(z.object({ code: z.enum(RESULT_CODES), label: z.string() })),
  checkMethods: z.array(z.object({ code: z.enum(CHECK_METHODS), label: z.string() })),
  followUps: z.array(z.object({ code: z.enum(FOLLOW_UPS), label: z.string() })),
  departments: z.array(z.object({ code: z.string(), name: z.string() })),
  items: z.array(CheckItemSchema),
  lenientList: z.array(LenientEntrySchema),
  calendar: z.object({ holidays: z.array(IsoDateSchema), workdays: z.array(IsoDateSchema) }),
  publicationWorkingDays: z.number().int().positive(),
  /** Document types this deployment uses and their template versions (unknown types are ignored). */
  documentTemplates: z.array(z.object({ docType: z.string(), version: z.string().min(1) })),
  /**
   * This deployment reviews every result before it is published (待审核 → 已公示, or 审核退回 with the
   * reviewer's note). Optional: absent means no review, and earlier reference data parses unchanged.
   */
  reviewBeforePublication: z.boolean().optional(),
  /** Check templates (5·25); optional: reference data stored before templates were served has none. */
  checkTemplates: z.array(CheckTemplateSchema).optional(),
  /** Optional: reference data stored before the scheme was served has none (then no warning hints). */
  warningScheme: WarningSchemeSchema.optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;
