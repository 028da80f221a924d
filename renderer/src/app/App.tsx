/**
 * The app root: waits for the stored session, shows 登录 when there is none, otherwise the shell
 * with the screen for the current hash route.
 */
import { useEffect } from 'react';
import { useUi } from '../state/ui.js';
import { navigate } from '../state/ui.js';
import { LoginScreen } from '../features/auth/LoginScreen.js';
import { Shell } from './Shell.js';
import { RouteView } from './RouteView.js';
import { useAppWiring } from './useAppWiring.js';

export function App() {
  useAppWiring();
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
  if (!session) return <LoginScreen />;
  return (
    <Shell session={session}>
      <RouteView />
    </Shell>
  );
}
