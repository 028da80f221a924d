/**
 * The search engine: keeps an EnterpriseSearchIndex in memory and rebuilds it when the cache's
 * stamp moved (after a sync page or a delta). While a rebuild runs, queries are answered from the
 * previous index, so typing never waits on a sync. Runs inside the search worker (the app) or
 * in-process (tests).
 */
import type { EnterprisesRepo } from '../db/index.js';
import { EnterpriseSearchIndex } from './search-index.js';
import type { SearchAnswer, SearchFilters } from './types.js';

export interface SearchEngine {
  search(query: string, filters?: SearchFilters, limit?: number): Promise<SearchAnswer>;
  /** Build (or refresh) the index now; resolves when it is ready. */
  warm(): Promise<void>;
}

export function createSearchEngine(repo: Pick<EnterprisesRepo, 'stamp' | 'searchSnapshot'>): SearchEngine {
  let index: EnterpriseSearchIndex | null = null;
  let builtStamp = -1;
  let building: Promise<void> | null = null;

  async function rebuild(): Promise<void> {
    const snap = await repo.searchSnapshot();
    index = EnterpriseSearchIndex.build(snap.search, snap.dir);
    builtStamp = snap.stamp;
  }

  async function ensure(wait: boolean): Promise<void> {
    const stamp = await repo.stamp();
    if (index && stamp === builtStamp) return;
    building ??= rebuild().finally(() => { building = null; });
    if (!index || wait) await building;
  }

  return {
    async search(query, filters = {}, limit = 50) {
      await ensure(false);
      return index ? index.search(query, filters, limit) : { hits: [], total: 0, indexed: 0, tookMs: 0 };
    },
    warm: () => ensure(true),
  };
}
