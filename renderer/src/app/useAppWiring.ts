/**
 * Connects browser and service events to the UI store: hash changes → route, network service →
 * online flag, outbox changes → pending-upload count, and the stored session at start-up.
 */
import { useEffect } from 'react';
import { services } from '../services/index.js';
import { isPending } from '../features/outbox/outbox-text.js';
import { useUi } from '../state/ui.js';

export function useAppWiring(): void {
  useEffect(() => {
    const ui = useUi.getState();
    const onHash = (): void => useUi.getState().setRouteFromHash(location.hash);
    window.addEventListener('hashchange', onHash);

    ui.setOnline(services.network.online());
    const offNetwork = services.network.subscribe((online) => useUi.getState().setOnline(online));

    let alive = true;
    const refreshPending = (): void => {
      services.outbox.list().then(
        (entries) => alive && useUi.getState().setPendingCount(entries.filter(isPending).length),
        (err: unknown) => console.warn('outbox list failed', err),
      );
    };
    refreshPending();
    const offOutbox = services.outbox.subscribe(refreshPending);

    // Storage health and the audit chain are checked by the StartupGuard.
    services.auth.current().then(
      (session) => alive && useUi.getState().setSession(session),
      (err: unknown) => {
        console.warn('reading the stored session failed', err);
        if (alive) useUi.getState().setSession(null);
      },
    );

    return () => {
      alive = false;
      window.removeEventListener('hashchange', onHash);
      offNetwork();
      offOutbox();
    };
  }, []);
}
