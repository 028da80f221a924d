/** Credit files on the device (lookup, count, fragment search) and the platform's reference data. */
import type { Enterprise, Reference } from '../../../../shared/protocol/index.js';
import type {
  SearchAnswer as EnterpriseSearchAnswer,
  SearchFilters as EnterpriseSearchFilters,
  SearchHit as EnterpriseSearchHit,
} from '../../credit-files/search/types.js';

export interface EnterpriseService {
  get(uscc: string): Promise<Enterprise | null>;
  count(): Promise<number>;
  /**
   * Fragment search over the cached credit files (any part of the name, USCC or its prefix, legal
   * representative, address), filtered and ranked; answered by an in-memory index in a Web Worker.
   * Empty query + filters lists the filtered set.
   */
  search(query: string, filters?: EnterpriseSearchFilters, limit?: number): Promise<EnterpriseSearchAnswer>;
  /** Build the search index now (start-up, after a sync); resolves when searches are instant. */
  warmSearch(): Promise<void>;
  /** Keep the search index up to date page by page while a sync writes (called as a sync starts). */
  followSearch(): void;
  /**
   * `listener` is called each time the search index changes (a sync's changes became searchable):
   * a search screen asks its question again, so an answer from before the change does not stay.
   */
  onSearchIndex(listener: () => void): () => void;
}
export type { EnterpriseSearchAnswer, EnterpriseSearchFilters, EnterpriseSearchHit };

export interface ReferenceService {
  get(): Promise<Reference | null>;
}
