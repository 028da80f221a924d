/**
 * The vault's state for React, mirrored into the UI store's session (the shell and settings read
 * it there): unlocked → the session, locked or signed out → null.
 */
import { useEffect, useSyncExternalStore } from 'react';
import { services, type VaultState } from '../services/index.js';
import { useUi } from '../state/ui.js';

export function useVaultState(): VaultState {
  const state = useSyncExternalStore(services.auth.subscribe, services.auth.state);
  useEffect(() => {
    useUi.getState().setSession(state.phase === 'unlocked' ? state.session : null);
  }, [state]);
  return state;
}
