/**
 * 已锁定: the inspector's password opens the vault again, offline too. The 执法证号 is shown from
 * memory (never stored in clear); 切换检查员 goes back to 登录. Nothing behind the lock is mounted.
 */
import { useState, type FormEvent } from 'react';
import { services } from '../../services/index.js';
import type { SignInError, VaultState } from '../../services/index.js';
import { AuthAlert } from './AuthAlert.js';
import { useRetryWait } from './useRetryWait.js';

const REASONS: Readonly<Record<Extract<VaultState, { phase: 'locked' }>['reason'], string>> = {
  manual: '已手动锁定。',
  idle: '长时间未操作，已自动锁定。',
  os: '系统休眠或锁屏，已自动锁定。',
  revoked: '',
};

export function LockScreen({ state }: { state: Extract<VaultState, { phase: 'locked' }> }) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<SignInError | null>(null);
  const wait = useRetryWait(error?.kind === 'wait' ? error.retryAt : null);

  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (password.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const r = await services.auth.unlock(password);
      if (!r.ok) setError(r.error);
    } catch (err) {
      setError({ kind: 'network', message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
      setPassword('');
    }
  };

  return (
    <main className="login-page">
      <form
        className="login-card"
        autoComplete="off"
        onSubmit={(e) => void onSubmit(e)}
        noValidate
        aria-labelledby="lock-title"
      >
        <h1 id="lock-title">已锁定</h1>
        {state.notice ? (
          <div className="alert alert-danger" role="alert">
            {state.notice}
          </div>
        ) : (
          <p className="login-sub">{REASONS[state.reason]}请输入密码解锁。</p>
        )}
        <p>
          {state.inspectorName} · 执法证号 <span className="mono">{state.certNo}</span>
        </p>
        <div className="field">
          <label htmlFor="lock-password">密码</label>
          <input
            id="lock-password"
            type="password"
            autoComplete="off"
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error ? <AuthAlert error={error} waitSeconds={wait} title="无法解锁" /> : null}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || wait > 0}>
          {busy ? '正在解锁…' : '解锁'}
        </button>
        <button type="button" className="btn btn-block" onClick={() => void services.auth.switchInspector()}>
          切换检查员
        </button>
      </form>
    </main>
  );
}
