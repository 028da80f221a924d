/**
 * 退出登录: keep this inspector's data sealed on the laptop (default), or remove it — only when
 * every result has a platform receipt; otherwise the unsent ones are listed and removal is disabled.
 */
import { useEffect, useRef, useState } from 'react';
import { services, type UnsentResult } from '../../services/index.js';
import { navigate } from '../../state/ui.js';

export function SignOutDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [mode, setMode] = useState<'keep' | 'remove'>('keep');
  const [unsent, setUnsent] = useState<readonly UnsentResult[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    let alive = true;
    services.auth.unsent().then(
      (list) => alive && setUnsent(list),
      (e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      alive = false;
    };
  }, []);

  const blocked = unsent === null || unsent.length > 0;
  const confirm = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      const r = await services.auth.signOut(mode);
      if (!r.ok) {
        setUnsent(r.error.unsent);
        setError(r.error.message);
        return;
      }
      navigate({ name: 'login' }, { replace: true });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="signout-dialog" aria-labelledby="signout-title" onClose={onClose} onCancel={onClose}>
      <h2 id="signout-title">退出登录</h2>
      <fieldset>
        <legend>本机数据</legend>
        <label>
          <input type="radio" name="signout-mode" checked={mode === 'keep'} onChange={() => setMode('keep')} />
          保留本机数据（加密保存）
        </label>
        <label>
          <input
            type="radio"
            name="signout-mode"
            checked={mode === 'remove'}
            disabled={blocked}
            onChange={() => setMode('remove')}
          />
          删除本机数据
        </label>
      </fieldset>
      {unsent && unsent.length > 0 ? (
        <>
          <p className="alert alert-warn">以下结果尚未上传，不能删除本机数据：</p>
          <ul aria-label="尚未上传的结果">
            {unsent.map((u) => (
              <li key={u.resultId}>
                {u.enterpriseName} <span className="mono">{u.resultId}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          取消
        </button>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void confirm()}>
          确认退出
        </button>
      </div>
    </dialog>
  );
}
