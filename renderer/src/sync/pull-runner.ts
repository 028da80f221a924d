/**
 * Runs a pull: in a Web Worker when the runtime has one (the app), in-process otherwise (Node
 * tests, integration). Both report the same progress and outcome.
 */
import {
  enterprisesRepo,
  quarantineRepo,
  referenceRepo,
  syncStateRepo,
  tasksRepo,
  type Databases,
} from '../db/index.js';
import { collectingSink, publishTimings } from '../credit-files/timing-sink.js';
import { createHttpClient, type TokenProvider } from '../platform/http.js';
import { isTransient, pullAll } from './pull-engine.js';
import { FromWorkerSchema, type ToWorker } from './pull-messages.js';
import type { PullProgress } from './progress.js';

export interface PullOutcomeSummary {
  readonly ok: boolean;
  readonly message: string;
  readonly sessionExpired: boolean;
  /** The link failed, not the data or the session: trying again later continues where this stopped. */
  readonly transient: boolean;
}

export interface PullRun {
  readonly done: Promise<PullOutcomeSummary>;
  cancel(): void;
}

export interface PullRunOptions {
  readonly baseUrl: string;
  readonly tokens: TokenProvider;
  readonly dbs: Databases;
  readonly dbPrefix: string;
  readonly pageSize: number;
  readonly useWorker: boolean;
  /**
   * Collect the credit-file pipeline's phase times and publish them on the diagnostics channel when
   * the pull ends (the bench reads them there); off in the app, which pays nothing for them.
   */
  readonly diagnostics?: boolean;
  readonly fetch?: typeof fetch;
  readonly onProgress: (p: PullProgress) => void;
}

/** A copy for the worker's message (structured-cloned), so the window's key is never transferred away. */
function copyKey(key: Uint8Array | null): Uint8Array<ArrayBuffer> | null {
  return key ? new Uint8Array(key) : null;
}

export function runPull(o: PullRunOptions): PullRun {
  return o.useWorker && typeof Worker !== 'undefined' ? runInWorker(o) : runInProcess(o);
}

function runInProcess(o: PullRunOptions): PullRun {
  const controller = new AbortController();
  const http = createHttpClient({ baseUrl: () => o.baseUrl, tokens: o.tokens, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const sink = o.diagnostics ? collectingSink() : null;
  const done = pullAll(
    {
      http,
      tasks: tasksRepo(o.dbs.field),
      taskState: syncStateRepo(o.dbs.field.syncState),
      enterprises: enterprisesRepo(o.dbs.cache, sink ? { timings: sink } : {}),
      reference: referenceRepo(o.dbs.cache),
      pageSize: o.pageSize,
      signal: controller.signal,
      onProgress: o.onProgress,
      ...(sink ? { timings: sink } : {}),
    },
    (rows) => quarantineRepo(o.dbs.cache).put(rows),
  ).then((outcome) => {
    if (sink) publishTimings(sink.totals);
    return outcome.ok
      ? { ok: true, message: '同步完成', sessionExpired: false, transient: false }
      : {
          ok: false,
          message: outcome.error.message,
          sessionExpired: outcome.error.kind === 'session-expired',
          transient: isTransient(outcome.error),
        };
  });
  return { done, cancel: () => controller.abort() };
}

/**
 * A pull worker started before its sync (at unlock), and the one a sync used kept for the next:
 * loading the worker's code and starting its own threads then costs the sync nothing.
 */
let spare: Worker | null = null;
/** Bumped by a lock: a sync's worker that finishes after it is ended, not kept for the next inspector. */
let generation = 0;

function spawnPullWorker(): Worker {
  return new Worker(new URL('./pull.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Starts a pull worker now, unless one is waiting already (or the runtime has no workers). With
 * `cacheName`, the worker also opens that credit-file cache now: a sync's first reads, and so the
 * snapshot's first request, then do not wait for the database to open.
 */
export function warmPullWorker(cacheName?: string): void {
  if (typeof Worker === 'undefined') return;
  spare ??= spawnPullWorker();
  if (cacheName) spare.postMessage({ type: 'open', cacheName } satisfies ToWorker);
}

/**
 * Ends the waiting pull worker, and any running one when its sync ends: at a lock nothing that held
 * a key copy during a sync (a sync hands the keys over in its start message) outlives the unlock.
 */
export function dropWarmPullWorker(): void {
  generation += 1;
  spare?.terminate();
  spare = null;
}

function runInWorker(o: PullRunOptions): PullRun {
  const worker = spare ?? spawnPullWorker();
  spare = null;
  const startedIn = generation;
  const send = (m: ToWorker) => worker.postMessage(m);
  const done = new Promise<PullOutcomeSummary>((resolve) => {
    const onMessage = (event: MessageEvent<unknown>): void => {
      const parsed = FromWorkerSchema.safeParse(event.data);
      if (!parsed.success) return;
      const msg = parsed.data;
      if (msg.type === 'progress') o.onProgress(msg.progress);
      else if (msg.type === 'refresh')
        void o.tokens
          .refresh()
          .then((outcome) => send({ type: 'token', accessToken: o.tokens.accessToken(), outcome }));
      else {
        resolve({ ok: msg.ok, message: msg.message, sessionExpired: msg.sessionExpired, transient: msg.transient });
        // The worker has closed its databases and threads: it waits for the next sync.
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        if (spare || startedIn !== generation) worker.terminate();
        else spare = worker;
      }
    };
    const onError = (e: ErrorEvent): void => {
      resolve({ ok: false, message: `同步线程出错：${e.message}`, sessionExpired: false, transient: false });
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      worker.terminate();
    };
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
  });
  send({
    type: 'start',
    baseUrl: o.baseUrl,
    accessToken: o.tokens.accessToken(),
    dbPrefix: o.dbPrefix,
    fieldName: o.dbs.field.name,
    dataKey: copyKey(o.dbs.field.sealingKeys?.current() ?? null),
    pageSize: o.pageSize,
    cacheName: o.dbs.cache.name,
    cacheKey: o.dbs.cache.cacheKey
      ? { keyId: o.dbs.cache.cacheKey.keyId, key: new Uint8Array(o.dbs.cache.cacheKey.key) }
      : null,
    ...(o.diagnostics ? { diagnostics: true } : {}),
  });
  return { done, cancel: () => send({ type: 'cancel' }) };
}
