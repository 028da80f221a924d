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
  // A snapshot download: bytes are what moves until its records are imported.
  if (p.bytes && p.bytes.total > 0) return Math.max(0, Math.min(100, Math.floor((p.bytes.done / p.bytes.total) * 100)));
  if (p.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100)));
}

/** A byte count in MB (two decimals below 10 MB), or KB below 1 MB. */
export function formatBytes(n: number): string {
  if (n < 1024 * 1024) return `${Math.round(n / 1024).toLocaleString('zh-CN')} KB`;
  const mb = n / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB`;
}

/** The snapshot download line: bytes done of total and the byte rate (null when not downloading bytes). */
export function byteLine(p: SyncProgress): string | null {
  if (!p.bytes) return null;
  const rate = p.bytes.perSecond > 0 ? ` · ${formatBytes(p.bytes.perSecond)}/秒` : '';
  return `${formatBytes(p.bytes.done)} / ${formatBytes(p.bytes.total)}${rate}`;
}
