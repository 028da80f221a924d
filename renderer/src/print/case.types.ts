/**
 * Inputs of the case documents (SAMR 2021 文书格式范本, own layouts and wording): the questioning
 * record, the evidence list, the preservation notice, the proof of service, the special-equipment
 * order and the food inspection result record. Parsed before layout like the on-site documents.
 */
import { z } from 'zod';
import { IsoDateSchema, IsoDateTimeSchema, Sha256Schema } from '../../../shared/protocol/common.js';
import { ResultPayloadSchema } from '../../../shared/protocol/results.js';
import { TaskSchema, TeamMemberSchema } from '../../../shared/protocol/tasks.js';
import { DocumentMetaSchema, PartySchema, PartySignatureSchema, SignatureSchema } from './types.js';

const Officer = TeamMemberSchema.pick({ name: true, certNo: true });
const officers = z.array(Officer).min(2, '执法人员不得少于两人');
const inspectorSignatures = z.array(SignatureSchema).min(2, '检查人员不得少于两人');

/** One question and its answer, typed on site in the order asked. */
export const QaSchema = z.object({
  q: z.string().trim().min(1, '问题不能为空'),
  a: z.string().trim().min(1, '回答不能为空（未回答请记录“未回答”）'),
});
export type Qa = z.infer<typeof QaSchema>;

export const QuestioningInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  person: z.object({
    name: z.string().min(1, '缺少被询问人姓名'),
    sex: z.enum(['男', '女']),
    age: z.number().int().min(14, '被询问人年龄不正确').max(120, '被询问人年龄不正确'),
    idNo: z.string().min(1, '缺少被询问人身份证件号码'),
    /** 工作单位及职务, or the relation to the party. */
    post: z.string().min(1, '缺少被询问人工作单位及职务'),
    phone: z.string(),
    address: z.string(),
  }),
  place: z.string().min(1, '缺少询问地点'),
  startedAt: IsoDateTimeSchema,
  finishedAt: IsoDateTimeSchema,
  officers,
  recorder: z.string().min(1, '缺少记录人'),
  /** The person's answer to the rights notice, verbatim (e.g. 听清楚了). */
  rightsAnswer: z.string().min(1, '请记录被询问人对权利义务告知的回答'),
  recusal: z.object({ requested: z.boolean(), answer: z.string().min(1) }),
  qa: z.array(QaSchema).min(1, '请至少记录一问一答'),
  /** The person's own closing words (以上笔录我看过，与我说的相符). */
  confirmation: z.string().min(1, '缺少被询问人核对意见'),
  personSignature: PartySignatureSchema,
  inspectorSignatures,
});
export type QuestioningInput = z.infer<typeof QuestioningInputSchema>;

/** An item of evidence as captured on the device: its file's hash is what the list vouches for. */
export const EvidenceItemSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['photo', 'scan', 'video', 'audio', 'copy', 'sample', 'other']),
  description: z.string().min(1, '请填写证据名称或内容'),
  capturedAt: IsoDateTimeSchema,
  /** SHA-256 of the captured file; null for paper copies and physical items. */
  sha256: Sha256Schema.nullable(),
  count: z.number().int().positive(),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const EvidenceListInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  place: z.string().min(1, '缺少提取地点'),
  takenAt: IsoDateTimeSchema,
  items: z.array(EvidenceItemSchema).min(1, '请至少列出一项证据'),
  officers,
  partySignature: PartySignatureSchema,
  inspectorSignatures,
});
export type EvidenceListInput = z.infer<typeof EvidenceListInputSchema>;

export const PreservationInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  /** Why the evidence may be lost or hard to obtain later (证据可能灭失或者以后难以取得的情形). */
  reason: z.string().min(1, '缺少先行登记保存的理由'),
  legalBasis: z.string().min(1, '缺少法律依据'),
  items: z
    .array(
      z.object({
        name: z.string().min(1),
        spec: z.string(),
        quantity: z.string().min(1, '缺少数量'),
        note: z.string(),
      }),
    )
    .min(1, '请至少列出一项登记保存的物品'),
  keptAt: z.string().min(1, '缺少保存地点'),
  keptBy: z.string().min(1, '缺少保存人'),
  from: IsoDateSchema,
  to: IsoDateSchema,
  remedies: z.string(),
});
export type PreservationInput = z.infer<typeof PreservationInputSchema>;

export const ServiceProofInputSchema = DocumentMetaSchema.extend({
  party: PartySchema,
  /** The documents served, by title and number. */
  served: z.array(z.object({ title: z.string().min(1), docNo: z.string().min(1) })).min(1, '请选择送达的文书'),
  place: z.string().min(1, '缺少送达地点'),
  method: z.enum(['direct', 'left', 'mail', 'electronic', 'entrusted']),
  servedAt: IsoDateTimeSchema,
  server: z.array(z.string().min(1)).min(2, '送达人不得少于两人'),
  receipt: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('received'),
      recipient: z.string().min(1, '缺少受送达人（签收人）'),
      /** Empty when the party itself signed; else e.g. 同住成年家属 / 收发室. */
      relation: z.string(),
      signature: SignatureSchema,
    }),
    z.object({
      kind: z.literal('refused'),
      note: z.string().min(1, '请记录拒收情况'),
      witness: z.object({
        name: z.string().min(1, '留置送达须有见证人'),
        idNo: z.string(),
        signature: SignatureSchema,
      }),
    }),
  ]),
});
export type ServiceProofInput = z.infer<typeof ServiceProofInputSchema>;

export const DirectiveInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  result: ResultPayloadSchema,
  /** The equipment concerned (设备名称、注册代码、使用地点). */
  equipment: z.array(z.object({ name: z.string().min(1), regCode: z.string(), location: z.string() })),
  problems: z.array(z.string().min(1)).min(1, '请列出发现的问题'),
  measures: z.array(z.string().min(1)).min(1, '请列出指令采取的措施'),
  deadline: IsoDateSchema,
  /** Whether the equipment must stop until the hazard is removed (停止使用). */
  stopUse: z.boolean(),
  officers,
  partySignature: PartySignatureSchema,
  remedies: z.string(),
});
export type DirectiveInput = z.infer<typeof DirectiveInputSchema>;

export const FOOD_OUTCOMES = ['compliant', 'basic', 'noncompliant'] as const;
export const FoodResultInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  result: ResultPayloadSchema,
  /** 许可证编号 (food business licence). */
  licenceNo: z.string(),
  outcome: z.enum(FOOD_OUTCOMES),
  /** Counts of key (重点) and general items checked / with problems. */
  keyChecked: z.number().int().nonnegative(),
  keyProblems: z.number().int().nonnegative(),
  generalChecked: z.number().int().nonnegative(),
  generalProblems: z.number().int().nonnegative(),
  handling: z.string().min(1, '缺少结果处理意见'),
  officers,
  inspectedOn: IsoDateSchema,
});
export type FoodResultInput = z.infer<typeof FoodResultInputSchema>;
