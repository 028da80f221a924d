/**
 * The app shell: title, station and inspector, the always-visible online/offline indicator
 * (role=status, 在线 / 离线), and the navigation whose 待上传 link always shows the pending count.
 */
import type { ReactNode } from 'react';
import { services, type Session } from '../services/index.js';
import { DemoBadge } from '../features/settings/DemoBadge.js';
import { LogAlarmBadge } from '../features/outbox/LogAlarmBadge.js';
import { formatRoute, type Route } from '../state/routes.js';
import { useUi } from '../state/ui.js';

interface NavItem {
  readonly route: Route;
  readonly label: string;
  readonly matches: readonly Route['name'][];
}

const NAV: readonly NavItem[] = [
  { route: { name: 'tasks' }, label: '任务', matches: ['tasks', 'task', 'inspect'] },
  { route: { name: 'enterprises' }, label: '企业检索', matches: ['enterprises', 'enterprise'] },
  { route: { name: 'sync' }, label: '同步', matches: ['sync'] },
  { route: { name: 'outbox' }, label: '待上传', matches: ['outbox'] },
  { route: { name: 'usb' }, label: '传输（U盘）', matches: ['usb'] },
  { route: { name: 'storage' }, label: '存储空间', matches: ['storage'] },
  { route: { name: 'settings' }, label: '设置', matches: ['settings'] },
];

function OnlineIndicator() {
  const online = useUi((s) => s.online);
  return (
    <div
      role="status"
      className={`net-indicator ${online ? 'net-online' : 'net-offline'}`}
      title={online ? '已连接网络，可同步和上传' : '没有网络：可以继续检查，记录保存在本机，联网后自动上传'}
      data-testid="network-status"
    >
      <span className="net-dot" aria-hidden="true" />
      {online ? '在线' : '离线'}
    </div>
  );
}

export function Shell({ session, children }: { session: Session; children: ReactNode }) {
  const routeName = useUi((s) => s.route.name);
  const pending = useUi((s) => s.pendingCount);
  const { inspector } = session;
  return (
    <div className="shell">
      <div className="sticky-head">
        <header className="topbar">
          <div className="brand">
            <span className="brand-title">智慧监管现场检查</span>
            <span className="brand-station">{inspector.station}</span>
            <DemoBadge />
          </div>
          <div className="topbar-right">
            <span className="who">
              {inspector.name}
              <span className="who-cert">执法证号 {inspector.certNo}</span>
              {session.offlineUnlocked ? <span className="badge badge-muted">离线登录</span> : null}
            </span>
            <LogAlarmBadge />
            <OnlineIndicator />
            <button type="button" className="btn btn-small" onClick={() => void services.auth.lock('manual')}>
              锁定
            </button>
          </div>
        </header>
        <nav className="mainnav" aria-label="主导航">
          <ul>
            {NAV.map((item) => {
              const current = item.matches.includes(routeName);
              const isOutbox = item.route.name === 'outbox';
              return (
                <li key={item.label}>
                  <a
                    href={formatRoute(item.route)}
                    aria-current={current ? 'page' : undefined}
                    className={current ? 'active' : undefined}
                  >
                    {item.label}
                    {isOutbox ? (
                      <span className={`count ${pending > 0 ? 'count-pending' : ''}`} data-testid="pending-count">
                        {' '}
                        {pending}
                      </span>
                    ) : null}
                  </a>
                </li>
              );
            })}
          </ul>
        </nav>
      </div>
      <main className="content" id="main">
        {children}
      </main>
    </div>
  );
}
