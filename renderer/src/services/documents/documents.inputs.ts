/**
 * Pure mapping from what is stored on the device (task, credit file, finalized result, session)
 * plus the inspector's form details to the print module's document inputs; form defaults; and
 * the document's own hash (what its QR carries).
 *
 * Decision (QR hash): every document's QR carries `result=<resultId>&hash=<docHash>`, where
 * docHash = SHA-256 of canonicalJson({kind, input}) with the input's own hash field blanked. The
 * notice is printed before any result exists, so it uses the draft's resultId (the result keeps
 * that id at finalize) and its own hash. The device reports docHash with the used number
 * (/v1/doc-numbers/report); the platform's verify page then matches either the result's content
 * hash or a document hash registered for that result, once the result has been uploaded.
 */
import { canonicalJson } from '../../../../shared/domain/canonical.js';
import { addDays, chinaDate } from '../../../../shared/domain/dates.js';
import type {
  DocType,
  Enterprise,
  Inspector,
  Reference,
  ResultPayload,
  Task,
} from '../../../../shared/protocol/index.js';
import type { DocumentInputs, DocumentKind, Party } from '../../print/index.js';
import type { NoticeDetails, RecordDetails, RectificationDetails } from '../api.js';

export interface DocumentContext {
  readonly task: Task;
  readonly enterprise: Enterprise | null;
  /** The reference data's document templates; null when no reference data has been synced yet. */
  readonly templates: Reference['documentTemplates'] | null;
  readonly result: ResultPayload | null;
  /** Documents already issued for the task (what a proof of service can name). */
  readonly issued: readonly { docId: string; kind: DocType; title: string; docNo: string; voided: boolean }[];
  /** The finalized result's content hash (what its own QR carries); null before finalize. */
  readonly resultHash: string | null;
  readonly inspector: Inspector;
  readonly platformUrl: string;
  readonly now: Date;
  /** Drawn signatures of the result by attachment id, as PNG/JPEG data URLs. */
  readonly signatureImages: ReadonlyMap<string, string>;
}

export interface Numbering {
  readonly docNo: string;
  readonly resultId: string;
}

const PLACEHOLDER_HASH = '0'.repeat(64);

export function partyOf(ctx: DocumentContext): Party {
  const e = ctx.enterprise;
  return {
    name: e?.name ?? ctx.task.enterprise.name,
    uscc: e?.uscc ?? ctx.task.enterprise.uscc,
    address: e?.address ?? ctx.task.enterprise.address,
    legalRep: e?.legalRep ?? '',
    phone: e?.phone ?? '',
  };
}

function meta(ctx: DocumentContext, n: Numbering) {
  return {
    authority: { name: ctx.inspector.unit, address: '', phone: '' },
    docNo: n.docNo,
    issuedOn: chinaDate(ctx.now),
    verification: { platformUrl: ctx.platformUrl, resultId: n.resultId, contentHash: PLACEHOLDER_HASH },
  };
}

/** Meta of the case documents: also the template version the deployment uses, printed in the footer. */
export function documentMeta(ctx: DocumentContext, n: Numbering, kind: DocType) {
  const template = ctx.templates?.find((t) => t.docType === kind)?.version;
  return { ...meta(ctx, n), ...(template ? { template } : {}) };
}

export function requireResult(ctx: DocumentContext): ResultPayload {
  if (!ctx.result) throw new Error('检查结果尚未定稿，不能出具该文书');
  return ctx.result;
}

export function noticeInput(ctx: DocumentContext, n: Numbering, d: NoticeDetails): DocumentInputs['notice'] {
  return {
    ...meta(ctx, n),
    task: ctx.task,
    party: partyOf(ctx),
    inspectFrom: d.inspectFrom,
    inspectTo: d.inspectTo,
    methods: d.methods,
    materials: d.materials.map((m) => m.trim()).filter(Boolean),
    contact: { name: d.contactName.trim(), phone: d.contactPhone.trim() },
    delivery: d.delivery.trim(),
  };
}

type SignatureRef = NonNullable<ResultPayload['signatures']>[number];

function captured(ctx: DocumentContext, ref: SignatureRef | undefined, name: string) {
  const image = ref?.attachmentId ? (ctx.signatureImages.get(ref.attachmentId) ?? null) : null;
  return { name, imageDataUrl: image, signedAt: image ? (ref?.signedAt ?? null) : null };
}

/** The inspectors' signatures as captured on the pad (a blank line for a pen when none). */
function inspectorSignatures(ctx: DocumentContext, result: ResultPayload) {
  const refs = (result.signatures ?? []).filter((s) => s.role === 'inspector');
  return result.inspectorIds.map((id) => {
    const member = ctx.task.team.find((m) => m.inspectorId === id);
    const ref =
      refs.find((r) => r.slot === `inspector-${id}`) ??
      refs.find((r) => r.certNo !== null && r.certNo === member?.certNo);
    return captured(ctx, ref, member?.name ?? ref?.name ?? id);
  });
}

export function recordInput(ctx: DocumentContext, n: Numbering, d: RecordDetails): DocumentInputs['record'] {
  const result = requireResult(ctx);
  const partyRef = result.signatures?.find((s) => s.role === 'party');
  const present = {
    name: d.presentName.trim(),
    post: d.presentPost.trim(),
    idNo: d.presentIdNo.trim(),
    phone: d.presentPhone.trim(),
  };
  const witness = d.witnessName.trim();
  return {
    ...meta(ctx, n),
    task: ctx.task,
    party: partyOf(ctx),
    result,
    place: d.place.trim(),
    present,
    credentialShown: d.credentialShown,
    rightsExplained: d.rightsExplained,
    recusal: { requested: d.recusalRequested, answer: d.recusalAnswer.trim() },
    evidence: d.evidence.filter((e) => e.description.trim() && e.count > 0),
    inspectorSignatures: inspectorSignatures(ctx, result),
    partySignature: d.partyRefused
      ? {
          kind: 'refused',
          note: d.refusalNote.trim(),
          witness: {
            name: witness,
            idNo: d.witnessIdNo.trim(),
            signature: captured(ctx, partyRef?.refused ? partyRef : undefined, witness),
          },
        }
      : {
          kind: 'signed',
          signature: captured(ctx, partyRef && !partyRef.refused ? partyRef : undefined, present.name),
        },
    recorder: d.recorder.trim(),
  };
}

export function rectificationInput(
  ctx: DocumentContext,
  n: Numbering,
  d: RectificationDetails,
): DocumentInputs['rectification'] {
  return {
    ...meta(ctx, n),
    task: ctx.task,
    party: partyOf(ctx),
    result: requireResult(ctx),
    deadline: d.deadline,
    reportBack: d.reportBack.trim(),
    remedies: d.remedies.trim(),
  };
}

/** True when the result has a finding to be corrected within a deadline (责令限期改正). */
export function needsRectification(result: ResultPayload | null): boolean {
  return !!result?.itemResults.some((i) => i.finding?.handling === 'rectify');
}

export function noticeDefaults(ctx: DocumentContext): NoticeDetails {
  const today = chinaDate(ctx.now);
  return {
    inspectFrom: today,
    inspectTo: ctx.task.dueDate >= today ? ctx.task.dueDate : today,
    methods: ['ON_SITE', 'DOCUMENTS'],
    materials: [
      '营业执照副本及法定代表人身份证明',
      '企业年度报告相关材料（资产负债表、纳税证明等）',
      '与抽查事项有关的许可证件、台账及其他资料',
    ],
    contactName: ctx.inspector.name,
    contactPhone: '',
    delivery: '直接送达',
  };
}

/** Evidence rows from the result's photos and scans (captions as the description). */
function evidenceDefaults(result: ResultPayload | null): RecordDetails['evidence'] {
  const files = result?.evidence ?? [];
  const rows: RecordDetails['evidence'] = [];
  const photos = files.filter((f) => f.kind === 'photo');
  const scans = files.filter((f) => f.kind === 'scan');
  const describe = (list: typeof files, fallback: string) =>
    list
      .map((f) => f.caption.trim())
      .filter(Boolean)
      .join('；') || fallback;
  if (photos.length > 0)
    rows.push({ kind: 'photo', description: describe(photos, '现场检查照片'), count: photos.length });
  if (scans.length > 0)
    rows.push({ kind: 'copy', description: describe(scans, '有关证照及资料的扫描件'), count: scans.length });
  return rows;
}

export function recordDefaults(ctx: DocumentContext): RecordDetails {
  const p = partyOf(ctx);
  const party = ctx.result?.signatures?.find((s) => s.role === 'party');
  const signed = party && !party.refused ? party : null;
  return {
    place: p.address,
    presentName: signed?.name || p.legalRep,
    presentPost: signed?.post || '法定代表人',
    presentIdNo: signed?.idNo ?? '',
    presentPhone: p.phone,
    credentialShown: true,
    rightsExplained: true,
    recusalRequested: false,
    recusalAnswer: '不申请回避',
    evidence: evidenceDefaults(ctx.result),
    partyRefused: party?.refused ?? false,
    refusalNote: party?.refusalNote ?? '',
    witnessName: party?.witness?.name ?? '',
    witnessIdNo: party?.witness?.idNo ?? '',
    recorder: ctx.inspector.name,
  };
}

export function rectificationDefaults(ctx: DocumentContext): RectificationDetails {
  const own = ctx.result?.itemResults
    .map((i) => i.finding?.rectifyDeadline ?? null)
    .filter((d): d is string => d !== null)
    .sort();
  return {
    deadline: own?.at(-1) ?? addDays(chinaDate(ctx.now), 15),
    reportBack: `请于期限届满前将整改情况书面报告${ctx.inspector.unit}${ctx.inspector.station}，并附相关证明材料。`,
    remedies: '你单位如对本通知不服，可以在收到本通知之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。',
  };
}

/** What the document's hash covers: everything it prints except the hash itself. */
export function hashText<K extends DocumentKind>(kind: K, input: DocumentInputs[K]): string {
  return canonicalJson({ kind, input: { ...input, verification: { ...input.verification, contentHash: '' } } });
}
