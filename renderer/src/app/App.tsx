/**
 * The app root. Nothing is open at launch: 登录 (signed out) or 已锁定 (after a lock) until the
 * password is typed. Only an unlocked vault mounts the start-up guard (store marker, audit chain),
 * the shell and the screen for the current hash route; a lock unmounts all of it.
 */
import { useEffect } from 'react';
import type { Session } from '../services/index.js';
import { navigate, useUi } from '../state/ui.js';
import { LockScreen } from '../features/auth/LockScreen.js';
import { LoginScreen } from '../features/auth/LoginScreen.js';
import { Shell } from './Shell.js';
import { RouteView } from './RouteView.js';
import { useAppWiring, useUnlockedWiring } from './useAppWiring.js';
import { useIdleLock } from './useIdleLock.js';
import { useVaultState } from './useVaultState.js';
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
  const state = useVaultState();
  if (state.phase === 'signed-out') return <LoginScreen notice={state.notice} />;
  if (state.phase === 'locked') return <LockScreen key={state.certNo} state={state} />;
  return (
    <StartupGuard key={state.session.inspector.id}>
      <Unlocked session={state.session} />
    </StartupGuard>
  );
}

function Unlocked({ session }: { session: Session }) {
  useUnlockedWiring();
  useIdleLock();
  const routeName = useUi((s) => s.route.name);
  useEffect(() => {
    if (routeName === 'login') navigate({ name: 'tasks' }, { replace: true });
  }, [routeName]);
  return (
    <Shell session={session}>
      <StorageWarning />
      <RouteView />
    </Shell>
  );
}
