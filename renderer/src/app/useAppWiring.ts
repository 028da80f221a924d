/**
 * Connects browser and service events to the UI store: hash changes → route, network service →
 * online flag. The outbox count is wired only while a partition is open (useUnlockedWiring).
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
    return () => {
      window.removeEventListener('hashchange', onHash);
      offNetwork();
    };
  }, []);
}

/** Mounted only behind the lock: the pending-upload count of the unlocked inspector. */
export function useUnlockedWiring(): void {
  useEffect(() => {
    let alive = true;
    const refreshPending = (): void => {
      services.outbox.list().then(
        (entries) => alive && useUi.getState().setPendingCount(entries.filter(isPending).length),
        (err: unknown) => console.warn('outbox list failed', err),
      );
    };
    refreshPending();
    const offOutbox = services.outbox.subscribe(refreshPending);
    return () => {
      alive = false;
      offOutbox();
      useUi.getState().setPendingCount(0);
    };
  }, []);
}
