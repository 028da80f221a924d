/** What a search asks and answers (shared by the worker, the in-process engine and the UI). */
import type { CreditClass, WarningColor } from '../../../../shared/domain/credit.js';
import type { Enterprise } from '../../../../shared/protocol/index.js';
import type { FlatSummary } from '../summary-columns.js';

export interface SearchFilters {
  readonly creditClasses?: readonly CreditClass[];
  readonly warningColors?: readonly WarningColor[];
  readonly statuses?: readonly Enterprise['status'][];
  /** GB/T 2260 region codes (6 digits). */
  readonly regions?: readonly string[];
}

export type MatchField = 'uscc' | 'name' | 'legalRep' | 'address' | 'filter';

/** A hit: the record's summary columns (declared in summary-columns.ts) and where the query matched. */
export type SearchHit = FlatSummary & { readonly matchedIn: MatchField };

export interface SearchAnswer {
  readonly hits: readonly SearchHit[];
  /** All matches (hits are the best `limit` of them). */
  readonly total: number;
  /** Records in the index. */
  readonly indexed: number;
  readonly tookMs: number;
}
