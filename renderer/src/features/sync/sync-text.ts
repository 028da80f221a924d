/** zh-CN texts for the sync phases and the derived percent. */
import type { SyncPhase, SyncProgress } from '../../services/index.js';

export const PHASE_LABELS: Readonly<Record<SyncPhase, string>> = {
  idle: '未开始',
  reference: '基础数据',
  tasks: '检查任务',
  enterprises: '企业信用档案',
  done: '同步完成',
  error: '同步出错',
  cancelled: '已取消',
};

export const PHASE_ORDER: readonly SyncPhase[] = ['reference', 'tasks', 'enterprises'];

export function isRunning(phase: SyncPhase): boolean {
  return phase === 'reference' || phase === 'tasks' || phase === 'enterprises';
}

/** Percent of the current phase (0–100), 100 when done, null when the total is unknown. */
export function syncPercent(p: SyncProgress): number | null {
  if (p.phase === 'done') return 100;
  if (p.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100)));
}
