/**
 * 任务详情: plan, team (names + 执法证号, leader), the check items grouped by department (联合抽查),
 * and the enterprise's credit file. The main button starts, continues or shows the inspection;
 * once finalized, the result's dates (inspection, lock, publication deadline) come first.
 */
import { services } from '../../services/index.js';
import type { CheckItem, Task } from '../../../../shared/protocol/index.js';
import type { StoredResult } from '../../services/index.js';
import { formatDateTime } from '../../ui/format.js';
import { publicationDeadlineOf } from '../inspection/result-text.js';
import { Badge } from '../../ui/Badge.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { navigate } from '../../state/ui.js';
import { CreditFileSummary } from '../enterprises/CreditFileSummary.js';
import { DocumentsPanel } from '../documents/DocumentsPanel.js';
import { FollowUpPanel } from './FollowUpPanel.js';
import { ProcessRecordPanel } from './ProcessRecordPanel.js';
import { TASK_STATUS_LABELS } from './task-text.js';
import { groupByDepartment } from './group-items.js';
import { UsccCheck } from '../../ui/UsccCheck.js';

const ROLE_LABELS: Readonly<Record<Task['team'][number]['role'], string>> = {
  leader: '组长',
  member: '组员',
  expert: '专家',
};

async function loadDetail(taskId: string) {
  const task = await services.tasks.get(taskId);
  if (!task) return null;
  const [enterprise, result, summaries] = await Promise.all([
    services.enterprises.get(task.enterprise.uscc),
    services.inspection.resultForTask(taskId),
    services.tasks.list(),
  ]);
  const localState = result ? 'finalized' : (summaries.find((s) => s.id === taskId)?.localState ?? 'new');
  return { task, enterprise, result, localState };
}

function ResultSummary({ result }: { result: StoredResult }) {
  return (
    <section className="card locked-banner" aria-labelledby="task-result-title">
      <h2 id="task-result-title">检查结果（已锁定）</h2>
      <dl className="kv">
        <dt>检查日期</dt>
        <dd>{result.payload.inspectedOn}</dd>
        <dt>锁定时间</dt>
        <dd>{formatDateTime(result.finalizedAt)}</dd>
        <dt>公示截止日期</dt>
        <dd data-testid="task-publication-deadline">{publicationDeadlineOf(result)}</dd>
        {result.receipt?.publication.state === 'under_review' ? (
          <>
            <dt>审核</dt>
            <dd data-testid="task-review">待审核</dd>
          </>
        ) : null}
      </dl>
      {result.receipt?.publication.state === 'returned' ? (
        <p className="alert alert-danger" role="alert" data-testid="task-review">
          审核退回，需更正：{result.receipt.review?.note ?? '（审核人未填写意见）'}
          。请点“查看结果”，再点“更正此记录”，按审核意见修改后重新定稿。
        </p>
      ) : null}
    </section>
  );
}

function ItemsByDepartment({ items }: { items: readonly CheckItem[] }) {
  const groups = groupByDepartment(items);
  return (
    <section aria-labelledby="items-title" className="card">
      <h2 id="items-title">
        检查事项（{items.length} 项{groups.length > 1 ? `，${groups.length} 个部门联合抽查` : ''}）
      </h2>
      {groups.map((g) => (
        <div key={g.department} className="dept-group">
          <h3>{g.departmentName}</h3>
          <ol className="item-list">
            {g.items.map((it) => (
              <li key={it.code}>
                <span className="mono muted">{it.code}</span> {it.name}{' '}
                {it.key ? <Badge tone="warn">重点事项</Badge> : null}
                <div className="small muted">
                  检查方法：{it.method || '—'} · 依据：{it.legalBasis || '—'}
                </div>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  );
}

export function TaskDetailScreen({ taskId }: { taskId: string }) {
  const { data, error, loading } = useServiceData(
    () => loadDetail(taskId),
    (l) => services.tasks.subscribe(l),
    [taskId],
  );
  if (loading && !data) return <p role="status">正在读取任务…</p>;
  if (error)
    return (
      <p className="alert alert-danger" role="alert">
        读取任务失败：{error}
      </p>
    );
  if (!data) {
    return (
      <section className="screen">
        <h1>任务不存在</h1>
        <p>本机没有这个任务，可能已被取消或尚未同步。</p>
        <a href="#/tasks">返回任务列表</a>
      </section>
    );
  }
  const { task, enterprise, localState, result } = data;
  const inactive = TASK_STATUS_LABELS[task.status];
  const actionLabel = localState === 'finalized' ? '查看结果' : localState === 'draft' ? '继续检查' : '开始检查';
  const canAct = localState === 'finalized' || !inactive;
  const leader = task.team.find((m) => m.role === 'leader');

  return (
    <section className="screen" aria-labelledby="task-title">
      <p className="crumbs">
        <a href="#/tasks">任务列表</a> / {task.taskNo}
      </p>
      <div className="screen-head">
        <div>
          <h1 id="task-title">{task.enterprise.name}</h1>
          <p className="muted">
            <span className="mono">{task.enterprise.uscc}</span> · {task.enterprise.address}
          </p>
          <UsccCheck uscc={task.enterprise.uscc} />
        </div>
        <div className="actions">
          {canAct ? (
            <button
              type="button"
              className="btn btn-primary btn-large"
              onClick={() => navigate({ name: 'inspect', taskId })}
            >
              {actionLabel}
            </button>
          ) : (
            <span className="alert alert-warn">任务{inactive}，不能开始检查</span>
          )}
        </div>
      </div>

      <div className="detail-grid">
        <div className="detail-main">
          {result ? <ResultSummary result={result} /> : null}
          <FollowUpPanel task={task} />
          <section className="card" aria-labelledby="plan-title">
            <h2 id="plan-title">抽查计划</h2>
            <dl className="kv">
              <dt>任务编号</dt>
              <dd className="mono">{task.taskNo}</dd>
              <dt>计划</dt>
              <dd>
                {task.plan.name}（<span className="mono">{task.plan.code}</span>）
              </dd>
              <dt>类型</dt>
              <dd>
                {task.plan.targeted ? '定向抽查' : '不定向抽查'}
                {task.plan.crossDept ? ' · 跨部门联合抽查' : ''}
              </dd>
              <dt>牵头部门</dt>
              <dd>{task.plan.leadDept}</dd>
              <dt>计划期间</dt>
              <dd>
                {task.plan.start} 至 {task.plan.end}
              </dd>
              <dt>截止日期</dt>
              <dd>{task.dueDate}</dd>
              {inactive ? (
                <>
                  <dt>任务状态</dt>
                  <dd>
                    <Badge tone="danger">{inactive}</Badge>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
          <section className="card" aria-labelledby="team-title">
            <h2 id="team-title">检查组</h2>
            <table className="table compact" aria-labelledby="team-title">
              <thead>
                <tr>
                  <th scope="col">姓名</th>
                  <th scope="col">执法证号</th>
                  <th scope="col">角色</th>
                  <th scope="col">证件有效期至</th>
                </tr>
              </thead>
              <tbody>
                {task.team.map((m) => (
                  <tr key={m.inspectorId}>
                    <td>{m.name}</td>
                    <td className="mono">{m.certNo}</td>
                    <td>{m === leader ? <Badge tone="info">组长</Badge> : ROLE_LABELS[m.role]}</td>
                    <td>{m.certExpiry}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <ItemsByDepartment items={task.items} />
          <DocumentsPanel taskId={taskId} />
          <ProcessRecordPanel taskId={taskId} team={task.team} />
        </div>
        <div className="detail-side">
          {enterprise ? (
            <CreditFileSummary e={enterprise} />
          ) : (
            <p className="alert alert-info">本机还没有该企业的信用档案，请联网同步。</p>
          )}
        </div>
      </div>
    </section>
  );
}
