/** 设置: who is signed in, on which device and platform; 退出登录 (keep the data sealed, or remove it). */
import { useEffect, useState } from 'react';
import { services, type KeyProtection } from '../../services/index.js';
import { useUi } from '../../state/ui.js';
import { SignOutDialog } from './SignOutDialog.js';
import { UpdatePanel } from './UpdatePanel.js';

const PROTECTION_TEXT: Record<KeyProtection, string> = {
  'os-account': '已加密：密码 + 本机系统账户双重保护',
  'password-only': '已加密：仅由密码保护（本机没有可用的系统钥匙串，请使用强密码）',
  browser: '已加密：仅由密码保护（浏览器版）',
};

export function SettingsScreen() {
  const session = useUi((s) => s.session);
  const pending = useUi((s) => s.pendingCount);
  const [asking, setAsking] = useState(false);
  const [protection, setProtection] = useState<KeyProtection | null>(null);
  useEffect(() => {
    let live = true;
    void services.auth.keyProtection().then((p) => {
      if (live) setProtection(p);
    });
    return () => {
      live = false;
    };
  }, []);
  if (!session) return null;
  const { inspector } = session;

  return (
    <section className="screen" aria-labelledby="settings-title">
      <h1 id="settings-title">设置</h1>
      <div className="card">
        <h2>当前账号</h2>
        <dl className="kv">
          <dt>姓名</dt>
          <dd>{inspector.name}</dd>
          <dt>执法证号</dt>
          <dd className="mono">{inspector.certNo}</dd>
          <dt>证件有效期至</dt>
          <dd>{inspector.certExpiry}</dd>
          <dt>单位</dt>
          <dd>{inspector.unit}</dd>
          <dt>所属监管所</dt>
          <dd>{inspector.station}</dd>
          <dt>设备编号</dt>
          <dd className="mono">{session.deviceId}</dd>
          <dt>监管平台</dt>
          <dd className="mono">{session.platformUrl}</dd>
          <dt>本机数据保护</dt>
          <dd>{protection ? PROTECTION_TEXT[protection] : '—'}</dd>
        </dl>
      </div>
      <UpdatePanel />
      <div className="card">
        <h2>退出登录</h2>
        {pending > 0 ? (
          <p className="alert alert-warn">
            还有 {pending} 条结果未上传。退出后这些记录仍保存在本机，再次登录后继续上传。
          </p>
        ) : (
          <p className="muted">退出后，下次登录需要输入执法证号和密码。</p>
        )}
        <button type="button" className="btn" onClick={() => setAsking(true)}>
          退出登录
        </button>
        {asking ? <SignOutDialog onClose={() => setAsking(false)} /> : null}
      </div>
    </section>
  );
}
