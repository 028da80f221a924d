/**
 * The app root: waits for the stored session, shows 登录 when there is none, otherwise the shell
 * with the screen for the current hash route. Everything waits behind the start-up guard (store
 * marker and audit chain; the recovery screen when the store was lost).
 */
import { useEffect } from 'react';
import { navigate, useUi } from '../state/ui.js';
import { LoginScreen } from '../features/auth/LoginScreen.js';
import { Shell } from './Shell.js';
import { RouteView } from './RouteView.js';
import { useAppWiring } from './useAppWiring.js';
import { StartupGuard } from './StartupGuard.js';

/** Shown when the start-up check found the local store wiped or replaced: never silently fresh. */
function StorageWarning() {
  const warning = useUi((s) => s.storageWarning);
  if (!warning) return null;
  return (
    <div className="alert alert-danger storage-warning" role="alert">
      <strong>本机数据异常：</strong>
      {warning}
    </div>
  );
}

export function App() {
  useAppWiring();
  return (
    <StartupGuard>
      <AppBody />
    </StartupGuard>
  );
}

function AppBody() {
  const session = useUi((s) => s.session);
  const checked = useUi((s) => s.sessionChecked);
  const routeName = useUi((s) => s.route.name);

  useEffect(() => {
    if (checked && session && routeName === 'login') navigate({ name: 'tasks' }, { replace: true });
  }, [checked, session, routeName]);

  if (!checked) {
    return (
      <main className="splash" aria-busy="true">
        <p role="status">正在打开…</p>
      </main>
    );
  }
  if (!session) {
    return (
      <>
        <StorageWarning />
        <LoginScreen />
      </>
    );
  }
  return (
    <Shell session={session}>
      <StorageWarning />
      <RouteView />
    </Shell>
  );
}
