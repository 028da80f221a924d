/** Tasks feed: plans, check items, teams. */
import { z } from 'zod';
import { CertNoSchema } from './auth.js';
import { FOLLOW_UP_KINDS } from '../domain/follow-up.js';
import { IdSchema, IsoDateSchema, UsccSchema, feedPageSchema } from './common.js';

export const CheckItemSchema = z.object({
  code: z.string().min(1).max(32),
  name: z.string().min(1),
  /** Department code; a joint inspection (联合抽查) mixes items of several departments. */
  department: z.string().min(1),
  departmentName: z.string().min(1),
  legalBasis: z.string(),
  method: z.string(),
  key: z.boolean(),
});
export type CheckItem = z.infer<typeof CheckItemSchema>;

export const TeamMemberSchema = z.object({
  inspectorId: IdSchema,
  name: z.string().min(1),
  certNo: CertNoSchema,
  certExpiry: IsoDateSchema,
  role: z.enum(['leader', 'member', 'expert']),
});
export type TeamMember = z.infer<typeof TeamMemberSchema>;

export const PlanSchema = z.object({
  id: IdSchema,
  code: z.string().min(1),
  name: z.string().min(1),
  year: z.number().int(),
  targeted: z.boolean(),
  leadDept: z.string().min(1),
  crossDept: z.boolean(),
  start: IsoDateSchema,
  end: IsoDateSchema,
});
export type Plan = z.infer<typeof PlanSchema>;

export const TASK_STATUSES = ['assigned', 'cancelled', 'reassigned'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * A 复查 task: made on the device at finalize and by the platform when it accepts the result, with the
 * same id (followUpTaskId of the original result), so a sync merges the two.
 */
export const FollowUpTaskSchema = z.object({
  kind: z.enum(FOLLOW_UP_KINDS),
  originalResultId: IdSchema,
  originalTaskId: IdSchema,
  originalInspectedOn: IsoDateSchema,
  /** Null for a special-equipment order until the unit's rectification report is recorded. */
  deadline: IsoDateSchema.nullable(),
  rectificationReportOn: IsoDateSchema.nullable(),
  findings: z
    .array(
      z.object({
        itemCode: z.string().min(1),
        description: z.string(),
        rectifyDeadline: IsoDateSchema,
      }),
    )
    .min(1),
});
export type FollowUpTask = z.infer<typeof FollowUpTaskSchema>;

export const TaskSchema = z.object({
  id: IdSchema,
  taskNo: z.string().min(1),
  version: z.number().int().positive(),
  status: z.enum(TASK_STATUSES),
  plan: PlanSchema,
  enterprise: z.object({ uscc: UsccSchema, name: z.string().min(1), address: z.string() }),
  items: z.array(CheckItemSchema).min(1),
  team: z.array(TeamMemberSchema).min(1),
  dueDate: IsoDateSchema,
  /** Replayable draw: seed, algorithm version, hashes of the candidate and drawn lists. */
  draw: z.object({ seed: z.string(), algorithm: z.string(), candidateHash: z.string(), drawnHash: z.string() }),
  /** Present on a 复查 task only; optional so earlier task bodies parse unchanged. */
  followUp: FollowUpTaskSchema.optional(),
});
export type Task = z.infer<typeof TaskSchema>;

export const TaskChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('upsert'), seq: z.number().int().positive(), task: TaskSchema }),
  z.object({
    kind: z.literal('tombstone'),
    seq: z.number().int().positive(),
    id: IdSchema,
    version: z.number().int().positive(),
  }),
]);
export type TaskChange = z.infer<typeof TaskChangeSchema>;

export const TaskFeedPageSchema = feedPageSchema(TaskChangeSchema);
export type TaskFeedPage = z.infer<typeof TaskFeedPageSchema>;
