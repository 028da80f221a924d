/**
 * Form details → print inputs for the case documents typed on site (the questioning record), and
 * their form defaults. Pure, like documents.inputs.ts.
 *
 * Signatures on the questioning record are left as lines for a pen: the person questioned and both
 * officers sign every page of the paper, and a signature drawn for another document must not be
 * reused on this one.
 */
import { chinaDate } from '../../../../shared/domain/dates.js';
import type { DocumentInputs } from '../../print/index.js';
import type { QuestioningDetails } from '../api.js';
import { partyOf, type DocumentContext, type Numbering, documentMeta } from './documents.inputs.js';

const TIME_RE = /^([01]\d|2[0-3]):[0-5]\d$/;

/** 'YYYY-MM-DD' + 'HH:MM' (Beijing time) → ISO instant with the +08:00 offset. */
function cstInstant(date: string, time: string, label: string): string {
  if (!TIME_RE.test(time)) throw new Error(`${label}格式不正确（应为 时:分，如 09:30）`);
  return `${date}T${time}:00+08:00`;
}

function pen(name: string) {
  return { name, imageDataUrl: null, signedAt: null };
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
