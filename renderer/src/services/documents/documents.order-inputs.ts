/**
 * Form details → print inputs for the special-equipment order and the evidence-preservation
 * notice, and their defaults (the order's problems from the result's findings). Pure.
 */
import { addDays, chinaDate } from '../../../../shared/domain/dates.js';
import type { DocumentInputs } from '../../print/index.js';
import type { DirectiveDetails, PreservationDetails } from '../api.js';
import { documentMeta, partyOf, requireResult, type DocumentContext, type Numbering } from './documents.inputs.js';

const REMEDIES = '你单位如对本文书不服，可以在收到之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼。';

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** 'a｜b｜c' (full- or half-width bar) → cells, padded to `n`. */
function cells(line: string, n: number): string[] {
  const parts = line.split(/[|｜]/).map((c) => c.trim());
  return Array.from({ length: n }, (_, i) => parts[i] ?? '');
}

function pen(name: string) {
  return { name, imageDataUrl: null, signedAt: null };
}

function officers(ctx: DocumentContext) {
  const ids = ctx.result?.inspectorIds ?? [];
  const team = ids.length >= 2 ? ids.map((id) => ctx.task.team.find((m) => m.inspectorId === id)) : ctx.task.team;
  return team.filter((m) => m !== undefined).map((m) => ({ name: m.name, certNo: m.certNo }));
}

export function directiveInput(ctx: DocumentContext, n: Numbering, d: DirectiveDetails): DocumentInputs['directive'] {
  const witness = d.witnessName.trim();
  return {
    ...documentMeta(ctx, n, 'directive'),
    task: ctx.task,
    party: partyOf(ctx),
    result: requireResult(ctx),
    equipment: lines(d.equipment).map((l) => {
      const [name = '', regCode = '', location = ''] = cells(l, 3);
      return { name, regCode, location };
    }),
    problems: lines(d.problems),
    measures: lines(d.measures),
    deadline: d.deadline,
    stopUse: d.stopUse,
    officers: officers(ctx),
    partySignature: d.partyRefused
      ? {
          kind: 'refused',
          note: d.refusalNote.trim(),
          witness: { name: witness, idNo: d.witnessIdNo.trim(), signature: pen(witness) },
        }
      : { kind: 'signed', signature: pen(d.partyName.trim()) },
    remedies: d.remedies.trim(),
  };
}

export function directiveDefaults(ctx: DocumentContext): DirectiveDetails {
  const findings = (ctx.result?.itemResults ?? []).flatMap((r) => (r.finding ? [r.finding] : []));
  const deadlines = findings
    .map((f) => f.rectifyDeadline)
    .filter((x): x is string => x !== null)
    .sort();
  return {
    problems: findings.map((f) => f.description).join('\n'),
    equipment: '',
    measures: '',
    deadline: deadlines.at(-1) ?? addDays(chinaDate(ctx.now), 15),
    stopUse: false,
    partyName: partyOf(ctx).legalRep,
    partyRefused: false,
    refusalNote: '',
    witnessName: '',
    witnessIdNo: '',
    remedies: REMEDIES,
  };
}

export function preservationInput(
  ctx: DocumentContext,
  n: Numbering,
  d: PreservationDetails,
): DocumentInputs['preservation'] {
  return {
    ...documentMeta(ctx, n, 'preservation'),
    task: ctx.task,
    party: partyOf(ctx),
    reason: d.reason.trim(),
    legalBasis: d.legalBasis.trim(),
    items: lines(d.items).map((l) => {
      const [name = '', spec = '', quantity = '', note = ''] = cells(l, 4);
      return { name, spec, quantity, note };
    }),
    keptAt: d.keptAt.trim(),
    keptBy: d.keptBy.trim(),
    from: d.from,
    to: d.to,
    remedies: d.remedies.trim(),
  };
}

export function preservationDefaults(ctx: DocumentContext): PreservationDetails {
  const today = chinaDate(ctx.now);
  return {
    reason: '',
    legalBasis: '《中华人民共和国行政处罚法》第五十六条',
    items: '',
    keptAt: partyOf(ctx).address,
    keptBy: '',
    from: today,
    to: addDays(today, 6),
    remedies: REMEDIES,
  };
}
