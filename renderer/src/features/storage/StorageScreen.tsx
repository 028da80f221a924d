/**
 * 存储空间: how much the browser lets the app use and has used, the evidence originals of each task,
 * and, per finalized record, whether its originals may be reclaimed and if not, why. Reclaiming
 * deletes only originals the platform's receipt covers (same id and SHA-256) after the retention
 * period; the record, signatures and documents stay on this device.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { EvidenceSpace, ResultSpace, TaskSpace } from '../../services/index.js';
import { formatDateTime } from '../../ui/format.js';
import { useServiceData } from '../../ui/useServiceData.js';
import { useObjectUrl } from '../inspection/useObjectUrl.js';
import { formatBytes, reclaimedText } from './space-text.js';

const KIND_LABEL: Record<EvidenceSpace['kind'], string> = {
  photo: '照片',
  scan: '扫描件',
  video: '录像',
  audio: '录音',
};

function EvidenceLine({ e }: { e: EvidenceSpace }) {
  const src = useObjectUrl(e.thumbnail);
  const what = `${KIND_LABEL[e.kind]} ${e.fileName}`;
  return (
    <li className="space-evidence" data-testid="space-evidence" data-state={e.state}>
      {src ? <img className="evidence-thumb" src={src} alt={`证据 ${e.fileName} 的缩略图`} /> : null}
      <span>
        {what} · {formatBytes(e.size)}
      </span>{' '}
      {e.state === 'reclaimed' ? (
        <span className="small muted" title={e.sha256}>
          {reclaimedText(e.sha256)}
        </span>
      ) : e.state === 'reclaimable' ? (
        <span className="small">可清理</span>
      ) : (
        <span className="small muted">保留：{e.reason}</span>
      )}
    </li>
  );
}

function ResultBlock({ r, onReclaimed }: { r: ResultSpace; onReclaimed: (text: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const reclaim = async (): Promise<void> => {
    setBusy(true);
    setProblem(null);
    try {
      const out = await services.space.reclaim(r.resultId);
      if (!out.ok) setProblem(out.error.message);
      else
        onReclaimed(`已清理 ${out.reclaimed} 个原件，释放 ${formatBytes(out.freed)}。检查记录、签名和文书均已保留。`);
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="card" role="group" aria-label={`检查记录（定稿于 ${formatDateTime(r.finalizedAt)}）`}>
      <p>
        检查记录定稿于 {formatDateTime(r.finalizedAt)}：本机原件 {formatBytes(r.originalsBytes)}，可清理{' '}
        {formatBytes(r.reclaimableBytes)}
      </p>
      {r.reasons.length > 0 ? (
        <div className="small">
          不能清理的原因：
          <ul>
            {r.reasons.map((why) => (
              <li key={why}>{why}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <ul className="evidence-list" aria-label="证据原件">
        {r.evidence.map((e) => (
          <EvidenceLine key={e.id} e={e} />
        ))}
      </ul>
      <button type="button" className="btn" disabled={busy || r.reclaimableBytes === 0} onClick={() => void reclaim()}>
        清理原件
      </button>
      {problem ? (
        <p className="alert alert-danger" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function TaskBlock({ t, onReclaimed }: { t: TaskSpace; onReclaimed: (text: string) => void }) {
  return (
    <section className="card" aria-label={`任务 ${t.enterpriseName}`} data-testid="space-task">
      <h2>{t.enterpriseName}</h2>
      <p>
        证据原件 {formatBytes(t.originalsBytes)}
        {t.draftBytes > 0 ? `（其中未定稿草稿 ${formatBytes(t.draftBytes)}，定稿前不能清理）` : ''}
      </p>
      {t.results.map((r) => (
        <ResultBlock key={r.resultId} r={r} onReclaimed={onReclaimed} />
      ))}
    </section>
  );
}

export function StorageScreen() {
  const [round, setRound] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const { data, error } = useServiceData(() => services.space.overview(), null, [round]);
  const onReclaimed = (text: string): void => {
    setDone(text);
    setRound((n) => n + 1);
  };
  return (
    <section className="screen" aria-labelledby="storage-title">
      <h1 id="storage-title">存储空间</h1>
      <div className="card">
        <dl className="kv" aria-label="本机存储">
          <dt>已用</dt>
          <dd data-testid="storage-used">{formatBytes(data?.usage ?? null)}</dd>
          <dt>可用</dt>
          <dd data-testid="storage-free">
            {data && data.usage !== null && data.quota !== null ? formatBytes(data.quota - data.usage) : '未知'}
          </dd>
        </dl>
        <p className="small muted">
          证据原件只有在平台回执覆盖其 SHA-256、且自平台接收起保留期（{data?.retentionDays ?? '…'}{' '}
          天）届满后才能清理；检查记录、签名和文书始终保留在本机。
        </p>
      </div>
      {done ? (
        <p className="alert alert-ok" role="status">
          {done}
        </p>
      ) : null}
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      {data && data.tasks.length === 0 ? <p className="muted">本机没有证据原件。</p> : null}
      {data?.tasks.map((t) => (
        <TaskBlock key={t.taskId} t={t} onReclaimed={onReclaimed} />
      ))}
    </section>
  );
}
