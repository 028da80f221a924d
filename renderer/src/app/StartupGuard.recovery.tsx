/**
 * The recovery screen: shown instead of the app when the local database was
 * lost or replaced. It says what happened, lists what the platform's receipts said was safe before
 * the loss (the ledger kept outside the database) and which results were lost with it, and lets the
 * inspector re-sync only after confirming that they have read it. Never a silent fresh start.
 */
import { useState } from 'react';
import type { LedgerEntry, StorageHealth } from '../services/index.js';

export interface RecoveryProps {
  readonly health: StorageHealth;
  readonly ledger: readonly LedgerEntry[];
  readonly onContinue: () => Promise<void>;
}

function LedgerTable({ ledger }: { ledger: readonly LedgerEntry[] }) {
  return (
    <table className="table" aria-label="平台回执核对">
      <thead>
        <tr>
          <th scope="col">企业</th>
          <th scope="col">结果编号</th>
          <th scope="col">平台回执</th>
        </tr>
      </thead>
      <tbody>
        {ledger.map((e) => (
          <tr key={e.resultId} data-result-id={e.resultId}>
            <td>{e.enterpriseName}</td>
            <td>
              <code>{e.resultId}</code>
            </td>
            <td>{e.confirmed ? '平台已接收（有回执），数据安全' : '未收到平台回执：本机副本已随数据库丢失'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function RecoveryScreen({ health, ledger, onContinue }: RecoveryProps) {
  const [understood, setUnderstood] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const lost = ledger.filter((e) => !e.confirmed);
  const safe = ledger.length - lost.length;
  const go = () => {
    setBusy(true);
    setError(null);
    onContinue().catch((e: unknown) => {
      setError(`无法继续：${e instanceof Error ? e.message : String(e)}`);
      setBusy(false);
    });
  };
  return (
    <main className="login-page">
      <section className="card recovery" aria-labelledby="recovery-title">
        <h1 id="recovery-title">本机数据异常，应用已暂停启动</h1>
        <div className="alert alert-danger" role="alert">
          {health.message ?? '本机数据库已丢失或被替换。'}
        </div>
        <p>为避免在空白数据上悄悄重新开始，应用不会自动继续。以下是数据丢失前本机记录的上传情况（依据平台回执）：</p>
        {ledger.length > 0 ? (
          <LedgerTable ledger={ledger} />
        ) : (
          <p className="alert alert-warn">
            本机没有留下上传记录，无法判断是否有未上传的结果。请联系管理员在平台上核对本人名下的检查结果。
          </p>
        )}
        {lost.length > 0 && (
          <p className="alert alert-danger" role="status">
            警告：有 {lost.length}{' '}
            份检查结果尚未上传，已随本机数据一起丢失，平台上没有这些结果，无法从本机恢复。请依据纸质笔录重新录入或重新检查，并报告管理员。
          </p>
        )}
        {ledger.length > 0 && lost.length === 0 && (
          <p className="alert alert-ok" role="status">
            本机记录的 {safe} 份结果均已被平台接收，数据安全。
          </p>
        )}
        <label className="recovery-confirm">
          <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />{' '}
          我已了解上述情况{lost.length > 0 ? '，未上传的检查结果已丢失' : ''}，同意从平台重新同步
        </label>
        {error && (
          <p className="alert alert-danger" role="alert">
            {error}
          </p>
        )}
        <p>
          <button type="button" className="btn btn-primary" disabled={!understood || busy} onClick={go}>
            重新同步并继续
          </button>
        </p>
      </section>
    </main>
  );
}
