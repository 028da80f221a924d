/**
 * 同步: start / cancel, a progress bar per phase (基础数据 → 检查任务 → 企业信用档案), records done /
 * total, percent, rate, time left, quarantined records with their reasons, and the last sync time.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import { useUi } from '../../state/ui.js';
import { formatRoute } from '../../state/routes.js';
import { formatDateTime, formatEta, formatRate } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { PHASE_LABELS, PHASE_ORDER, byteLine, isRunning, syncPercent } from './sync-text.js';
import { useSyncProgress } from './useSyncProgress.js';

function PhaseSteps({ phase }: { phase: string }) {
  const current = PHASE_ORDER.indexOf(phase as (typeof PHASE_ORDER)[number]);
  return (
    <ol className="steps" aria-label="同步阶段">
      {PHASE_ORDER.map((p, i) => {
        const state = phase === 'done' || (current >= 0 && i < current) ? 'done' : i === current ? 'current' : 'todo';
        return (
          <li key={p} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {PHASE_LABELS[p]}
          </li>
        );
      })}
    </ol>
  );
}

function QuarantineList({ count }: { count: number }) {
  const { data } = useServiceData(() => services.sync.quarantine(), null, [count]);
  if (count === 0) return <p className="muted">没有被隔离的记录。</p>;
  return (
    <details className="quarantine" open={count <= 5}>
      <summary>{count} 条记录未通过校验，已隔离（不影响其他数据）</summary>
      <ul>
        {(data ?? []).slice(0, 200).map((q) => (
          <li key={`${q.key}-${q.at}`}>
            <code>{q.key}</code>：{q.reason} <span className="muted">（{formatDateTime(q.at)}）</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function SyncScreen() {
  const p = useSyncProgress();
  const online = useUi((s) => s.online);
  const [startError, setStartError] = useState<string | null>(null);
  const running = isRunning(p.phase);
  const percent = syncPercent(p);
  const bytes = byteLine(p);

  const start = (): void => {
    setStartError(null);
    services.sync.start().catch((err: unknown) => setStartError(err instanceof Error ? err.message : String(err)));
  };

  return (
    <section className="screen" aria-labelledby="sync-title">
      <div className="screen-head">
        <h1 id="sync-title">同步</h1>
        <div className="actions">
          {/* Two separate buttons, never one that flips its label: a double-click on 开始同步 must
              not land on 取消同步, and a sync is never started twice. */}
          <button type="button" className="btn btn-primary" onClick={start} disabled={!online || running}>
            开始同步
          </button>
          <button type="button" className="btn" onClick={() => services.sync.cancel()} disabled={!running}>
            取消同步
          </button>
        </div>
      </div>
      {!online ? (
        <p className="alert alert-info">当前离线，联网后才能同步。已下载的任务和信用档案可继续使用。</p>
      ) : null}

      <div className="card">
        <PhaseSteps phase={p.phase} />
        <p className="sync-phase" aria-live="polite" data-testid="sync-phase">
          {running ? `正在同步：${PHASE_LABELS[p.phase]}` : p.retrying ? '同步中断，将自动继续' : PHASE_LABELS[p.phase]}
          {p.message && !p.message.includes(PHASE_LABELS[p.phase]) ? (
            <span className="muted"> · {p.message}</span>
          ) : null}
        </p>
        <div
          className="progress"
          role="progressbar"
          aria-label="同步进度"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={percent ?? undefined}
          aria-valuetext={percent === null ? '进度未知' : `${percent}%`}
        >
          <div
            className={`progress-bar ${percent === null && running ? 'progress-indeterminate' : ''}`}
            style={{ width: `${percent ?? (running ? 30 : 0)}%` }}
          />
        </div>
        <dl className="stats">
          <div>
            <dt>已完成</dt>
            <dd data-testid="sync-count">
              {p.done.toLocaleString('zh-CN')} / {p.total > 0 ? p.total.toLocaleString('zh-CN') : '—'} 条
            </dd>
          </div>
          <div>
            <dt>进度</dt>
            <dd>{percent === null ? '—' : `${percent}%`}</dd>
          </div>
          {running && bytes ? (
            <div>
              <dt>已下载</dt>
              <dd data-testid="sync-bytes">{bytes}</dd>
            </div>
          ) : null}
          <div>
            <dt>速度</dt>
            <dd>{running ? formatRate(p.recordsPerSecond) : '—'}</dd>
          </div>
          <div>
            <dt>剩余时间</dt>
            <dd>{running ? formatEta(p.bytes ? p.bytes.etaSeconds : p.etaSeconds) : '—'}</dd>
          </div>
          <div>
            <dt>隔离记录</dt>
            <dd>{p.quarantined} 条</dd>
          </div>
          <div>
            <dt>上次同步</dt>
            <dd data-testid="last-synced">{formatDateTime(p.lastSyncedAt)}</dd>
          </div>
        </dl>
        {startError ? (
          <p className="alert alert-danger" role="alert">
            同步失败：{startError}
          </p>
        ) : null}
        {p.phase === 'error' && p.retrying ? (
          <p className="alert alert-info" role="status">
            {p.message}
          </p>
        ) : p.phase === 'error' ? (
          <p className="alert alert-danger" role="alert">
            同步出错：{p.message || '未知错误'}。已下载的数据已保存，再次同步会从中断处继续。
          </p>
        ) : null}
      </div>

      <p className="small muted" data-testid="sync-usb-hint">
        没有网络？可在「<a href={formatRoute({ name: 'usb' })}>传输（U盘）</a>」导入平台导出的站所数据包。
      </p>

      <div className="card">
        <h2>隔离记录</h2>
        <QuarantineList count={p.quarantined} />
      </div>

      {p.phase === 'done' ? (
        <p>
          <a className="btn btn-primary" href="#/tasks">
            查看任务列表
          </a>
        </p>
      ) : null}
    </section>
  );
}
