/**
 * 现场文书 panel for a task: numbers left on this device (warned early when low), the
 * documents the deployment uses with why one cannot be made yet, the documents issued for the
 * task, the preview with print / save / void, and the task's case file (案卷). Self-contained: drop `<DocumentsPanel taskId=… />` into a
 * screen. Opening it warms up pdfmake and the fonts so the first document does not wait for them.
 */
import { useEffect, useState } from 'react';
import { services } from '../../services/index.js';
import type { DocumentKindName } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { CaseFileActions } from './CaseFileActions.js';
import { DocumentPreview } from './DocumentPreview.js';
import { IssueForm } from './IssueForm.js';
import './documents.css';

async function load(taskId: string) {
  const [stock, available, issued] = await Promise.all([
    services.documents.stock(),
    services.documents.available(taskId),
    services.documents.list(taskId),
  ]);
  return { stock, available, issued };
}

const dateTime = (iso: string): string => new Date(iso).toLocaleString('zh-CN', { hour12: false });

export function DocumentsPanel({ taskId }: { taskId: string }) {
  const { data, error } = useServiceData(
    () => load(taskId),
    (l) => services.documents.subscribe(l),
    [taskId],
  );
  const [editing, setEditing] = useState<DocumentKindName | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    services.documents.warmUp().catch((e: unknown) => console.warn('文书字体预加载失败', e));
  }, []);

  if (error)
    return (
      <section className="card">
        <p className="alert alert-danger" role="alert">
          读取文书失败：{error}
        </p>
      </section>
    );
  if (!data)
    return (
      <section className="card">
        <p role="status">正在读取文书…</p>
      </section>
    );
  const low = data.stock.filter((s) => s.low);
  const current = data.issued.find((d) => d.docId === selected) ?? null;
  const editingTitle = data.available.find((a) => a.kind === editing)?.title ?? '';

  return (
    <section className="card docs-panel" aria-labelledby="docs-title">
      <h2 id="docs-title">现场文书</h2>
      <p className="small muted">本机可用编号：{data.stock.map((s) => `${s.title} ${s.remaining} 个`).join('；')}</p>
      {low.length > 0 ? (
        <p className="alert alert-warn" role="alert">
          {low.map((s) => `${s.title}编号仅剩 ${s.remaining} 个`).join('；')}。请尽快联网同步以预留新的编号。
        </p>
      ) : null}
      <div className="doc-kinds">
        {data.available.map((a) => (
          <div key={a.kind} className="doc-kind">
            <button
              type="button"
              className="btn"
              disabled={a.blockedReason !== null || editing !== null}
              onClick={() => setEditing(a.kind)}
            >
              出具{a.title}
            </button>
            {a.blockedReason ? <span className="small muted">{a.blockedReason}</span> : null}
          </div>
        ))}
      </div>
      {editing ? (
        <IssueForm
          taskId={taskId}
          kind={editing}
          title={editingTitle}
          onCancel={() => setEditing(null)}
          onIssued={(docId) => {
            setEditing(null);
            setSelected(docId);
          }}
        />
      ) : null}
      {data.issued.length > 0 ? (
        <table className="table compact" aria-label="已出具的文书">
          <thead>
            <tr>
              <th scope="col">文书</th>
              <th scope="col">编号</th>
              <th scope="col">生成时间</th>
              <th scope="col">状态</th>
              <th scope="col">操作</th>
            </tr>
          </thead>
          <tbody>
            {data.issued.map((d) => (
              <tr key={d.docId} className={d.voided ? 'row-inactive' : undefined}>
                <td>{d.title}</td>
                <td className="mono">{d.docNo}</td>
                <td>{dateTime(d.issuedAt)}</td>
                <td>{d.voided ? `已作废（${d.voidReason ?? ''}）` : '有效'}</td>
                <td>
                  <button type="button" className="linklike" onClick={() => setSelected(d.docId)}>
                    预览 {d.docNo}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">本任务还没有出具文书。</p>
      )}
      {data.issued.length > 0 ? <CaseFileActions taskId={taskId} /> : null}
      {current ? <DocumentPreview key={current.docId} doc={current} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}
