/**
 * 任务列表: the assigned tasks with task no., enterprise, plan, due date (soon / overdue
 * highlighted), status (with the publication deadline once finalized) and the enterprise's credit
 * class and warning colour. Filter by text/status.
 */
import { useMemo, useState } from 'react';
import { services } from '../../services/index.js';
import type { TaskSummary } from '../../services/index.js';
import { Badge, CreditBadge, WarningBadge } from '../../ui/Badge.js';
import { dueLevel, dueText } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { formatRoute } from '../../state/routes.js';
import { publicationDeadlineOf } from '../inspection/result-text.js';
import { followUpText, followUpTone } from './follow-up-text.js';
import { LOCAL_STATE_LABELS, LOCAL_STATE_TONES, TASK_STATUS_LABELS } from './task-text.js';

type Filter = 'all' | TaskSummary['localState'];

function matches(t: TaskSummary, text: string, filter: Filter): boolean {
  if (filter !== 'all' && t.localState !== filter) return false;
  if (!text) return true;
  return [t.taskNo, t.enterpriseName, t.enterpriseUscc, t.planName].some((v) => v.includes(text));
}

/** The task list plus, for finalized tasks, the publication deadline of their result. */
async function loadTasks(): Promise<{ tasks: readonly TaskSummary[]; deadlines: ReadonlyMap<string, string> }> {
  const tasks = await services.tasks.list();
  const finalized = tasks.filter((t) => t.localState === 'finalized');
  const results = await Promise.all(finalized.map((t) => services.inspection.resultForTask(t.id)));
  const deadlines = new Map<string, string>();
  results.forEach((r, i) => {
    const t = finalized[i];
    if (r && t) deadlines.set(t.id, publicationDeadlineOf(r));
  });
  return { tasks, deadlines };
}

function TaskRow({ t, now, deadline }: { t: TaskSummary; now: Date; deadline: string | undefined }) {
  const due = dueLevel(t.dueDate, now);
  const platformStatus = TASK_STATUS_LABELS[t.taskStatus];
  return (
    <tr className={platformStatus ? 'row-inactive' : undefined}>
      <td className="mono">{t.taskNo}</td>
      <td>
        <a href={formatRoute({ name: 'task', taskId: t.id })} className="strong-link">
          {t.enterpriseName}
        </a>
        <div className="muted small mono">{t.enterpriseUscc}</div>
      </td>
      <td>{t.planName}</td>
      <td className={`due due-${t.localState === 'finalized' ? 'normal' : due.level}`}>
        {t.dueDate}
        {t.localState !== 'finalized' && dueText(t.dueDate, now) ? (
          <div className="small">{dueText(t.dueDate, now)}</div>
        ) : null}
      </td>
      <td>
        <Badge tone={LOCAL_STATE_TONES[t.localState]}>{LOCAL_STATE_LABELS[t.localState]}</Badge>{' '}
        {platformStatus ? <Badge tone="danger">{platformStatus}</Badge> : null}
        {t.followUp ? (
          <div className="small" data-testid="task-follow-up">
            复查 <Badge tone={followUpTone(t.followUp)}>{followUpText(t.followUp)}</Badge>
          </div>
        ) : null}
        {deadline ? (
          <div className="small" data-testid="task-publication-deadline">
            公示截止 {deadline}
          </div>
        ) : null}
      </td>
      <td>
        <CreditBadge cls={t.creditClass} /> <WarningBadge color={t.warningColor} />
      </td>
    </tr>
  );
}

export function TaskListScreen() {
  const { data, error, loading } = useServiceData(loadTasks, (l) => services.tasks.subscribe(l), []);
  const [text, setText] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const now = useMemo(() => new Date(), []);
  const tasks = data?.tasks ?? [];
  const shown = tasks.filter((t) => matches(t, text.trim(), filter));
  const counts = { new: 0, draft: 0, finalized: 0 };
  for (const t of tasks) counts[t.localState] += 1;

  return (
    <section className="screen" aria-labelledby="tasks-title">
      <div className="screen-head">
        <h1 id="tasks-title">任务列表</h1>
        <p className="muted" aria-live="polite">
          共 {tasks.length} 项 · 未开始 {counts.new} · 检查中 {counts.draft} · 已完成 {counts.finalized}
        </p>
      </div>
      <div className="toolbar" role="search">
        <label className="inline-field">
          <span>搜索</span>
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="企业名称、信用代码、任务编号"
          />
        </label>
        <label className="inline-field">
          <span>状态</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">全部</option>
            <option value="new">未开始</option>
            <option value="draft">检查中</option>
            <option value="finalized">已完成</option>
          </select>
        </label>
      </div>
      {error ? (
        <p className="alert alert-danger" role="alert">
          读取任务失败：{error}
        </p>
      ) : null}
      {!loading && tasks.length === 0 ? (
        <div className="empty">
          <p>本机还没有检查任务。</p>
          <a className="btn btn-primary" href="#/sync">
            去同步
          </a>
        </div>
      ) : (
        <table className="table" aria-labelledby="tasks-title">
          <thead>
            <tr>
              <th scope="col">任务编号</th>
              <th scope="col">企业</th>
              <th scope="col">抽查计划</th>
              <th scope="col">任务截止日期</th>
              <th scope="col">状态</th>
              <th scope="col">信用分类 / 预警</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t) => (
              <TaskRow key={t.id} t={t} now={now} deadline={data?.deadlines.get(t.id)} />
            ))}
          </tbody>
        </table>
      )}
      {tasks.length > 0 && shown.length === 0 ? <p className="muted">没有符合条件的任务。</p> : null}
    </section>
  );
}
