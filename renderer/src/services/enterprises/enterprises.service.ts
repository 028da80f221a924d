/**
 * Credit files and reference data from the cache database. Search goes to one engine per app,
 * created on first use: a Web Worker in the app, in-process in tests.
 */
import { createSearchClient, warmSearchWorker } from '../../credit-files/search/search-client.js';
import type { SearchEngine } from '../../credit-files/search/engine.js';
import type { EnterpriseService, ReferenceService } from './enterprises.api.js';
import type { Runtime } from '../runtime.js';
import { ensureStationCacheKey } from '../sync/station-key.js';

export function createEnterpriseService(rt: Runtime): EnterpriseService & { close(): void } {
  const repo = rt.repos.enterprises;
  let search: SearchEngine | null = null;
  const engine = () =>
    (search ??= createSearchClient({
      cache: rt.dbs.cache,
      useWorker: rt.deps.useWorker ?? false,
    }));
  // The credit files are sealed: they open once this session has the station cache key.
  const keyed = async (): Promise<void> => {
    const key = await ensureStationCacheKey(rt);
    if (!key.ok) throw new Error(key.message);
  };
  return {
    // Offline after a restart the key cannot be fetched (until the vault keeps it): the task and
    // its inspection still open, without the credit file.
    get: async (uscc) => (await ensureStationCacheKey(rt), repo.get(uscc)),
    count: () => repo.count(),
    search: async (query, filters, limit) => (await keyed(), engine().search(query, filters, limit)),
    warmSearch: async () => (await keyed(), engine().warm()),
    followSearch: () => engine().follow(),
    onSearchIndex: (listener) => engine().onIndex(listener),
    // Called at the lock: the next unlock builds the index again from the sealed rows, in a worker
    // started now (it holds nothing: no key, no index) while the next inspector signs in.
    close: () => {
      search?.close();
      search = null;
      if (rt.deps.useWorker) warmSearchWorker(rt.dbs.cache.name);
    },
  };
}

export function createReferenceService(rt: Runtime): ReferenceService {
  const repo = rt.repos.reference;
  return { get: async () => (await repo.get())?.reference ?? null };
}
