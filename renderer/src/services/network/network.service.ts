/** Online/offline from the browser (navigator.onLine and its events), as a NetworkSource. */
import type { NetworkService } from './network.api.js';
import type { NetworkSource } from '../runtime.js';

export function browserNetwork(): NetworkSource {
  return {
    online: () => (typeof navigator === 'undefined' ? true : navigator.onLine),
    subscribe(listener) {
      if (typeof window === 'undefined') return () => undefined;
      const on = () => listener(true);
      const off = () => listener(false);
      window.addEventListener('online', on);
      window.addEventListener('offline', off);
      return () => {
        window.removeEventListener('online', on);
        window.removeEventListener('offline', off);
      };
    },
  };
}

/** A controllable source for tests. */
export function manualNetwork(initial = true): NetworkSource & { set(online: boolean): void } {
  let online = initial;
  const listeners = new Set<(o: boolean) => void>();
  return {
    online: () => online,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(value) {
      online = value;
      for (const l of listeners) l(value);
    },
  };
}

export function networkService(source: NetworkSource): NetworkService {
  return { online: () => source.online(), subscribe: (l) => source.subscribe(l) };
}
