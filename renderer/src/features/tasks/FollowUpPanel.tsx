/**
 * 复查 panel on a follow-up task: which result and findings it re-checks, its deadline and where it
 * stands (reminder, overdue), and for a special-equipment 指令书 the date the unit's rectification
 * report came in, which starts the 10-working-day clock. Works offline: all of it is on the device.
 */
import { useId, useState } from 'react';
import type { Task } from '../../../../shared/protocol/index.js';
import { services } from '../../services/index.js';
import { Badge } from '../../ui/Badge.js';
import { DateInput } from '../../ui/DateInput.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { FOLLOW_UP_KIND_LABELS, followUpText, followUpTone } from './follow-up-text.js';

function ReportForm({ taskId }: { taskId: string }) {
  const fieldId = useId();
  const [reportOn, setReportOn] = useState('');
  const [error, setError] = useState<string | null>(null);
  async function record() {
    const out = await services.tasks.recordRectificationReport(taskId, reportOn);
    setError(out.ok ? null : out.error.message);
  }
  return (
    <div className="inline-field">
      <label htmlFor={fieldId}>整改报告收到日期</label>
      <DateInput id={fieldId} value={reportOn} onChange={setReportOn} />
      <button type="button" className="btn" onClick={() => void record()}>
        登记整改报告
      </button>
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function FollowUpPanel({ task }: { task: Task }) {
  const fu = task.followUp;
  const { data: summary } = useServiceData(
    () => services.tasks.followUpSummary(task.id),
    (l) => services.tasks.subscribe(l),
    [task.id],
  );
  if (!fu) return null;
  const names = new Map(task.items.map((i) => [i.code, i.name]));
  return (
    <section className="card" aria-labelledby="follow-up-title" data-testid="follow-up-panel">
      <h2 id="follow-up-title">
        {FOLLOW_UP_KIND_LABELS[fu.kind]}{' '}
        {summary ? (
          <span data-testid="follow-up-state">
            <Badge tone={followUpTone(summary)}>{followUpText(summary)}</Badge>
          </span>
        ) : null}
      </h2>
      <dl className="kv">
        <dt>原检查</dt>
        <dd>
          {fu.originalInspectedOn}（结果编号 <span className="mono">{fu.originalResultId}</span>）
        </dd>
        <dt>复查期限</dt>
        <dd data-testid="follow-up-deadline">{fu.deadline ?? '自收到整改报告之日起 10 个工作日内'}</dd>
        {fu.kind === 'se_order' ? (
          <>
            <dt>整改报告</dt>
            <dd>{fu.rectificationReportOn ? `${fu.rectificationReportOn} 收到` : '尚未收到'}</dd>
          </>
        ) : null}
      </dl>
      <h3>需复查的问题</h3>
      <ol className="item-list">
        {fu.findings.map((f) => (
          <li key={f.itemCode}>
            {names.get(f.itemCode) ?? f.itemCode}：{f.description}
            <div className="small muted">责令改正期限 {f.rectifyDeadline}</div>
          </li>
        ))}
      </ol>
      <p className="small muted">复查时逐项检查：符合即已改正；不符合可再次责令改正，或移交立案、移送其他部门。</p>
      {fu.kind === 'se_order' && summary?.state !== 'done' ? <ReportForm taskId={task.id} /> : null}
    </section>
  );
}
