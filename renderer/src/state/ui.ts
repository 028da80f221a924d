/**
 * UI-only state (zustand): the current route (mirrors location.hash), the online flag, the
 * pending-upload count and the signed-in session. Data itself lives in the services, not here.
 */
import { create } from 'zustand';
import type { Session } from '../services/index.js';
import { formatRoute, parseHash, type Route } from './routes.js';

export interface UiState {
  readonly route: Route;
  readonly online: boolean;
  readonly pendingCount: number;
  readonly session: Session | null;
  /** False until the stored session was looked up at start-up. */
  readonly sessionChecked: boolean;
  /** An online sign-in asked for a sync once the start-up checks have passed. */
  readonly syncWhenReady: boolean;
  /** zh-CN warning when the local store was wiped or replaced (storage health at start-up). */
  readonly storageWarning: string | null;
  setRouteFromHash(hash: string): void;
  setOnline(online: boolean): void;
  setPendingCount(n: number): void;
  setSession(session: Session | null): void;
  setStorageWarning(message: string | null): void;
  setSyncWhenReady(sync: boolean): void;
}

export const useUi = create<UiState>()((set) => ({
  route: parseHash(typeof location === 'undefined' ? '' : location.hash),
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  pendingCount: 0,
  session: null,
  sessionChecked: false,
  storageWarning: null,
  syncWhenReady: false,
  setRouteFromHash: (hash) => set({ route: parseHash(hash) }),
  setOnline: (online) => set({ online }),
  setPendingCount: (pendingCount) => set({ pendingCount }),
  setSession: (session) => set({ session, sessionChecked: true }),
  setStorageWarning: (storageWarning) => set({ storageWarning }),
  setSyncWhenReady: (syncWhenReady) => set({ syncWhenReady }),
}));

/** Navigate by changing the hash; the hashchange listener updates the store. */
export function navigate(route: Route, opts: { replace?: boolean } = {}): void {
  const hash = formatRoute(route);
  if (opts.replace) {
    history.replaceState(null, '', hash);
    useUi.getState().setRouteFromHash(hash);
  } else if (location.hash !== hash) {
    location.hash = hash;
  } else {
    useUi.getState().setRouteFromHash(hash);
  }
}
