/**
 * Form details → print inputs for the case documents (questioning record, evidence list, proof of
 * service, food result record), and their form defaults. Pure, like documents.inputs.ts.
 *
 * Signatures on the questioning record are left as lines for a pen: the person questioned and both
 * officers sign every page of the paper, and a signature drawn for another document must not be
 * reused on this one.
 */
import { chinaDate } from '../../../../shared/domain/dates.js';
import type { DocumentInputs } from '../../print/index.js';
import type { EvidenceListDetails, FoodResultDetails, QuestioningDetails, ServiceProofDetails } from '../api.js';
import { evidenceDescription } from './documents.media.js';
import { documentMeta, partyOf, requireResult, type DocumentContext, type Numbering } from './documents.inputs.js';

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** 'YYYY-MM-DD' + 'HH:MM' (Beijing time) → ISO instant with the +08:00 offset. */
function cstInstant(date: string, time: string, label: string): string {
  if (!TIME_RE.test(time)) throw new Error(`${label}格式不正确（应为 时:分，如 09:30）`);
  return `${date}T${time}:00+08:00`;
}

function pen(name: string) {
  return { name, imageDataUrl: null, signedAt: null };
}

/** The officers of the document: the result's inspectors once finalized, else the task team. */
function officersOf(ctx: DocumentContext) {
  const ids = ctx.result?.inspectorIds ?? [];
  const team = ids.length >= 2 ? ids.map((id) => ctx.task.team.find((m) => m.inspectorId === id)) : ctx.task.team;
  return team.filter((m) => m !== undefined).map((m) => ({ name: m.name, certNo: m.certNo }));
}

function partySignature(d: {
  partyRefused: boolean;
  refusalNote: string;
  witnessName: string;
  witnessIdNo: string;
  name: string;
}) {
  const witness = d.witnessName.trim();
  return d.partyRefused
    ? {
        kind: 'refused' as const,
        note: d.refusalNote.trim(),
        witness: { name: witness, idNo: d.witnessIdNo.trim(), signature: pen(witness) },
      }
    : { kind: 'signed' as const, signature: pen(d.name.trim()) };
}

export function evidenceListInput(
  ctx: DocumentContext,
  n: Numbering,
  d: EvidenceListDetails,
): DocumentInputs['evidence'] {
  const result = requireResult(ctx);
  const officers = officersOf(ctx);
  return {
    ...documentMeta(ctx, n, 'evidence'),
    task: ctx.task,
    party: partyOf(ctx),
    place: d.place.trim(),
    takenAt: cstInstant(d.date, d.time, '提取时间'),
    items: (result.evidence ?? []).map((e) => ({
      id: e.id,
      kind: e.kind,
      description: evidenceDescription(e, '有关证照及资料的扫描件'),
      capturedAt: e.capturedAt,
      sha256: e.sha256,
      count: 1,
    })),
    officers,
    partySignature: partySignature({ ...d, name: d.partyName }),
    inspectorSignatures: officers.map((o) => pen(o.name)),
  };
}

export function serviceProofInput(
  ctx: DocumentContext,
  n: Numbering,
  d: ServiceProofDetails,
): DocumentInputs['service'] {
  const served = d.docIds.map((id) => {
    const doc = ctx.issued.find((x) => x.docId === id);
    if (!doc) throw new Error(`找不到要送达的文书：${id}`);
    if (doc.voided) throw new Error(`${doc.title}（${doc.docNo}）已作废，不能送达`);
    return { title: doc.title, docNo: doc.docNo };
  });
  const witness = d.witnessName.trim();
  return {
    ...documentMeta(ctx, n, 'service'),
    party: partyOf(ctx),
    served,
    place: d.place.trim(),
    method: d.method,
    servedAt: cstInstant(d.date, d.time, '送达时间'),
    server: officersOf(ctx).map((o) => o.name),
    receipt: d.refused
      ? {
          kind: 'refused',
          note: d.refusalNote.trim(),
          witness: { name: witness, idNo: d.witnessIdNo.trim(), signature: pen(witness) },
        }
      : {
          kind: 'received',
          recipient: d.recipient.trim(),
          relation: d.relation.trim(),
          signature: pen(d.recipient.trim()),
        },
  };
}

/**
 * The food result record's counts and result come from the finalized result, never typed: items
 * marked 重点 in the task count as key items, the rest (and items added on site) as general;
 * items 不涉及 or left unchecked are not counted as checked.
 */
export function foodResultInput(
  ctx: DocumentContext,
  n: Numbering,
  d: FoodResultDetails,
): DocumentInputs['foodResult'] {
  const result = requireResult(ctx);
  const counted = result.itemResults.filter((r) => r.outcome === 'pass' || r.outcome === 'fail');
  const isKey = (code: string) => ctx.task.items.find((i) => i.code === code)?.key === true;
  const key = counted.filter((r) => isKey(r.itemCode));
  const general = counted.filter((r) => !isKey(r.itemCode));
  const keyProblems = key.filter((r) => r.outcome === 'fail').length;
  const generalProblems = general.filter((r) => r.outcome === 'fail').length;
  return {
    ...documentMeta(ctx, n, 'foodResult'),
    task: ctx.task,
    party: partyOf(ctx),
    result,
    licenceNo: d.licenceNo.trim(),
    outcome: keyProblems > 0 ? 'noncompliant' : generalProblems > 0 ? 'basic' : 'compliant',
    keyChecked: key.length,
    keyProblems,
    generalChecked: general.length,
    generalProblems,
    handling: d.handling.trim(),
    officers: officersOf(ctx),
    inspectedOn: result.inspectedOn,
  };
}

export function questioningInput(
  ctx: DocumentContext,
  n: Numbering,
  d: QuestioningDetails,
): DocumentInputs['questioning'] {
  const age = /^\d{1,3}$/.test(d.personAge.trim()) ? Number(d.personAge.trim()) : Number.NaN;
  if (!Number.isInteger(age)) throw new Error('被询问人年龄请填写整数（周岁）');
  const ids = ctx.result?.inspectorIds ?? [];
  const team = ids.length >= 2 ? ids.map((id) => ctx.task.team.find((m) => m.inspectorId === id)) : ctx.task.team;
  const officers = team
    .filter((m) => m !== undefined)
    .slice(0, Math.max(2, ids.length))
    .map((m) => ({ name: m.name, certNo: m.certNo }));
  const person = d.personName.trim();
  const witness = d.witnessName.trim();
  return {
    ...documentMeta(ctx, n, 'questioning'),
    task: ctx.task,
    party: partyOf(ctx),
    person: {
      name: person,
      sex: d.personSex,
      age,
      idNo: d.personIdNo.trim(),
      post: d.personPost.trim(),
      phone: d.personPhone.trim(),
      address: d.personAddress.trim(),
    },
    place: d.place.trim(),
    startedAt: cstInstant(d.date, d.startTime, '开始时间'),
    finishedAt: cstInstant(d.date, d.endTime, '结束时间'),
    officers,
    recorder: d.recorder.trim(),
    rightsAnswer: d.rightsAnswer.trim(),
    recusal: { requested: d.recusalRequested, answer: d.recusalAnswer.trim() },
    // Rows the inspector added but left entirely empty are dropped; a half-filled row is refused.
    qa: d.qa.filter((x) => x.q.trim() || x.a.trim()).map((x) => ({ q: x.q.trim(), a: x.a.trim() })),
    confirmation: d.confirmation.trim(),
    personSignature: d.personRefused
      ? {
          kind: 'refused',
          note: d.refusalNote.trim(),
          witness: { name: witness, idNo: d.witnessIdNo.trim(), signature: pen(witness) },
        }
      : { kind: 'signed', signature: pen(person) },
    inspectorSignatures: officers.map((o) => pen(o.name)),
  };
}

const pad2 = (x: number): string => String(x).padStart(2, '0');

function cstTime(d: Date): string {
  const t = new Date(d.getTime() + 8 * 3600_000);
  return `${pad2(t.getUTCHours())}:${pad2(t.getUTCMinutes())}`;
}

export function questioningDefaults(ctx: DocumentContext): QuestioningDetails {
  const p = partyOf(ctx);
  const party = ctx.result?.signatures?.find((s) => s.role === 'party' && !s.refused);
  return {
    personName: party?.name || p.legalRep,
    personSex: '男',
    personAge: '',
    personIdNo: party?.idNo ?? '',
    personPost: `${p.name} ${party?.post || '法定代表人'}`,
    personPhone: p.phone,
    personAddress: '',
    place: p.address,
    date: chinaDate(ctx.now),
    startTime: cstTime(ctx.now),
    endTime: cstTime(ctx.now),
    rightsAnswer: '听清楚了。',
    recusalRequested: false,
    recusalAnswer: '不申请回避。',
    qa: [{ q: '', a: '' }],
    confirmation: '以上笔录我看过，和我说的一样。',
    personRefused: false,
    refusalNote: '',
    witnessName: '',
    witnessIdNo: '',
    recorder: ctx.inspector.name,
  };
}

export function evidenceListDefaults(ctx: DocumentContext): EvidenceListDetails {
  const p = partyOf(ctx);
  const party = ctx.result?.signatures?.find((s) => s.role === 'party');
  return {
    place: p.address,
    date: chinaDate(ctx.now),
    time: cstTime(ctx.now),
    partyName: (party && !party.refused ? party.name : '') || p.legalRep,
    partyRefused: false,
    refusalNote: '',
    witnessName: '',
    witnessIdNo: '',
  };
}

export function serviceProofDefaults(ctx: DocumentContext): ServiceProofDetails {
  const p = partyOf(ctx);
  return {
    docIds: ctx.issued.filter((d) => !d.voided && d.kind !== 'service').map((d) => d.docId),
    place: p.address,
    method: 'direct',
    date: chinaDate(ctx.now),
    time: cstTime(ctx.now),
    recipient: p.legalRep,
    relation: '',
    refused: false,
    refusalNote: '',
    witnessName: '',
    witnessIdNo: '',
  };
}

export function foodResultDefaults(): FoodResultDetails {
  return { licenceNo: '', handling: '未发现问题，无需处理。' };
}
