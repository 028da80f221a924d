/**
 * 待上传: every finalized result with its enterprise, upload state (上传中 n%), attempts, last / next
 * attempt, the error with what to do, and the publication deadline. 立即上传 drains the queue now.
 * A 需处理 row carries the review flow (resend as a correction, or keep with a note).
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { OutboxEntry } from '../../services/index.js';
import { useUi } from '../../state/ui.js';
import { Badge } from '../../ui/Badge.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { formatRoute } from '../../state/routes.js';
import { OUTBOX_STATE_TONES, isPending, stateLabel } from './outbox-text.js';
import { ReviewPanel } from './ReviewPanel.js';
import { LogAlarmPanel } from './LogAlarmPanel.js';

function Row({ e }: { e: OutboxEntry }) {
  return (
    <tr data-result-id={e.resultId}>
      <td>
        <a href={formatRoute({ name: 'inspect', taskId: e.taskId })}>{e.enterpriseName}</a>
      </td>
      <td>
        <Badge tone={OUTBOX_STATE_TONES[e.state]}>{stateLabel(e)}</Badge>
        {e.replaces ? <div className="muted">更正记录</div> : null}
        {e.logIndex !== null ? (
          <div className="small muted" data-testid="log-verified">
            平台日志已验证（第 {e.logIndex + 1} 条）
          </div>
        ) : null}
        {e.unlogged ? (
          <div className="small muted" data-testid="log-pending">
            未入公开日志（旧版回执，正在向平台索取日志证明）
          </div>
        ) : null}
      </td>
      <td className="num">{e.attempts}</td>
      <td>{formatDateTime(e.lastAttemptAt)}</td>
      <td>{e.state === 'accepted' || e.state === 'published' ? '—' : formatDateTime(e.nextAttemptAt)}</td>
      <td>
        {e.lastError ? <div className="text-danger">{e.lastError}</div> : null}
        {e.advice ? <div className="advice">处理建议：{e.advice}</div> : null}
        {!e.lastError && !e.advice ? '—' : null}
        {e.state === 'needs_review' ? <ReviewPanel e={e} /> : null}
      </td>
      <td>
        {e.publicationDeadline}
        {e.state === 'needs_review' || e.state === 'paused' ? <div className="small muted">处理前暂不公示</div> : null}
      </td>
    </tr>
  );
}

export function OutboxScreen() {
  const { data, error } = useServiceData(
    () => services.outbox.list(),
    (l) => services.outbox.subscribe(l),
    [],
  );
  const alarm = useServiceData(
    () => services.outbox.logAlarm(),
    (l) => services.outbox.subscribe(l),
    [],
  ).data;
  const online = useUi((s) => s.online);
  const [pushing, setPushing] = useState(false);
  const [pushError, setPushError] = useState<string | null>(null);
  const entries = data ?? [];
  const pending = entries.filter(isPending);
  const done = entries.filter((e) => !isPending(e));

  const pushNow = async (): Promise<void> => {
    setPushing(true);
    setPushError(null);
    try {
      await services.outbox.pushNow();
    } catch (err) {
      setPushError(err instanceof Error ? err.message : String(err));
    } finally {
      setPushing(false);
    }
  };

  const head = (
    <thead>
      <tr>
        <th scope="col">企业</th>
        <th scope="col">状态</th>
        <th scope="col">尝试次数</th>
        <th scope="col">上次尝试</th>
        <th scope="col">下次尝试</th>
        <th scope="col">错误与处理建议</th>
        <th scope="col">公示截止日期</th>
      </tr>
    </thead>
  );

  return (
    <section className="screen" aria-labelledby="outbox-title">
      <div className="screen-head">
        <h1 id="outbox-title">待上传</h1>
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => void pushNow()} disabled={pushing}>
            {pushing ? '正在上传…' : '立即上传'}
          </button>
        </div>
      </div>
      <p className="muted" aria-live="polite" data-testid="outbox-summary">
        {pending.length > 0 ? `${pending.length} 条结果尚未被平台接收。` : '所有结果均已上传。'}
        {!online && pending.length > 0 ? ' 当前离线，联网后会自动上传；记录已安全保存在本机。' : ''}
      </p>
      {alarm ? (
        <p className="alert alert-danger" role="alert" data-testid="log-alarm">
          {alarm}。本检查员的上传已全部停止，本地记录已完整保留，请立即联系管理员。
        </p>
      ) : null}
      {alarm ? <LogAlarmPanel /> : null}
      {pushError ? (
        <p className="alert alert-danger" role="alert">
          上传失败：{pushError}
        </p>
      ) : null}
      {error ? (
        <p className="alert alert-danger" role="alert">
          读取待上传列表失败：{error}
        </p>
      ) : null}
      {entries.length === 0 ? (
        <p className="empty">还没有已完成的检查结果。</p>
      ) : (
        <>
          <table className="table" aria-label="待上传的检查结果">
            {head}
            <tbody>
              {pending.map((e) => (
                <Row key={e.opId} e={e} />
              ))}
              {pending.length === 0 ? (
                <tr>
                  <td colSpan={7} className="muted">
                    没有待上传的结果。
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {done.length > 0 ? (
            <>
              <h2>已上传</h2>
              <table className="table" aria-label="已上传的检查结果">
                {head}
                <tbody>
                  {done.map((e) => (
                    <Row key={e.opId} e={e} />
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      )}
    </section>
  );
}
