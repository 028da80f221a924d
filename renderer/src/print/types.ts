/**
 * Inputs of the three on-site documents, built from the shared protocol types.
 * Every builder parses its input with these schemas first, so a document is never laid out from
 * half-valid data (a missing 执法证号 fails loudly instead of printing a blank).
 */
import { z } from 'zod';
import { CHECK_METHODS } from '../../../shared/domain/results.js';
import { IdSchema, IsoDateSchema, IsoDateTimeSchema, Sha256Schema } from '../../../shared/protocol/common.js';
import { EnterpriseSchema } from '../../../shared/protocol/enterprises.js';
import { ResultPayloadSchema } from '../../../shared/protocol/results.js';
import { TaskSchema } from '../../../shared/protocol/tasks.js';
import type { DocType } from '../../../shared/protocol/docnumbers.js';
import type {
  DirectiveInput,
  EvidenceListInput,
  FoodResultInput,
  PreservationInput,
  QuestioningInput,
  ServiceProofInput,
} from './case.types.js';

/** The part of the credit file a document prints about the party. */
export const PartySchema = EnterpriseSchema.pick({
  name: true,
  uscc: true,
  address: true,
  legalRep: true,
  phone: true,
});
export type Party = z.infer<typeof PartySchema>;

export const AuthoritySchema = z.object({
  /** Full name printed under the title, e.g. 温州市市场监督管理局. */
  name: z.string().min(1),
  address: z.string(),
  phone: z.string(),
});
export type Authority = z.infer<typeof AuthoritySchema>;

/** Where the QR code points: `<platformUrl>/public/verify?result=<resultId>&hash=<contentHash>`. */
export const VerificationSchema = z.object({
  platformUrl: z.url({ protocol: /^https?$/ }),
  resultId: IdSchema,
  contentHash: Sha256Schema,
});
export type Verification = z.infer<typeof VerificationSchema>;

/** What every document carries besides its body. */
export const DocumentMetaSchema = z.object({
  authority: AuthoritySchema,
  /** Number taken from the device's reserved block, e.g. 温市监检通〔2026〕0012号. */
  docNo: z.string().min(1, '缺少文书编号'),
  /** Date printed above the seal (落款日期). Passed in: builders never read the clock. */
  issuedOn: IsoDateSchema,
  verification: VerificationSchema,
  /** Template version the deployment uses for this type (from the reference data), printed small in the footer. */
  template: z.string().min(1).optional(),
});
export type DocumentMeta = z.infer<typeof DocumentMetaSchema>;

const ContactSchema = z.object({ name: z.string().min(1, '缺少联系人'), phone: z.string().min(1, '缺少联系电话') });

export const NoticeInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  /** Planned inspection window (检查时间). */
  inspectFrom: IsoDateSchema,
  inspectTo: IsoDateSchema,
  methods: z.array(z.enum(CHECK_METHODS)).min(1, '请至少选择一种检查方式'),
  materials: z.array(z.string().min(1)),
  contact: ContactSchema,
  /** 送达方式, e.g. 直接送达 / 电话告知. */
  delivery: z.string().min(1),
});
export type NoticeInput = z.infer<typeof NoticeInputSchema>;

/** A captured signature: drawn on the pad (PNG data URL) or left blank for pen on paper. */
export const SignatureSchema = z.object({
  name: z.string().min(1),
  imageDataUrl: z
    .string()
    .regex(/^data:image\/(png|jpeg);base64,/, '签名图片格式不正确')
    .nullable(),
  signedAt: IsoDateTimeSchema.nullable(),
});
export type Signature = z.infer<typeof SignatureSchema>;

/** The person who received the inspectors on site (当事人或现场负责人). */
export const PresentPersonSchema = z.object({
  name: z.string().min(1),
  post: z.string().min(1),
  idNo: z.string().min(1),
  phone: z.string(),
});

export const PartySignatureSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('signed'), signature: SignatureSchema }),
  z.object({
    kind: z.literal('refused'),
    /** What was said or done, recorded in the 笔录 (拒绝签字的情况). */
    note: z.string().min(1),
    witness: z.object({ name: z.string().min(1), idNo: z.string().min(1), signature: SignatureSchema }),
  }),
]);
export type PartySignature = z.infer<typeof PartySignatureSchema>;

export const EvidenceSchema = z.object({
  kind: z.enum(['photo', 'video', 'audio', 'copy', 'sample', 'other']),
  description: z.string().min(1),
  count: z.number().int().positive(),
});
export type Evidence = z.infer<typeof EvidenceSchema>;

export const RecordInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  result: ResultPayloadSchema,
  place: z.string().min(1, '缺少检查地点'),
  present: PresentPersonSchema,
  credentialShown: z.boolean(),
  rightsExplained: z.boolean(),
  /** 是否申请回避 and the party's answer, recorded verbatim. */
  recusal: z.object({ requested: z.boolean(), answer: z.string().min(1) }),
  evidence: z.array(EvidenceSchema),
  inspectorSignatures: z.array(SignatureSchema).min(2, '检查人员不得少于两人'),
  partySignature: PartySignatureSchema,
  recorder: z.string().min(1, '缺少记录人'),
});
export type RecordInput = z.infer<typeof RecordInputSchema>;

export const RectificationInputSchema = DocumentMetaSchema.extend({
  task: TaskSchema,
  party: PartySchema,
  result: ResultPayloadSchema,
  /** Overall deadline; per-finding deadlines from the result are printed when they differ. */
  deadline: IsoDateSchema,
  /** How and where to report the correction back (整改情况报告方式). */
  reportBack: z.string().min(1),
  /** Remedies the party has (申请行政复议 / 提起行政诉讼), printed as the closing paragraph. */
  remedies: z.string(),
});
export type RectificationInput = z.infer<typeof RectificationInputSchema>;

/** The kinds this build lays out (a subset of the numbered document types). */
export const DOCUMENT_KINDS = [
  'notice',
  'record',
  'rectification',
  'questioning',
  'evidence',
  'preservation',
  'service',
  'directive',
  'foodResult',
] as const satisfies readonly DocType[];
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentInputs {
  notice: NoticeInput;
  record: RecordInput;
  rectification: RectificationInput;
  questioning: QuestioningInput;
  evidence: EvidenceListInput;
  preservation: PreservationInput;
  service: ServiceProofInput;
  directive: DirectiveInput;
  foodResult: FoodResultInput;
}
