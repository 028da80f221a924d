/**
 * The pull engine: reference data (ETag), the tasks feed and the
 * compacted enterprise feed, page by page. Plain functions over an HTTP client and repositories,
 * so the same code runs in the Web Worker and directly in tests. Every page is written with its
 * cursor in one transaction; a crash repeats at most one page. Bad records are quarantined, never
 * aborting the pull; 410 restarts only that stream from 0.
 */
import { z } from 'zod';
import {
  API,
  ReferenceSchema,
  TaskChangeSchema,
  feedPageSchema,
  type TaskChange,
} from '../../../shared/protocol/index.js';
import type { EnterprisesRepo, QuarantineRow, ReferenceRepo, SyncStateRepo, TasksRepo } from '../db/index.js';
import type { HttpClient, HttpError } from '../platform/http.js';
import { ProgressTracker, type PullProgress } from './progress.js';
import { jsonFeed, type EnterpriseFeedFetcher } from '../credit-files/download/enterprise-feed.js';
import { enterprisePull } from '../credit-files/download/pull-enterprises.js';
import { NO_TIMINGS, type TimingSink } from '../credit-files/timing-sink.js';
import type { SnapshotDeps } from '../credit-files/download/pull-snapshot.js';

export interface PullDeps {
  readonly http: HttpClient;
  readonly tasks: TasksRepo;
  readonly taskState: SyncStateRepo;
  readonly enterprises: EnterprisesRepo;
  readonly reference: ReferenceRepo;
  readonly now?: () => Date;
  readonly pageSize?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: PullProgress) => void;
  /** How enterprise pages are fetched (the worker: NDJSON); default: JSON bodies through `http`. */
  readonly enterpriseFeed?: EnterpriseFeedFetcher;
  /** Enterprise page size (records per request); default `pageSize`. */
  readonly enterprisePageSize?: number;
  /** The initial credit-file download from the platform's snapshot, when it offers one. */
  readonly snapshot?: SnapshotDeps;
  /** Where the credit-file pipeline's phase times go (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
}

export type PullOutcome =
  | { readonly ok: true; readonly quarantined: number }
  | { readonly ok: false; readonly phase: 'reference' | 'tasks' | 'enterprises'; readonly error: HttpError };

const LoosePageSchema = feedPageSchema(z.unknown());
const MAX_RESTARTS = 2;

function quarantineRow(
  stream: QuarantineRow['stream'],
  key: string,
  reason: string,
  raw: unknown,
  at: string,
): QuarantineRow {
  let text: string;
  try {
    text = JSON.stringify(raw).slice(0, 4000);
  } catch {
    text = String(raw);
  }
  return { key: `${stream}:${key}`, stream, reason, raw: text, at };
}

function issueText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(根)'}：${i.message}`)
    .join('；');
}

function keyOf(raw: unknown, field: string): string {
  if (raw && typeof raw === 'object') {
    const v = (raw as Record<string, unknown>)[field];
    if (typeof v === 'string' || typeof v === 'number') return String(v);
  }
  return 'unknown';
}

export async function pullReference(deps: PullDeps): Promise<HttpError | null> {
  const stored = await deps.reference.get();
  const res = await deps.http.request({
    method: 'GET',
    path: API.reference,
    schema: ReferenceSchema,
    ifNoneMatch: stored?.etag ?? null,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  if (!res.ok) return res.error;
  if (!res.notModified) await deps.reference.put(res.value, res.etag, (deps.now?.() ?? new Date()).toISOString());
  return null;
}

/** Splits a page into valid task changes and quarantined records. */
/**
 * A failure of the link rather than of the data or the session: dropped or refused connections,
 * timeouts, and the platform saying it is busy or failing for now. Such a pull is worth trying again
 * without the inspector, and it continues from the stored cursors and snapshot bytes.
 */
export function isTransient(error: HttpError): boolean {
  if (error.kind === 'network' || error.kind === 'timeout') return true;
  return error.kind === 'http' && (error.status === 408 || error.status === 429 || error.status >= 500);
}

export function parseTaskChanges(raw: readonly unknown[], at: string): { changes: TaskChange[]; bad: QuarantineRow[] } {
  const changes: TaskChange[] = [];
  const bad: QuarantineRow[] = [];
  for (const item of raw) {
    const parsed = TaskChangeSchema.safeParse(item);
    if (parsed.success) changes.push(parsed.data);
    else
      bad.push(
        quarantineRow('tasks', `${keyOf(item, 'seq')}`, `任务记录不符合协议：${issueText(parsed.error)}`, item, at),
      );
  }
  return { changes, bad };
}

interface FeedStream {
  readonly phase: 'tasks';
  readonly path: string;
  cursor(): Promise<string>;
  restart(): Promise<void>;
  apply(
    rawChanges: readonly unknown[],
    nextCursor: string,
    hasMore: boolean,
    total: number,
    at: string,
  ): Promise<{ applied: number; quarantined: number }>;
}

async function pullFeed(deps: PullDeps, stream: FeedStream, tracker: ProgressTracker): Promise<HttpError | null> {
  const now = deps.now ?? (() => new Date());
  let restarts = 0;
  tracker.start(stream.phase);
  for (;;) {
    if (deps.signal?.aborted) return { kind: 'aborted', message: '同步已取消' };
    const cursor = await stream.cursor();
    const res = await deps.http.request({
      method: 'GET',
      path: stream.path,
      query: { cursor, limit: deps.pageSize ?? 1000 },
      schema: LoosePageSchema,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    if (!res.ok) {
      if (res.error.kind === 'http' && res.error.status === 410 && restarts < MAX_RESTARTS) {
        restarts += 1;
        await stream.restart();
        tracker.start(stream.phase);
        continue;
      }
      return res.error;
    }
    if (res.notModified) return null;
    const page = res.value;
    const { applied: _applied, quarantined } = await stream.apply(
      page.changes,
      page.nextCursor,
      page.hasMore,
      page.total,
      now().toISOString(),
    );
    tracker.advance(page.changes.length - quarantined, page.total, quarantined);
    if (!page.hasMore) return null;
  }
}

function taskStream(deps: PullDeps, quarantine: (rows: QuarantineRow[]) => Promise<void>): FeedStream {
  return {
    phase: 'tasks',
    path: API.tasks,
    cursor: async () => (await deps.taskState.get('tasks')).cursor,
    restart: async () => {
      await deps.tasks.applyPage([], '0', 0, (deps.now?.() ?? new Date()).toISOString());
    },
    async apply(raw, nextCursor, _hasMore, total, at) {
      const { changes, bad } = parseTaskChanges(raw, at);
      // Quarantine first: replaying a page re-writes the same keys, so a crash in between loses nothing.
      await quarantine(bad);
      return { applied: await deps.tasks.applyPage(changes, nextCursor, total, at), quarantined: bad.length };
    },
  };
}

/**
 * Reference, then tasks, then credit files. Resumable: each stream continues from its cursor. The
 * first credit-file page is requested as the pull starts, so it is ready when the tasks are done.
 */
export async function pullAll(
  deps: PullDeps,
  quarantine: (rows: QuarantineRow[]) => Promise<void>,
): Promise<PullOutcome> {
  const clock = () => (deps.now?.() ?? new Date()).getTime();
  const tracker = new ProgressTracker(clock, (p) => deps.onProgress?.(p));
  const enterprises = enterprisePull({
    repo: deps.enterprises,
    feed: deps.enterpriseFeed ?? jsonFeed(deps.http),
    pageSize: deps.enterprisePageSize ?? deps.pageSize ?? 1000,
    now: deps.now ?? (() => new Date()),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.snapshot ? { snapshot: deps.snapshot } : {}),
    ...(deps.timings ? { timings: deps.timings } : {}),
  });
  const timings = deps.timings ?? NO_TIMINGS;
  tracker.start('reference');
  const t0 = performance.now();
  // Reference data and the task feed do not depend on each other: their requests go out together
  // (usually a 304 and one small page), so the pull waits for one round trip instead of two.
  const referenceDone = pullReference(deps).finally(() => timings.add('referenceMs', performance.now() - t0));
  referenceDone.catch(() => undefined); // awaited below, after the tasks; never unhandled meanwhile
  const tasksDone = pullFeed(deps, taskStream(deps, quarantine), tracker).finally(() =>
    timings.add('tasksMs', performance.now() - t0),
  );
  tasksDone.catch(() => undefined);
  const refError = await referenceDone;
  if (refError) {
    await tasksDone.catch(() => undefined);
    enterprises.cancel();
    return fail(tracker, 'reference', refError);
  }
  const taskError = await tasksDone;
  if (taskError) {
    enterprises.cancel();
    return fail(tracker, 'tasks', taskError);
  }
  const entError = await enterprises.run(tracker);
  if (entError) return fail(tracker, 'enterprises', entError);
  tracker.finish('done');
  return { ok: true, quarantined: tracker.snapshot().quarantined };
}

function fail(tracker: ProgressTracker, phase: 'reference' | 'tasks' | 'enterprises', error: HttpError): PullOutcome {
  tracker.finish(
    error.kind === 'aborted' ? 'cancelled' : 'error',
    error.kind === 'aborted' ? undefined : `同步失败：${error.message}`,
  );
  return { ok: false, phase, error };
}
