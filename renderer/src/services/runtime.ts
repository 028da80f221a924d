/**
 * What every service shares: the databases, the platform adapter, the token keeper, clocks,
 * the network source and a tiny change bus. Built once by createServices().
 */
import type { Databases } from '../db/index.js';
import { sessionRepo } from '../db/index.js';
import type { PlatformAdapter } from '../platform/adapter.js';
import { createHttpClient, type HttpClient } from '../platform/http.js';
import { createTokenKeeper, type TokenKeeper } from '../platform/tokens.js';
import type { LockLike } from '../sync/push-engine.js';

export type ChangeTopic = 'tasks' | 'outbox' | 'session';

export interface NetworkSource {
  online(): boolean;
  subscribe(listener: (online: boolean) => void): () => void;
}

export interface ServiceDeps {
  readonly dbs: Databases;
  /** Prefix of the database names (the worker opens its own connections by name). */
  readonly dbPrefix?: string;
  readonly adapter: PlatformAdapter;
  readonly network: NetworkSource;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
  readonly random?: () => number;
  readonly locks?: LockLike | null;
  readonly deviceName?: string;
  /** Run the pull in a Web Worker (the app) or in-process (tests). */
  readonly useWorker?: boolean;
  /** Start timers and reconnect listeners (the app); tests drive everything by hand. */
  readonly background?: boolean;
  readonly pageSize?: number;
  readonly verifierIterations?: number;
}

export interface Runtime {
  readonly deps: ServiceDeps;
  readonly dbs: Databases;
  readonly now: () => Date;
  readonly tokens: TokenKeeper;
  /** Authenticated client against the session's platform URL. */
  readonly http: HttpClient;
  baseUrl(): string;
  setBaseUrl(url: string): void;
  emit(topic: ChangeTopic): void;
  on(topic: ChangeTopic, listener: () => void): () => void;
}

export function createRuntime(deps: ServiceDeps): Runtime {
  let baseUrl = '';
  const listeners = new Map<ChangeTopic, Set<() => void>>();
  const fetchOpt = deps.fetch ? { fetch: deps.fetch } : {};
  const tokens = createTokenKeeper({ vault: deps.adapter.vault(sessionRepo(deps.dbs.field)), baseUrl: () => baseUrl, ...fetchOpt });
  return {
    deps,
    dbs: deps.dbs,
    now: deps.now ?? (() => new Date()),
    tokens,
    http: createHttpClient({ baseUrl: () => baseUrl, tokens, ...fetchOpt }),
    baseUrl: () => baseUrl,
    setBaseUrl: (url) => { baseUrl = url; },
    emit(topic) {
      for (const l of listeners.get(topic) ?? []) l();
    },
    on(topic, listener) {
      const set = listeners.get(topic) ?? new Set();
      set.add(listener);
      listeners.set(topic, set);
      return () => set.delete(listener);
    },
  };
}
