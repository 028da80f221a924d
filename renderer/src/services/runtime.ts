/**
 * What every service shares: the databases and their repositories, the platform adapter, the
 * token keeper, clocks, the network source and a tiny change bus. Built once by createServices(),
 * so every service reads through the same repository instances (the credit-file repository keeps
 * an in-memory directory; two of them would each load and refresh their own).
 */
import type {
  AttachmentsRepo,
  AuditRepo,
  CheckpointsRepo,
  DeviceKeysRepo,
  Databases,
  DocNumbersRepo,
  DraftsRepo,
  JournalRepo,
  EnterprisesRepo,
  MetaRepo,
  OutboxRepo,
  QuarantineRepo,
  ReferenceRepo,
  ResultsRepo,
  ReviewsRepo,
  SessionRepo,
  SyncStateRepo,
  TasksRepo,
  UploadsRepo,
} from '../db/index.js';
import type { PlatformAdapter } from '../platform/adapter.js';
import { createHttpClient, type HttpClient } from '../platform/http.js';
import { createTokenKeeper, type TokenKeeper } from '../platform/tokens.js';
import type { LockLike } from '../sync/push-engine.js';
import { createDeviceKeyHolder, type DeviceKeyHolder } from './devkey/devkey.service.js';

/** Returned by every `subscribe`: stops the notifications. */
export type Unsubscribe = () => void;

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
  /**
   * Waits before each automatic retry of a sync the link broke (then the inspector is asked to try
   * again); by default the app's schedule when `background` is on, none otherwise.
   */
  readonly syncRetryDelaysMs?: readonly number[];
  readonly pageSize?: number;
  readonly verifierIterations?: number;
}

export interface Repositories {
  readonly session: SessionRepo;
  readonly meta: MetaRepo;
  readonly tasks: TasksRepo;
  readonly taskSync: SyncStateRepo;
  readonly drafts: DraftsRepo;
  readonly results: ResultsRepo;
  readonly attachments: AttachmentsRepo;
  readonly audit: AuditRepo;
  readonly outbox: OutboxRepo;
  readonly uploads: UploadsRepo;
  readonly reviews: ReviewsRepo;
  readonly docNumbers: DocNumbersRepo;
  readonly journal: JournalRepo;
  readonly deviceKeys: DeviceKeysRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly enterprises: EnterprisesRepo;
  readonly reference: ReferenceRepo;
  readonly quarantine: QuarantineRepo;
}

export interface Runtime {
  readonly deps: ServiceDeps;
  readonly dbs: Databases;
  readonly repos: Repositories;
  readonly now: () => Date;
  readonly tokens: TokenKeeper;
  /** Authenticated client against the session's platform URL. */
  readonly http: HttpClient;
  /** This inspector's device key (in memory while unlocked; signs finalize checkpoints). */
  readonly deviceKey: DeviceKeyHolder;
  baseUrl(): string;
  setBaseUrl(url: string): void;
  emit(topic: ChangeTopic): void;
  on(topic: ChangeTopic, listener: () => void): () => void;
}

export function createRuntime(deps: ServiceDeps, repos: Repositories): Runtime {
  let baseUrl = '';
  const listeners = new Map<ChangeTopic, Set<() => void>>();
  const fetchOpt = deps.fetch ? { fetch: deps.fetch } : {};
  const tokens = createTokenKeeper({ vault: deps.adapter.vault(repos.session), baseUrl: () => baseUrl, ...fetchOpt });
  const now = deps.now ?? (() => new Date());
  const http = createHttpClient({ baseUrl: () => baseUrl, tokens, ...fetchOpt });
  return {
    deps,
    dbs: deps.dbs,
    repos,
    now,
    tokens,
    http,
    deviceKey: createDeviceKeyHolder({
      keys: repos.deviceKeys,
      checkpoints: repos.checkpoints,
      meta: repos.meta,
      http,
      now,
    }),
    baseUrl: () => baseUrl,
    setBaseUrl: (url) => {
      baseUrl = url;
    },
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
