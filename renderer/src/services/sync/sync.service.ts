/** The pull as a service: one run at a time, progress for the UI, the quarantine list. */
import { IDLE_PROGRESS, type PullProgress } from '../../sync/progress.js';
import { runPull, type PullRun } from '../../sync/pull-runner.js';
import type { SyncProgress, SyncService } from './sync.api.js';
import type { Runtime } from '../runtime.js';
import { docNumbersAfterPull } from '../documents/documents.sync.js';
import { ensureStationCacheKey } from './station-key.js';

export function createSyncService(
  rt: Runtime,
  afterPull: () => Promise<unknown>,
  beforePull: () => void = () => undefined,
): SyncService {
  let progress: SyncProgress = { ...IDLE_PROGRESS, lastSyncedAt: null };
  let run: PullRun | null = null;
  let running: Promise<void> | null = null;
  const listeners = new Set<(p: SyncProgress) => void>();

  const set = (p: PullProgress, lastSyncedAt = progress.lastSyncedAt) => {
    progress = { ...p, lastSyncedAt };
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
      await docNumbersAfterPull(rt); // before 'done': the inspector may unplug as soon as it shows
      set({ ...progress, phase: 'done', message: '同步完成' }, rt.now().toISOString());
      await afterPull();
    } else if (progress.phase !== 'cancelled') {
      set({
        ...progress,
        phase: 'error',
        message: outcome.sessionExpired ? '登录已过期，请重新登录后再同步' : `同步失败：${outcome.message}`,
      });
    }
  }

  return {
    start() {
      running ??= start().finally(() => {
        running = null;
      });
      return running;
    },
    cancel() {
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
}
