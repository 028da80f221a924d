/**
 * The composition root. `services` is what UI code imports: device-level members (auth = the
 * vault, deployment, network, updates) and per-inspector members that resolve to the services of
 * the unlocked inspector's partition (compose.ts builds those at every unlock). While locked a
 * per-inspector member throws VaultLockedError: nothing behind the lock is rendered, so nothing
 * should ask.
 *
 * UI code imports from this file only: the `services` instance and the contract's types.
 */
import { CacheDb } from '../db/index.js';
import { warmSearchWorker } from '../credit-files/search/search-client.js';
import { bridge, detectAdapter, wrappedKeyBinding } from '../platform/adapter.js';
import type { LockLike } from '../sync/push-engine.js';
import { VaultLockedError } from '../vault/index.js';
import type { Services } from './api.js';
import { createVaultService, type VaultDeps, type VaultService } from './auth/vault.service.js';
import { createDeploymentService } from './deployment/deployment.service.js';
import { browserNetwork, networkService } from './network/network.service.js';
import { createUpdatesService } from './updates/updates.service.js';

export type { ServiceDeps } from './runtime.js';
export type * from './api.js';
export { createServices, type CreatedServices } from './compose.js';

type ScopedName = Exclude<keyof Services, 'auth' | 'deployment' | 'network' | 'updates'>;

function scoped<K extends ScopedName>(vault: VaultService, name: K): Services[K] {
  return new Proxy({} as Services[K], {
    get(_target, prop) {
      const scope = vault.scope();
      if (!scope) throw new VaultLockedError(`services.${name}`);
      const member = scope.services[name] as unknown as Record<PropertyKey, unknown>;
      const value = member[prop];
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(member) : value;
    },
  });
}

export interface AppServices extends Services {
  readonly auth: VaultService;
}

/** The device-level services over a vault (the app, and tests of the whole lock/unlock cycle). */
export function createAppServices(deps: VaultDeps): AppServices {
  const vault = createVaultService(deps);
  return {
    auth: vault,
    deployment: createDeploymentService(deps.adapter),
    network: networkService(deps.network),
    updates: createUpdatesService(),
    storage: scoped(vault, 'storage'),
    integrity: scoped(vault, 'integrity'),
    sync: scoped(vault, 'sync'),
    tasks: scoped(vault, 'tasks'),
    enterprises: scoped(vault, 'enterprises'),
    reference: scoped(vault, 'reference'),
    inspection: scoped(vault, 'inspection'),
    outbox: scoped(vault, 'outbox'),
    documents: scoped(vault, 'documents'),
    space: scoped(vault, 'space'),
    stationBundle: scoped(vault, 'stationBundle'),
    usbResults: scoped(vault, 'usbResults'),
  };
}

function webLocks(): LockLike | null {
  if (typeof navigator === 'undefined' || !navigator.locks) return null;
  const locks = navigator.locks;
  return { request: (name, callback) => locks.request(name, () => callback()) };
}

function appServices(): AppServices {
  const inApp = typeof window !== 'undefined';
  // The credit-file cache is one database for the station, shared by its inspectors.
  const cache = new CacheDb('cache');
  // The search worker starts while the inspector signs in (it holds no key until the unlock).
  if (inApp) warmSearchWorker(cache.name);
  const app = createAppServices({
    prefix: '',
    cache,
    adapter: detectAdapter(),
    binding: wrappedKeyBinding(),
    network: browserNetwork(),
    locks: webLocks(),
    useWorker: inApp,
    background: inApp,
    deviceName: inApp ? navigator.userAgent.slice(0, 100) : 'node',
  });
  // Electron: main tells of OS suspend and screen lock.
  bridge()?.onLock(() => void app.auth.lock('os'));
  return app;
}

/** The app's single instance. Nothing is unlocked until the inspector types their password. */
export const services: AppServices = appServices();
