/**
 * 设置 → 软件更新: the running version and, in Electron, the offline update flow — pick an update
 * package folder (main verifies signature, version, platform, size and SHA-256 before staging it),
 * show what was verified, then install only after an explicit confirmation. The browser build gets
 * its updates with the server, so it only says so.
 */
import { useEffect, useState } from 'react';
import { services, type StagedUpdate } from '../../services/index.js';
import { useUi } from '../../state/ui.js';

type Phase =
  | { kind: 'idle' }
  | { kind: 'busy'; what: string }
  | { kind: 'staged'; staged: StagedUpdate }
  | { kind: 'done'; message: string };

export function UpdatePanel() {
  const updates = services.updates;
  const available = updates.available();
  const pending = useUi((s) => s.pendingCount);
  const [version, setVersion] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [confirmed, setConfirmed] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!available) return;
    void updates.version().then(setVersion);
  }, [available, updates]);

  if (!available) {
    return (
      <div className="card">
        <h2>软件更新</h2>
        <p className="muted">浏览器版随服务器一起更新：服务器部署新版本后，刷新页面即可使用，无需在本机安装。</p>
      </div>
    );
  }

  const pick = async (): Promise<void> => {
    setError(null);
    setConfirmed(false);
    setPhase({ kind: 'busy', what: '正在校验更新包（签名、版本、文件完整性）…' });
    const r = await updates.pickPackage();
    if (!r.ok) {
      setError(r.message);
      setPhase({ kind: 'idle' });
    } else setPhase(r.staged ? { kind: 'staged', staged: r.staged } : { kind: 'idle' });
  };

  const install = async (staged: StagedUpdate): Promise<void> => {
    setError(null);
    setPhase({ kind: 'busy', what: '正在再次校验并启动安装程序…' });
    const r = await updates.install(staged.stagedId);
    if (!r.ok) {
      setError(r.message);
      setPhase({ kind: 'idle' });
      return;
    }
    setPhase({
      kind: 'done',
      message:
        r.action === 'opened'
          ? `安装程序已启动（${staged.version}），请按提示完成安装；安装过程中本应用会关闭，检查数据保留在本机。`
          : `已在文件夹中显示 ${staged.file}。请关闭本应用后运行它：${r.path}`,
    });
  };

  return (
    <div className="card" aria-labelledby="update-title">
      <h2 id="update-title">软件更新</h2>
      <dl className="kv">
        <dt>当前版本</dt>
        <dd className="mono">{version ?? '—'}</dd>
      </dl>
      <p className="muted small">
        无法联网的监管所：将管理员下发的更新包文件夹（U 盘）插入本机后选择它。更新包须经发布方签名，且版本高于当前版本。
      </p>
      {error ? (
        <p className="alert alert-danger" role="alert">
          更新包未通过校验，未做任何更改：{error}
        </p>
      ) : null}
      {phase.kind === 'busy' ? <p role="status">{phase.what}</p> : null}
      {phase.kind === 'done' ? (
        <p className="alert alert-info" role="status">
          {phase.message}
        </p>
      ) : null}
      {phase.kind === 'staged' ? (
        <StagedView
          staged={phase.staged}
          pending={pending}
          confirmed={confirmed}
          onConfirm={setConfirmed}
          onInstall={() => void install(phase.staged)}
          onCancel={() => setPhase({ kind: 'idle' })}
        />
      ) : (
        <button type="button" className="btn" disabled={phase.kind === 'busy'} onClick={() => void pick()}>
          从文件夹安装更新…
        </button>
      )}
    </div>
  );
}

interface StagedViewProps {
  readonly staged: StagedUpdate;
  readonly pending: number;
  readonly confirmed: boolean;
  readonly onConfirm: (value: boolean) => void;
  readonly onInstall: () => void;
  readonly onCancel: () => void;
}

function StagedView({ staged, pending, confirmed, onConfirm, onInstall, onCancel }: StagedViewProps) {
  return (
    <section aria-label="更新包校验结果">
      <p className="alert alert-info" role="status">
        更新包校验通过：签名有效，版本 {staged.version} 高于当前 {staged.currentVersion}，安装文件完整。
      </p>
      <dl className="kv">
        <dt>新版本</dt>
        <dd className="mono">{staged.version}</dd>
        <dt>适用平台</dt>
        <dd className="mono">{`${staged.platform}-${staged.arch}`}</dd>
        <dt>安装文件</dt>
        <dd className="mono">{`${staged.file}（${(staged.size / 1024 / 1024).toFixed(1)} MB）`}</dd>
        <dt>SHA-256</dt>
        <dd className="mono small">{staged.sha256}</dd>
        <dt>发布时间</dt>
        <dd>{staged.releasedAt}</dd>
        <dt>签名密钥</dt>
        <dd className="mono">{staged.keyId}</dd>
      </dl>
      {pending > 0 ? (
        <p className="alert alert-warn">
          还有 {pending} 条结果未上传。它们保存在本机，安装更新不会删除；也可以先联网上传再安装。
        </p>
      ) : null}
      <label className="field-row">
        <input type="checkbox" checked={confirmed} onChange={(e) => onConfirm(e.target.checked)} />
        我已保存正在填写的内容，确认安装 {staged.version}（本应用将关闭）
      </label>
      <div className="actions">
        <button type="button" className="btn btn-primary" disabled={!confirmed} onClick={onInstall}>
          安装更新
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          取消
        </button>
      </div>
    </section>
  );
}
