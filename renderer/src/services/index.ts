/**
 * The composition root of the renderer's data layer: `services` for the app (Electron bridge or
 * browser adapter, Web Worker pull, timers) and `createServices(deps)` for tests and tools.
 */
import { openDatabases, type MarkerMirror } from '../db/index.js';
import { detectAdapter } from '../platform/adapter.js';
import type { LockLike } from '../sync/push-engine.js';
import type { Services } from './api.js';
import { createAuthService } from './auth.service.js';
import { createDocumentsService } from './documents.service.js';
import { appRenderer } from '../print/index.js';
import { createInspectionService } from './inspection.service.js';
import { browserNetwork, networkService } from './network.js';
import { createOutboxService, type OutboxController } from './outbox.service.js';
import { createEnterpriseService, createReferenceService, createTaskService } from './read.service.js';
import { createRuntime, type Runtime, type ServiceDeps } from './runtime.js';
import { createSyncService } from './sync.service.js';
import { createUpdatesService } from './updates.service.js';
import { createIntegrityService, createStorageService, type LedgerStore } from './storage.service.js';

export type { ServiceDeps } from './runtime.js';
export type * from './api.js';

export interface CreatedServices extends Services {
  /** Test/tool handles (not for UI code). */
  readonly internals: { readonly runtime: Runtime; readonly outbox: OutboxController; stop(): void };
}

export function createServices(deps: ServiceDeps, options: { markerMirror?: MarkerMirror; ledger?: LedgerStore; beforeFinalizeCommit?: () => void } = {}): CreatedServices {
  const rt = createRuntime(deps);
  const auth = createAuthService(rt);
  const outbox = createOutboxService(rt);
  const enterprises = createEnterpriseService(rt);
  let stopBackground: () => void = () => undefined;
  if (deps.background) stopBackground = outbox.startBackground();
  return {
    deployment: {
      get: async () => {
        const c = await deps.adapter.config();
        return { platformUrl: c.platformUrl, demo: c.demo, stationName: c.stationName };
      },
    },
    storage: createStorageService(rt, { ...(options.markerMirror ? { markerMirror: options.markerMirror } : {}), ...(options.ledger ? { ledger: options.ledger } : {}) }),
    integrity: createIntegrityService(rt),
    auth,
    sync: createSyncService(rt, () => outbox.drain().catch(() => null), () => enterprises.followSearch()),
    tasks: createTaskService(rt),
    enterprises,
    reference: createReferenceService(rt),
    inspection: createInspectionService(rt, options.beforeFinalizeCommit ? { beforeCommit: options.beforeFinalizeCommit } : {}),
    outbox,
    network: networkService(deps.network),
    documents: createDocumentsService(rt, { tasks: createTaskService(rt), enterprises: createEnterpriseService(rt), inspection: createInspectionService(rt), auth, renderer: appRenderer }),
    updates: createUpdatesService(),
    internals: { runtime: rt, outbox, stop: () => stopBackground() },
  };
}

function webLocks(): LockLike | null {
  if (typeof navigator === 'undefined' || !navigator.locks) return null;
  const locks = navigator.locks;
  return { request: (name, callback) => locks.request(name, () => callback()) };
}

function appServices(): Services {
  const inApp = typeof window !== 'undefined';
  return createServices({
    dbs: openDatabases(), adapter: detectAdapter(), network: browserNetwork(), locks: webLocks(),
    useWorker: inApp, background: inApp, deviceName: inApp ? navigator.userAgent.slice(0, 100) : 'node',
  });
}

/** The app's single instance. Databases open lazily on first use. */
export const services: Services = appServices();
