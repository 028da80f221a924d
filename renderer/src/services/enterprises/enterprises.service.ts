/**
 * Credit files and reference data from the cache database. Search goes to one engine per app,
 * created on first use: a Web Worker in the app, in-process in tests.
 */
import { createSearchClient } from '../../search/search-client.js';
import type { SearchEngine } from '../../search/engine.js';
import type { EnterpriseService, ReferenceService } from './enterprises.api.js';
import type { Runtime } from '../runtime.js';

export function createEnterpriseService(rt: Runtime): EnterpriseService {
  const repo = rt.repos.enterprises;
  let search: SearchEngine | null = null;
  const engine = () =>
    (search ??= createSearchClient({
      cache: rt.dbs.cache,
      dbPrefix: rt.deps.dbPrefix ?? '',
      useWorker: rt.deps.useWorker ?? false,
    }));
  return {
    get: (uscc) => repo.get(uscc),
    count: () => repo.count(),
    search: (query, filters, limit) => engine().search(query, filters, limit),
    warmSearch: () => engine().warm(),
    followSearch: () => engine().follow(),
  };
}

export function createReferenceService(rt: Runtime): ReferenceService {
  const repo = rt.repos.reference;
  return { get: async () => (await repo.get())?.reference ?? null };
}
