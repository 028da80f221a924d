/**
 * 平台记录被改写: what the inspector and their supervisor review. Both signed checkpoints side by
 * side (size, root hash, when seen), the evidence as a JSON file anyone can re-verify with the pinned
 * platform key, and resuming uploads only by an acknowledgement with a reason, which goes on the
 * inspector's signed audit chain. Uploads stay stopped until then; nothing is reset silently.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { LogAlarmView } from '../../services/index.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';

function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled: the download reads the URL asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Acknowledge({ alarm }: { alarm: LogAlarmView }) {
  const [reason, setReason] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await services.outbox.alarmReview.acknowledge(reason, {
        newSize: alarm.newer.size,
        newRoot: alarm.newer.rootHash,
      });
      if (!r.ok) setError(r.error.message);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      aria-label="确认后恢复上传"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label className="field">
        <span>恢复上传的原因（必填，记入本人执法过程记录并由设备密钥签名）</span>
        <textarea value={reason} maxLength={500} rows={3} onChange={(e) => setReason(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
        我已导出证据并报告管理员；恢复后本机以平台现在的检查点为准继续核对，此前的记录作为证据保留
      </label>
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="btn btn-danger" disabled={!understood || busy}>
          确认并恢复上传
        </button>
      </div>
    </form>
  );
}

export function LogAlarmPanel() {
  const { data: alarm } = useServiceData(
    () => services.outbox.alarmReview.current(),
    (l) => services.outbox.subscribe(l),
    [],
  );
  const [exportError, setExportError] = useState<string | null>(null);
  if (!alarm) return null;
  const exportEvidence = async (): Promise<void> => {
    const json = await services.outbox.alarmReview.evidenceJson();
    if (!json) {
      setExportError('该警报由旧版本记录，未保存签名检查点，只能导出上表中的大小与根哈希');
      return;
    }
    download(json, `平台日志改写证据-${alarm.at.slice(0, 10)}.json`);
  };
  const rows = [
    { label: '本机此前验证的检查点', side: alarm.seen },
    { label: '平台现在给出的检查点', side: alarm.newer },
  ];
  return (
    <section className="card" aria-labelledby="log-alarm-review-title" data-testid="log-alarm-review">
      <h2 id="log-alarm-review-title">平台记录被改写：核查与恢复</h2>
      <p className="small">
        两个检查点都带有平台签名，但平台无法证明较早的日志是现在日志的前缀。上传保持停止，直至您确认。
      </p>
      <table className="table compact">
        <caption>相互矛盾的签名检查点</caption>
        <thead>
          <tr>
            <th scope="col">检查点</th>
            <th scope="col">日志条数</th>
            <th scope="col">根哈希</th>
            <th scope="col">本机看到的时间</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ label, side }) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num">{side.size}</td>
              <td className="mono small">{side.rootHash}</td>
              <td>{side.seenAt ? formatDateTime(side.seenAt) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="btn" onClick={() => void exportEvidence()}>
          导出证据（JSON）
        </button>
      </div>
      {exportError ? (
        <p className="alert alert-warning" role="alert">
          {exportError}
        </p>
      ) : null}
      <Acknowledge alarm={alarm} />
    </section>
  );
}
