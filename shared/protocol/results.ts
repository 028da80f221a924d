/**
 * Upstream: the finalized result, its PUT body and the platform's receipt.
 * The content hash is SHA-256 over canonicalJson(ResultPayload).
 */
import { z } from 'zod';
import {
  CHECK_METHODS,
  FINDING_HANDLINGS,
  FOLLOW_UPS,
  ITEM_OUTCOMES,
  RESULT_CODES,
  resultCodesError,
} from '../domain/results.js';
import { FINDING_FOLLOW_UP_STATES } from '../domain/follow-up.js';
import { CLIPS_PER_FILE_MAX, CLIP_NOTE_MAX, MEDIA_START_SOURCES } from '../domain/media-clips.js';
import { IdSchema, IsoDateSchema, IsoDateTimeSchema, Sha256Schema, UsccSchema } from './common.js';
import { SignatureB64Schema } from './devices.js';

const ConditionStateSchema = z.enum(['met', 'not-met', 'inspector']);

/**
 * The inspector's decision on a finding that matched the lenient list. `conditions` and
 * `listVersion` were added later (optional: older payloads hash the same).
 */
export const LenientDecisionSchema = z.object({
  code: z.string(),
  applied: z.boolean(),
  reason: z.string(),
  listVersion: z.string().optional(),
  /** What the record and the inspector said about each condition when deciding. */
  conditions: z
    .object({
      firstViolation: ConditionStateSchema.optional(),
      minorHarm: ConditionStateSchema.optional(),
      correctedInTime: ConditionStateSchema.optional(),
    })
    .optional(),
});
export type LenientDecisionPayload = z.infer<typeof LenientDecisionSchema>;

export const FindingSchema = z.object({
  description: z.string().min(1, '请填写发现的问题'),
  legalBasis: z.string(),
  severity: z.enum(['general', 'key']),
  handling: z.enum(FINDING_HANDLINGS),
  rectifyDeadline: IsoDateSchema.nullable(),
  /** Lenient-list entry the inspector applied (首违不罚 / 轻微违法不予处罚), if any. */
  lenient: LenientDecisionSchema.nullable(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const ItemResultSchema = z.object({
  itemCode: z.string().min(1),
  outcome: z.enum(ITEM_OUTCOMES),
  note: z.string().max(2000),
  finding: FindingSchema.nullable(),
});
export type ItemResult = z.infer<typeof ItemResultSchema>;

export const ResultCodesSchema = z.array(z.enum(RESULT_CODES)).superRefine((codes, ctx) => {
  const err = resultCodesError(codes);
  if (err) ctx.addIssue({ code: 'custom', message: err });
});

/** A signature on the on-site record (inspectors with 执法证号; the party, or its refusal and a witness). */
export const SignatureRefSchema = z.object({
  slot: z.string().min(1),
  role: z.enum(['inspector', 'party']),
  name: z.string(),
  certNo: z.string().nullable(),
  post: z.string().nullable(),
  idNo: z.string().nullable(),
  refused: z.boolean(),
  refusalNote: z.string().nullable(),
  witness: z.object({ name: z.string().min(1), idNo: z.string() }).nullable(),
  /** The PNG of the drawn signature (the witness's when the party refused). */
  attachmentId: IdSchema.nullable(),
  sha256: Sha256Schema.nullable(),
  signedAt: IsoDateTimeSchema.nullable(),
});
export type SignatureRef = z.infer<typeof SignatureRefSchema>;

export const EvidencePlaceSchema = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('geolocation'),
    lat: z.number().min(-90).max(90),
    lon: z.number().min(-180).max(180),
    accuracyM: z.number().nonnegative(),
    fixedAt: IsoDateTimeSchema,
  }),
  z.object({
    source: z.literal('registered-address'),
    address: z.string(),
    reason: z.enum(['denied', 'unavailable']),
  }),
]);

export const ExifSummarySchema = z.object({
  takenAt: IsoDateTimeSchema.nullable(),
  lat: z.number().nullable(),
  lon: z.number().nullable(),
  device: z.string().max(200).nullable(),
});

/**
 * A body-camera or audio file: its length and recorded time range, and the clips the inspector
 * marked (seconds from the start, inside the recording, with a note). The file stays whole.
 */
export const MediaRefSchema = z
  .object({
    durationS: z.number().nonnegative().nullable(),
    startedAt: IsoDateTimeSchema.nullable(),
    endedAt: IsoDateTimeSchema.nullable(),
    startSource: z.enum(MEDIA_START_SOURCES),
    clips: z
      .array(
        z.object({
          fromS: z.number().nonnegative(),
          toS: z.number().positive(),
          note: z.string().trim().min(1, '片段须有说明').max(CLIP_NOTE_MAX),
        }),
      )
      .max(CLIPS_PER_FILE_MAX),
  })
  .superRefine((m, ctx) => {
    m.clips.forEach((c, i) => {
      if (c.toS <= c.fromS) ctx.addIssue({ code: 'custom', path: ['clips', i], message: '片段结束时间须晚于开始时间' });
      else if (m.durationS !== null && c.toS > m.durationS + 0.001)
        ctx.addIssue({ code: 'custom', path: ['clips', i], message: '片段超出录像时长' });
    });
  });
export type MediaRef = z.infer<typeof MediaRefSchema>;

/** Evidence listed in the payload, so the content hash covers each file's SHA-256. */
export const EvidenceRefSchema = z
  .object({
    id: IdSchema,
    kind: z.enum(['photo', 'scan', 'video', 'audio']),
    sha256: Sha256Schema,
    size: z.number().int().nonnegative(),
    mime: z.string(),
    caption: z.string().max(500),
    capturedAt: IsoDateTimeSchema,
    /*
     * Place, clock and EXIF were added later: optional, so earlier payloads parse and hash unchanged.
     * `clockSkewMs` is platform − device clock (ms) as last measured, null when never measured.
     */
    clockSkewMs: z.number().int().nullable().optional(),
    place: EvidencePlaceSchema.optional(),
    exif: ExifSummarySchema.nullable().optional(),
    /** How the photo's EXIF disagrees with this record, in words (shown, never hidden). */
    exifDifferences: z.array(z.string()).optional(),
    /** A marked-up copy names the evidence it was drawn on; that original stays in the record unaltered. */
    annotationOf: z.object({ id: IdSchema, sha256: Sha256Schema }).optional(),
    /** Video and audio only (present exactly for those kinds). */
    media: MediaRefSchema.optional(),
  })
  .superRefine((e, ctx) => {
    const isMedia = e.kind === 'video' || e.kind === 'audio';
    if (isMedia !== (e.media !== undefined))
      ctx.addIssue({ code: 'custom', path: ['media'], message: '录像和录音须带时长与片段信息，照片和扫描件不带' });
  });
export type EvidenceRef = z.infer<typeof EvidenceRefSchema>;

/** Longest note on how an irregular USCC compares with the licence (usccCheck.note). */
export const USCC_NOTE_MAX = 500;

/**
 * A 复查 (follow-up check) names the result whose findings it re-checked and what it found for each
 * (by item code). The platform closes the findings it covers and publishes the outcome beside the
 * original result.
 */
export const FollowUpOfSchema = z.object({
  resultId: IdSchema,
  findings: z
    .array(
      z.object({ itemCode: z.string().min(1), state: z.enum(FINDING_FOLLOW_UP_STATES), note: z.string().max(2000) }),
    )
    .min(1, '复查至少应涉及一项原发现问题'),
  /** Special equipment: the day the unit's rectification report was received (starts the 10-working-day clock). */
  rectificationReportOn: IsoDateSchema.nullable(),
});
export type FollowUpOf = z.infer<typeof FollowUpOfSchema>;

/** What the inspector recorded and finalized: the part the content hash covers. */
export const ResultPayloadSchema = z.object({
  resultId: IdSchema,
  taskId: IdSchema,
  enterpriseUscc: UsccSchema,
  inspectedOn: IsoDateSchema,
  startedAt: IsoDateTimeSchema,
  finishedAt: IsoDateTimeSchema,
  inspectorIds: z.array(IdSchema).min(2, '检查人员不得少于两人'),
  itemResults: z.array(ItemResultSchema).min(1),
  findings: z.string().max(10_000),
  resultCodes: ResultCodesSchema,
  checkMethods: z.array(z.enum(CHECK_METHODS)).min(1, '请至少选择一种核查方式'),
  followUps: z.array(z.enum(FOLLOW_UPS)),
  /** A correction names the finalized result it replaces; both are kept. */
  replaces: IdSchema.nullable(),
  publicationDeadline: IsoDateSchema,
  /** Added later; optional so earlier payloads parse and hash unchanged. */
  signatures: z.array(SignatureRefSchema).optional(),
  evidence: z.array(EvidenceRefSchema).optional(),
  /** Names of items that came from a check template (e.g. 5·25) rather than the task. */
  templateItems: z
    .array(z.object({ code: z.string().min(1), name: z.string().min(1), template: z.string() }))
    .optional(),
  /**
   * The enterprise's 统一社会信用代码 failed its check (`issue`, as the app showed it) and the
   * inspector recorded how it compares with the business licence on site (`note`). Present exactly
   * when the code is irregular; optional so earlier payloads parse and hash unchanged.
   */
  usccCheck: z
    .object({
      issue: z.string().min(1).max(300),
      note: z.string().min(2, '请填写与营业执照原件核对的情况').max(USCC_NOTE_MAX),
    })
    .optional(),
  /** Set on a 复查 result only; optional so earlier payloads parse and hash unchanged. */
  followUpOf: FollowUpOfSchema.optional(),
});
export type ResultPayload = z.infer<typeof ResultPayloadSchema>;

export const AttachmentRefSchema = z.object({
  id: IdSchema,
  sha256: Sha256Schema,
  size: z.number().int().nonnegative(),
  mime: z.string(),
  uploadUrl: z.string().nullable(),
});

export const ResultUploadSchema = z.object({
  taskId: IdSchema,
  taskVersion: z.number().int().positive(),
  deviceId: IdSchema,
  deviceSeq: z.number().int().positive(),
  /** Device clock at finalize: informational only, flagged (not rejected) when skewed. */
  recordedAt: IsoDateTimeSchema,
  contentHash: Sha256Schema,
  payload: ResultPayloadSchema,
  attachments: z.array(AttachmentRefSchema),
  /**
   * The device's audit chain at finalize, signed by the device key: `signature` covers canonical
   * JSON of {resultId, contentHash, deviceId, deviceSeq, count, headHash} (shared/integrity/
   * checkpoint.ts); `keyId` names the registered key that verifies it.
   */
  auditCheckpoint: z.object({
    count: z.number().int().nonnegative(),
    headHash: z.string(),
    keyId: IdSchema,
    signature: SignatureB64Schema,
  }),
});
export type ResultUpload = z.infer<typeof ResultUploadSchema>;

/** `under_review`: 待审核 where the deployment reviews results; `returned`: 审核退回, never published, corrected instead. */
export const PUBLICATION_STATES = ['accepted', 'under_review', 'returned', 'published', 'held'] as const;
export type PublicationState = (typeof PUBLICATION_STATES)[number];

/**
 * Where the result sits in the platform's append-only transparency log: its leaf (RFC 6962 leaf
 * hash of canonicalJson({resultId, contentHash, attachmentHashes, auditCheckpoint})), the proof that
 * the leaf is in the tree of `treeSize` entries, and that tree's signed checkpoint (C2SP signed note).
 */
export const ReceiptLogSchema = z.object({
  index: z.number().int().nonnegative(),
  treeSize: z.number().int().positive(),
  leafHash: Sha256Schema,
  inclusionProof: z.array(Sha256Schema).max(64),
  checkpoint: z.string().min(1).max(4000),
});
export type ReceiptLog = z.infer<typeof ReceiptLogSchema>;

export const ReceiptSchema = z.object({
  resultId: IdSchema,
  receivedAt: IsoDateTimeSchema,
  contentHash: Sha256Schema,
  attachmentHashes: z.array(z.object({ id: IdSchema, sha256: Sha256Schema })),
  publication: z.object({
    state: z.enum(PUBLICATION_STATES),
    publishedAt: IsoDateTimeSchema.nullable(),
    deadline: IsoDateSchema,
  }),
  clockSkewFlagged: z.boolean(),
  /** The reviewer's note when the result was returned (审核退回); optional so earlier receipts parse. */
  review: z.object({ note: z.string().min(1), reviewedAt: IsoDateTimeSchema }).optional(),
  /** Optional so receipts stored before the log existed still parse; the app never calls such a result safe. */
  log: ReceiptLogSchema.optional(),
  /** Base64 Ed25519 signature of the platform's log key over RECEIPT_SIGNING_CONTEXT ‖ canonicalJson(receipt minus signature). */
  signature: z.string().max(200).optional(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

/** Prefix of the signed receipt bytes, so a receipt signature can never be taken for a checkpoint's. */
export const RECEIPT_SIGNING_CONTEXT = 'smart-inspect/receipt/v1\n';

/** `GET /v1/results/{id}/receipt`: lets the client learn the publication state later. */
export const ReceiptResponseSchema = ReceiptSchema;
