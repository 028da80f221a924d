/**
 * 执法过程记录: the task's entries on the inspector's hash-chained audit log, in chain order, and a
 * 核验 button that recomputes the whole chain (the same check as at start-up and before upload)
 * and says whether it is intact or which entry was altered.
 */
import { useState } from 'react';
import type { Task } from '../../../../shared/protocol/index.js';
import { services } from '../../services/index.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { chinaTime, eventText, shortHash, subjectHash, verdictText } from './process-record-text.js';

function Hash({ value }: { value: string | null }) {
  if (!value) return <span className="muted">—</span>;
  return (
    <span className="mono" title={value} aria-description={`完整值 ${value}`}>
      {shortHash(value)}
    </span>
  );
}

type Verdict = { ok: boolean; text: string } | null;

export function ProcessRecordPanel({ taskId, team }: { taskId: string; team: Task['team'] }) {
  const [open, setOpen] = useState(false);
  const [verdict, setVerdict] = useState<Verdict>(null);
  const [checking, setChecking] = useState(false);
  const { data, error } = useServiceData(
    () => (open ? services.inspection.processRecord(taskId) : Promise.resolve(null)),
    (l) => {
      const offTasks = services.tasks.subscribe(l);
      const offOutbox = services.outbox.subscribe(l);
      return () => {
        offTasks();
        offOutbox();
      };
    },
    [taskId, open],
  );

  const verify = async (): Promise<void> => {
    setChecking(true);
    try {
      const report = await services.integrity.check();
      setVerdict({ ok: report.ok, text: verdictText(report.brokenAt, report.entries, report.badSignatures) });
    } catch (e) {
      setVerdict({ ok: false, text: `核验失败：${e instanceof Error ? e.message : String(e)}` });
    } finally {
      setChecking(false);
    }
  };

  return (
    <section className="card" aria-labelledby="process-record-title" data-testid="process-record">
      <h2 id="process-record-title">执法过程记录</h2>
      <p className="small muted">
        证据、签名、文书、定稿与上传的每一步都写入本机不可篡改的哈希链，定稿时由本机设备密钥签名；时间为北京时间。
      </p>
      <div className="actions">
        <button type="button" className="btn" aria-expanded={open} onClick={() => setOpen((v) => !v)}>
          {open ? '收起执法过程记录' : '查看执法过程记录'}
        </button>
        <button type="button" className="btn" disabled={checking} onClick={() => void verify()}>
          核验
        </button>
      </div>
      <p role="status" className={verdict ? (verdict.ok ? 'alert alert-info' : 'alert alert-danger') : undefined}>
        {checking ? '正在核验…' : (verdict?.text ?? '')}
      </p>
      {error ? (
        <p className="alert alert-danger" role="alert">
          读取执法过程记录失败：{error}
        </p>
      ) : null}
      {open && data ? (
        data.length === 0 ? (
          <p className="muted small">该任务还没有记录。</p>
        ) : (
          <table className="table compact">
            <caption>执法过程记录（共 {data.length} 条）</caption>
            <thead>
              <tr>
                <th scope="col">序号</th>
                <th scope="col">时间（北京时间）</th>
                <th scope="col">事项</th>
                <th scope="col">内容哈希</th>
                <th scope="col">记录哈希</th>
              </tr>
            </thead>
            <tbody>
              {data.map((e) => (
                <tr key={e.seq}>
                  <td className="mono">{e.seq}</td>
                  <td>{chinaTime(e.at)}</td>
                  <td>{eventText(e, team)}</td>
                  <td>
                    <Hash value={subjectHash(e)} />
                  </td>
                  <td>
                    <Hash value={e.hash} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
    </section>
  );
}
