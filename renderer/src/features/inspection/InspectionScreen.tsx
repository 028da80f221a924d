/**
 * The inspection route: loads the task, its credit file and reference data; shows the read-only
 * result when the task is finalized (with every earlier record it replaced, linked), otherwise
 * opens (or creates) the draft and shows the form. 更正 starts a correction: a new record that
 * names the one it replaces; both are kept.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { Draft, StoredResult } from '../../services/index.js';
import { formatRoute } from '../../state/routes.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { TASK_STATUS_LABELS } from '../tasks/task-text.js';
import { LicenceScan } from '../enterprises/LicenceScan.js';
import { InspectionForm } from './InspectionForm.js';
import { ResultView } from './ResultView.js';

async function loadInspection(taskId: string) {
  const task = await services.tasks.get(taskId);
  if (!task) return null;
  const [enterprise, reference, results] = await Promise.all([
    services.enterprises.get(task.enterprise.uscc),
    services.reference.get(),
    services.inspection.resultsForTask(taskId),
  ]);
  const inactive = TASK_STATUS_LABELS[task.status];
  let draft: Draft | null = null;
  if (results.length > 0) {
    const current = await services.inspection.openDraft(taskId);
    if (!results.some((r) => r.resultId === current.resultId)) draft = current; // an open correction
  } else if (!inactive) {
    draft = await services.inspection.openDraft(taskId);
  }
  return { task, enterprise, reference, results, draft, inactive };
}

function LinkedResults({ results }: { results: readonly StoredResult[] }) {
  if (results.length < 2) return null;
  return (
    <div className="card">
      <h3>本任务的检查记录（更正链）</h3>
      <ol className="linked-results" data-testid="linked-results">
        {results.map((r) => (
          <li key={r.resultId}>
            <span className="mono">{r.resultId}</span> · {formatDateTime(r.finalizedAt)} 锁定
            {r.payload.replaces ? ` · 更正并替代 ${r.payload.replaces}` : ' · 原始记录'}
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Names the record being corrected by when it was locked (the id is kept for the record, in small type). */
function CorrectionNotice({ replaces, results }: { replaces: string; results: readonly StoredResult[] }) {
  const old = results.find((r) => r.resultId === replaces);
  return (
    <p className="alert alert-warn" data-testid="correction-notice">
      正在更正已锁定的记录{old ? `（${formatDateTime(old.finalizedAt)} 锁定）` : ''}
      ：锁定后两条记录都保留，新记录替代旧记录。
      <span className="small mono"> 原记录编号 {replaces}</span>
    </p>
  );
}

export function InspectionScreen({ taskId }: { taskId: string }) {
  const [version, setVersion] = useState(0);
  const { data, error, loading } = useServiceData(() => loadInspection(taskId), null, [taskId, version]);
  const [notice, setNotice] = useState<string | null>(null);
  const [correctError, setCorrectError] = useState<string | null>(null);
  const onFinalized = (): void => {
    setNotice('已完成并锁定，已加入待上传。联网后自动上传。');
    setVersion((v) => v + 1);
    window.scrollTo({ top: 0 });
  };
  const correct = async (): Promise<void> => {
    setCorrectError(null);
    try {
      await services.inspection.startCorrection(taskId);
      setNotice(null);
      setVersion((v) => v + 1);
    } catch (e) {
      setCorrectError(e instanceof Error ? e.message : String(e));
    }
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
  const { task, enterprise, reference, draft, inactive, results } = data;
  const latest = results[0] ?? null;

  return (
    <section className="screen" aria-labelledby="inspect-title">
      <p className="crumbs">
        <a href="#/tasks">任务列表</a> / <a href={formatRoute({ name: 'task', taskId })}>{task.taskNo}</a> / 现场检查
      </p>
      <div className="screen-head">
        <h1 id="inspect-title">现场检查：{task.enterprise.name}</h1>
      </div>
      {notice ? (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      ) : null}
      {draft ? (
        <>
          {draft.replaces ? <CorrectionNotice replaces={draft.replaces} results={results} /> : null}
          <LicenceScan expected={{ uscc: task.enterprise.uscc, name: task.enterprise.name }} />
          <InspectionForm
            key={draft.resultId}
            task={task}
            draft={draft}
            enterprise={enterprise}
            reference={reference}
            onFinalized={onFinalized}
          />
        </>
      ) : latest ? (
        <>
          <ResultView task={task} result={latest} />
          <LinkedResults results={results} />
          <div className="card evidence-actions">
            <button type="button" className="btn" onClick={() => void correct()}>
              更正此记录
            </button>
            <span className="small muted">更正将新建一条记录并注明替代本记录，原记录保留。</span>
            {correctError ? (
              <p className="field-error" role="alert">
                {correctError}
              </p>
            ) : null}
          </div>
        </>
      ) : (
        <p className="alert alert-warn">任务{inactive}，不能开始检查。</p>
      )}
    </section>
  );
}
