/**
 * The inspection route: loads the task, its credit file and reference data; shows the read-only
 * result when the task is finalized, otherwise opens (or creates) the draft and shows the form.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { StoredResult } from '../../services/api.js';
import { formatRoute } from '../../app/routes.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { TASK_STATUS_LABELS } from '../tasks/taskText.js';
import { InspectionForm } from './InspectionForm.js';
import { ResultView } from './ResultView.js';

async function loadInspection(taskId: string) {
  const task = await services.tasks.get(taskId);
  if (!task) return null;
  const [enterprise, reference, result] = await Promise.all([
    services.enterprises.get(task.enterprise.uscc),
    services.reference.get(),
    services.inspection.resultForTask(taskId),
  ]);
  const inactive = TASK_STATUS_LABELS[task.status];
  const draft = result || inactive ? null : await services.inspection.openDraft(taskId);
  return { task, enterprise, reference, result, draft, inactive };
}

export function InspectionScreen({ taskId }: { taskId: string }) {
  const { data, error, loading } = useServiceData(() => loadInspection(taskId), null, [taskId]);
  const [finalized, setFinalized] = useState<StoredResult | null>(null);
  const onFinalized = (r: StoredResult): void => {
    setFinalized(r);
    window.scrollTo({ top: 0 });
  };

  if (loading && !data) return <p role="status">正在打开检查记录…</p>;
  if (error) {
    return (
      <p className="alert alert-danger" role="alert">
        打开检查记录失败：{error}
      </p>
    );
  }
  if (!data) {
    return (
      <section className="screen">
        <h1>任务不存在</h1>
        <a href="#/tasks">返回任务列表</a>
      </section>
    );
  }
  const { task, enterprise, reference, draft, inactive } = data;
  const result = finalized ?? data.result;

  return (
    <section className="screen" aria-labelledby="inspect-title">
      <p className="crumbs">
        <a href="#/tasks">任务列表</a> / <a href={formatRoute({ name: 'task', taskId })}>{task.taskNo}</a> / 现场检查
      </p>
      <div className="screen-head">
        <h1 id="inspect-title">现场检查：{task.enterprise.name}</h1>
      </div>
      {finalized ? (
        <p className="alert alert-ok" role="status">
          已完成并锁定，已加入待上传。联网后自动上传。
        </p>
      ) : null}
      {result ? (
        <ResultView task={task} result={result} />
      ) : draft ? (
        <InspectionForm task={task} draft={draft} enterprise={enterprise} reference={reference} onFinalized={onFinalized} />
      ) : (
        <p className="alert alert-warn">任务{inactive}，不能开始检查。</p>
      )}
    </section>
  );
}
