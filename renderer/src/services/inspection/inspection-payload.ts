/**
 * Draft ↔ stored row ↔ ResultPayload for the inspection service. The payload carries the lenient
 * decisions (with the condition states at finalize), the signatures and the evidence list with
 * each file's SHA-256, so the content hash covers the attachments too. Pure except for types.
 */
import { lenientConditions, matchLenient, type LenientHistory } from '../../../../shared/domain/lenient.js';
import { templateItemNames } from '../../../../shared/domain/check-template.js';
import { exifDifferences } from '../../../../shared/domain/evidence-meta.js';
import { usccCheckFailure } from '../../../../shared/domain/uscc.js';
import type { FindingFollowUpState } from '../../../../shared/domain/follow-up.js';
import type {
  EvidenceRef,
  FollowUpOf,
  Reference,
  ResultPayload,
  SignatureRef,
  Task,
} from '../../../../shared/protocol/index.js';
import type { AttachmentRow, DraftRow } from '../../db/index.js';
import type { Draft, DraftItem, DraftSignature } from '../api.js';

export function toDraft(row: DraftRow): Draft {
  return {
    taskId: row.taskId,
    resultId: row.resultId,
    startedAt: row.startedAt,
    inspectedOn: row.inspectedOn,
    items: row.items.map((i) => ({
      ...i,
      finding: i.finding ? { ...i.finding, lenient: i.finding.lenient ? { ...i.finding.lenient } : null } : null,
    })),
    findings: row.findings,
    resultCodes: [...row.resultCodes],
    checkMethods: [...row.checkMethods],
    followUps: [...row.followUps],
    replaces: row.replaces,
    updatedAt: row.updatedAt,
    captions: { ...(row.captions ?? {}) },
    signatures: (row.signatures ?? []).map((s) => ({ ...s })),
    templates: [...(row.templates ?? [])],
    usccNote: row.usccNote ?? '',
  };
}

/** Signature slots for a task: every inspector who is not only an expert, then the party. */
export function signatureSlots(task: Task): DraftSignature[] {
  const blank = {
    post: '',
    idNo: '',
    refused: false,
    refusalNote: '',
    witnessName: '',
    witnessIdNo: '',
    attachmentId: null,
    signedAt: null,
  };
  const inspectors = task.team
    .filter((m) => m.role !== 'expert')
    .map((m): DraftSignature => ({
      ...blank,
      slot: `inspector-${m.inspectorId}`,
      role: 'inspector',
      name: m.name,
      certNo: m.certNo,
    }));
  return [...inspectors, { ...blank, slot: 'party', role: 'party', name: '', certNo: '' }];
}

/** Existing signatures kept by slot; slots of the current team added (a reassigned team shows new slots). */
export function withSlots(current: readonly DraftSignature[], task: Task): DraftSignature[] {
  return signatureSlots(task).map((s) => current.find((c) => c.slot === s.slot) ?? s);
}

function lenientPayload(
  item: DraftItem,
  reference: Reference | null,
  history: LenientHistory,
  inspectedOn: string,
): NonNullable<ResultPayload['itemResults'][number]['finding']>['lenient'] {
  const l = item.finding?.lenient;
  if (!item.finding || !l || !l.code || l.decision === '') return null;
  const entry = matchLenient(item.itemCode, reference?.lenientList ?? [], inspectedOn).find((e) => e.code === l.code);
  const checks = entry ? lenientConditions(entry, history, item.finding, inspectedOn) : [];
  const state = (key: string): 'met' | 'not-met' | 'inspector' | undefined => checks.find((c) => c.key === key)?.state;
  const minor = entry?.conditions.minorHarm ? (l.minorHarm ? 'met' : 'not-met') : undefined;
  const conditions = Object.fromEntries(
    Object.entries({
      firstViolation: state('firstViolation'),
      minorHarm: minor,
      correctedInTime: state('correctedInTime'),
    }).filter(([, v]) => v !== undefined),
  );
  return {
    code: l.code,
    applied: l.decision === 'apply',
    reason: l.reason,
    ...(entry ? { listVersion: entry.listVersion } : {}),
    conditions,
  };
}

function signatureRefs(
  signatures: readonly DraftSignature[],
  files: ReadonlyMap<string, AttachmentRow>,
): SignatureRef[] {
  return signatures.map((s) => {
    const file = s.attachmentId ? files.get(s.attachmentId) : undefined;
    const party = s.role === 'party';
    return {
      slot: s.slot,
      role: s.role,
      name: s.name,
      certNo: party ? null : s.certNo,
      post: party ? s.post : null,
      idNo: party ? s.idNo : null,
      refused: party && s.refused,
      refusalNote: party && s.refused ? s.refusalNote : null,
      witness: party && s.refused ? { name: s.witnessName, idNo: s.witnessIdNo } : null,
      attachmentId: file ? file.id : null,
      sha256: file ? file.sha256 : null,
      signedAt: file ? s.signedAt : null,
    };
  });
}

/**
 * What a 复查 found for a covered finding, read from how the inspector re-checked its item: 符合 means
 * corrected, corrected on the spot too; 不符合 handed to a case or another department is escalated;
 * otherwise still open. The form stays the ordinary checklist, so nothing new is learned by hand.
 */
export function followUpStateOf(item: DraftItem | undefined): FindingFollowUpState {
  if (!item || item.outcome !== 'fail') return item?.outcome === 'pass' ? 'corrected' : 'open';
  const handling = item.finding?.handling;
  if (handling === 'on_spot') return 'corrected';
  return handling === 'case' || handling === 'transfer' ? 'escalated' : 'open';
}

function followUpOf(draft: Draft, task: Task): FollowUpOf | undefined {
  const fu = task.followUp;
  if (!fu) return undefined;
  return {
    resultId: fu.originalResultId,
    findings: fu.findings.map((f) => {
      const item = draft.items.find((i) => i.itemCode === f.itemCode);
      return { itemCode: f.itemCode, state: followUpStateOf(item), note: item?.note ?? '' };
    }),
    rectificationReportOn: fu.rectificationReportOn,
  };
}

export interface PayloadInput {
  readonly draft: Draft;
  readonly task: Task;
  readonly reference: Reference | null;
  readonly history: LenientHistory;
  readonly files: readonly AttachmentRow[];
  readonly finishedAt: string;
  readonly deadline: string;
}

/**
 * Place, clock offset, EXIF (with how it disagrees) and the original of a marked-up copy, each only
 * when the row has it: rows captured before these existed give the payload they always gave.
 */
function evidenceMeta(f: AttachmentRow): Partial<EvidenceRef> {
  const differences = exifDifferences(f.exif, { capturedAt: f.capturedAt, place: f.place });
  return {
    ...(f.clockSkewMs !== undefined ? { clockSkewMs: f.clockSkewMs } : {}),
    ...(f.place ? { place: f.place } : {}),
    ...(f.exif !== undefined ? { exif: f.exif } : {}),
    ...(differences.length > 0 ? { exifDifferences: differences } : {}),
    ...(f.annotationOf ? { annotationOf: f.annotationOf } : {}),
    ...(f.media
      ? {
          media: {
            durationS: f.media.durationS,
            startedAt: f.media.startedAt,
            endedAt: f.media.endedAt,
            startSource: f.media.startSource,
            clips: (f.clips ?? []).map((c) => ({ fromS: c.fromS, toS: c.toS, note: c.note })),
          },
        }
      : {}),
  };
}

export function buildPayload({
  draft,
  task,
  reference,
  history,
  files,
  finishedAt,
  deadline,
}: PayloadInput): ResultPayload {
  const byId = new Map(files.map((f) => [f.id, f]));
  const templateItems = templateItemNames(
    draft.items.map((i) => i.itemCode),
    reference?.checkTemplates,
  );
  const usccIssue = usccCheckFailure(task.enterprise.uscc);
  return {
    resultId: draft.resultId,
    taskId: task.id,
    enterpriseUscc: task.enterprise.uscc,
    inspectedOn: draft.inspectedOn,
    startedAt: draft.startedAt,
    finishedAt,
    inspectorIds: task.team.map((m) => m.inspectorId),
    itemResults: draft.items.map((i) => ({
      itemCode: i.itemCode,
      outcome: i.outcome,
      note: i.note,
      finding:
        i.outcome === 'fail' && i.finding
          ? {
              description: i.finding.description,
              legalBasis: i.finding.legalBasis,
              severity: i.finding.severity,
              handling: i.finding.handling,
              rectifyDeadline: i.finding.rectifyDeadline,
              lenient: lenientPayload(i, reference, history, draft.inspectedOn),
            }
          : null,
    })),
    findings: draft.findings,
    resultCodes: draft.resultCodes,
    checkMethods: draft.checkMethods,
    followUps: draft.followUps,
    replaces: draft.replaces,
    publicationDeadline: deadline,
    signatures: signatureRefs(draft.signatures, byId),
    evidence: files
      .filter((f) => f.kind !== 'signature')
      .map((f) => ({
        id: f.id,
        kind: f.kind === 'scan' || f.kind === 'video' || f.kind === 'audio' ? f.kind : 'photo',
        sha256: f.sha256,
        size: f.size,
        mime: f.mime,
        caption: draft.captions[f.id] ?? '',
        capturedAt: f.capturedAt,
        ...evidenceMeta(f),
      })),
    ...(templateItems.length > 0 ? { templateItems } : {}),
    ...(usccIssue ? { usccCheck: { issue: usccIssue, note: draft.usccNote.trim() } } : {}),
    ...(task.followUp ? { followUpOf: followUpOf(draft, task) } : {}),
  };
}
