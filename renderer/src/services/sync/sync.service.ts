/** The pull as a service: one run at a time, progress for the UI, the quarantine list. */
import { IDLE_PROGRESS, type PullProgress } from '../../sync/progress.js';
import { runPull, warmPullWorker, type PullRun } from '../../sync/pull-runner.js';
import type { SyncProgress, SyncService } from './sync.api.js';
import type { Runtime } from '../runtime.js';
import { docNumbersAfterPull } from '../documents/documents.sync.js';
import { ensureStationCacheKey } from './station-key.js';

/**
 * A sync the link broke is tried again without the inspector: at once when the network comes back,
 * else after these waits while it stays up; each try continues from the stored cursors and
 * snapshot bytes, so nothing already downloaded is fetched again.
 */
export const SYNC_RETRY_DELAYS_MS: readonly number[] = [5_000, 15_000, 30_000, 60_000, 120_000, 300_000];

export function createSyncService(
  rt: Runtime,
  afterPull: () => Promise<unknown>,
  beforePull: () => void = () => undefined,
  /** Why a pull may not start now (another writer of the same cursors), or null. */
  blockedBy: () => string | null = () => null,
): SyncService {
  let progress: SyncProgress = { ...IDLE_PROGRESS, lastSyncedAt: null };
  let run: PullRun | null = null;
  let running: Promise<void> | null = null;
  const listeners = new Set<(p: SyncProgress) => void>();
  // At unlock: a sync then waits neither for the worker to start nor for the cache to open.
  if (rt.deps.useWorker) warmPullWorker(rt.dbs.cache.name);
  const retryDelays = rt.deps.syncRetryDelaysMs ?? (rt.deps.background ? SYNC_RETRY_DELAYS_MS : []);
  /** Consecutive runs the link broke, and what waits to start the next one. */
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryOnline: (() => void) | null = null;
  const clearRetry = (): void => {
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    retryOnline?.();
    retryOnline = null;
  };

  const set = (p: PullProgress, lastSyncedAt = progress.lastSyncedAt, retrying = false) => {
    progress = { ...p, lastSyncedAt, retrying };
    for (const l of listeners) l(progress);
    if (p.phase === 'tasks' || p.phase === 'done') rt.emit('tasks');
  };
  void rt.repos.taskSync
    .get('tasks')
    .then((s) => {
      if (s.lastSyncedAt && !progress.lastSyncedAt) progress = { ...progress, lastSyncedAt: s.lastSyncedAt };
    })
    .catch(() => undefined);

  async function start(): Promise<void> {
    const blocked = blockedBy();
    if (blocked) {
      set({ ...IDLE_PROGRESS, phase: 'error', message: blocked }, progress.lastSyncedAt);
      return;
    }
    if (!rt.baseUrl() || !rt.tokens.hasTokens()) {
      set({ ...IDLE_PROGRESS, phase: 'error', message: '请先联网登录后再同步' });
      return;
    }
    const key = await ensureStationCacheKey(rt);
    if (!key.ok) {
      set({ ...IDLE_PROGRESS, phase: 'error', message: key.message });
      return;
    }
    beforePull();
    run = runPull({
      baseUrl: rt.baseUrl(),
      tokens: rt.tokens,
      dbs: rt.dbs,
      dbPrefix: rt.deps.dbPrefix ?? '',
      pageSize: rt.deps.pageSize ?? 1000,
      useWorker: rt.deps.useWorker ?? false,
      ...(rt.deps.fetch ? { fetch: rt.deps.fetch } : {}),
      onProgress: (p) => set(p.phase === 'done' ? { ...p, phase: 'enterprises', message: '正在预留文书编号…' } : p), // 'done' only after the numbers
    });
    const outcome = await run.done;
    run = null;
    if (outcome.ok) {
      failures = 0;
      await docNumbersAfterPull(rt); // before 'done': the inspector may unplug as soon as it shows
      set({ ...progress, phase: 'done', message: '同步完成' }, rt.now().toISOString());
      await afterPull();
    } else if (progress.phase !== 'cancelled') {
      if (outcome.transient && !outcome.sessionExpired && failures < retryDelays.length) {
        scheduleRetry(outcome.message, retryDelays[failures++]!);
        return;
      }
      const tried = failures;
      failures = 0;
      set({
        ...progress,
        phase: 'error',
        message: outcome.sessionExpired
          ? '登录已过期，请重新登录后再同步'
          : `同步失败：${outcome.message}${tried > 0 ? `（已自动重试 ${tried} 次，请检查网络后再点同步）` : ''}`,
      });
    }
  }

  function scheduleRetry(reason: string, delayMs: number): void {
    clearRetry();
    const again = (): void => {
      clearRetry();
      void service.start().catch(() => undefined);
    };
    const online = rt.deps.network.online();
    set(
      {
        ...progress,
        phase: 'error',
        message: online
          ? `同步中断：${reason}。约 ${Math.max(1, Math.round(delayMs / 1000))} 秒后自动继续，已下载的部分不会重新下载`
          : `同步中断：${reason}。网络恢复后自动继续，已下载的部分不会重新下载`,
      },
      progress.lastSyncedAt,
      true,
    );
    retryOnline = rt.deps.network.subscribe((up) => {
      if (up) again();
    });
    if (online) retryTimer = setTimeout(again, delayMs);
  }

  const service: SyncService = {
    start() {
      // Whoever starts it (the inspector, a retry, a sign-in), a waiting retry is not needed any more.
      clearRetry();
      running ??= start().finally(() => {
        running = null;
      });
      return running;
    },
    cancel() {
      // Cancelling (or a lock) also ends the automatic retries: the inspector decides again.
      clearRetry();
      failures = 0;
      run?.cancel();
    },
    progress: () => progress,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async quarantine() {
      return (await rt.repos.quarantine.list()).map((q) => ({ key: q.key, reason: q.reason, at: q.at }));
    },
  };
  return service;
}
