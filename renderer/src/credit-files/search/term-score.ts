/**
 * How a search hit is scored and labelled. Score bands say where a term matched: USCC ≥ 3000 >
 * name ≥ 1900 > legal representative ≥ 1200 > address 800; a filter-only hit scores FILTER_SCORE
 * less its name's length. A 存续 record gets +5, so among equal matches the live one comes first.
 */
import { ENTERPRISE_STATUSES } from '../../../../shared/protocol/index.js';
import type { Columns } from './index-columns.js';
import type { MatchField } from './types.js';

export const FILTER_SCORE = 100;
/** The best score of a match outside the USCC and the name: the legal representative exactly, 存续. */
export const REP_EXACT_MAX = 1505;

/** Score bands say where a term matched: USCC ≥ 3000 > name ≥ 1900 > legal rep ≥ 1200 > address 800. */
export function termScore(c: Columns, d: number, term: string, upper = term.toUpperCase()): number {
  if (c.text.usccs.get(d).startsWith(upper)) return 3000 + upper.length;
  const name = c.text.names.get(d);
  const at = name.indexOf(term);
  if (at >= 0) return (name === term ? 2500 : 2100) - Math.min(at, 40) * 2 - Math.min(name.length, 60);
  const rep = c.text.legalReps.get(d);
  if (rep === term) return 1500;
  if (term.length >= 2 && rep.includes(term)) return 1200;
  if (term.length >= 2 && c.text.addresses.get(d).includes(term)) return 800;
  return 0;
}

/** 0 = no match; otherwise the sum of the terms' scores (see termScore). */
export function scoreTerms(c: Columns, d: number, terms: readonly string[], upper: readonly string[]): number {
  let total = 0;
  for (let i = 0; i < terms.length; i++) {
    const r = termScore(c, d, terms[i]!, upper[i]!);
    if (r === 0) return 0;
    total += r;
  }
  return ENTERPRISE_STATUSES[c.codes.statuses[d]!] === '存续' ? total + 5 : total;
}

/**
 * `scoreTerms` for a term some key of which is not in the name (so neither is the term) and which
 * is no USCC prefix of the document: only the legal representative and the address can hold it.
 */
export function repOrAddressScore(c: Columns, d: number, term: string): number {
  const rep = c.text.legalReps.get(d);
  const s =
    rep === term
      ? 1500
      : term.length >= 2 && rep.includes(term)
        ? 1200
        : term.length >= 2 && c.text.addresses.get(d).includes(term)
          ? 800
          : 0;
  return s > 0 && ENTERPRISE_STATUSES[c.codes.statuses[d]!] === '存续' ? s + 5 : s;
}

/** The field of the best-matching term (for the hit's label). */
export function fieldOf(score: number, d: number, terms: readonly string[], c: Columns): MatchField {
  if (score < FILTER_SCORE + 1 && terms.length === 0) return 'filter';
  const best = Math.max(...terms.map((t) => termScore(c, d, t)));
  return best >= 3000 ? 'uscc' : best >= 1900 ? 'name' : best >= 1200 ? 'legalRep' : 'address';
}
