/**
 * The composition root of the renderer's data layer: `services` for the app (Electron bridge or
 * browser adapter, Web Worker pull, timers) and `createServices(deps)` for tests and tools. Every
 * repository and every service is built here exactly once and shared: the documents service gets
 * the same task, credit-file and inspection services the screens use.
 *
 * UI code imports from this file only: the `services` instance and the contract's types.
 */
import {
  attachmentsRepo,
  auditRepo,
  docNumbersRepo,
  draftsRepo,
  enterprisesRepo,
  metaRepo,
  openDatabases,
  outboxRepo,
  quarantineRepo,
  referenceRepo,
  resultsRepo,
  journalRepo,
  reviewsRepo,
  sessionRepo,
  syncStateRepo,
  tasksRepo,
  uploadsRepo,
  type Databases,
  type MarkerMirror,
} from '../db/index.js';
import { detectAdapter } from '../platform/adapter.js';
import { appRenderer } from '../print/index.js';
import type { LockLike } from '../sync/push-engine.js';
import type { Services } from './api.js';
import { createAuthService } from './auth/auth.service.js';
import { createDeploymentService } from './deployment/deployment.service.js';
import { createDocumentsService } from './documents/documents.service.js';
import { createEnterpriseService, createReferenceService } from './enterprises/enterprises.service.js';
import { createInspectionService } from './inspection/inspection.service.js';
import { browserNetwork, networkService } from './network/network.service.js';
import { createOutboxService, type OutboxController } from './outbox/outbox.service.js';
import { createRuntime, type Repositories, type Runtime, type ServiceDeps } from './runtime.js';
import { createIntegrityService, createStorageService, type LedgerStore } from './storage/storage.service.js';
import { createSyncService } from './sync/sync.service.js';
import { createTaskService } from './tasks/tasks.service.js';
import { createUpdatesService } from './updates/updates.service.js';

export type { ServiceDeps } from './runtime.js';
export type * from './api.js';

export interface CreatedServices extends Services {
  /** Test/tool handles (not for UI code). */
  readonly internals: { readonly runtime: Runtime; readonly outbox: OutboxController; stop(): void };
}

function openRepositories(dbs: Databases): Repositories {
  const { field, cache } = dbs;
  return {
    session: sessionRepo(field),
    meta: metaRepo(field),
    tasks: tasksRepo(field),
    taskSync: syncStateRepo(field.syncState),
    drafts: draftsRepo(field),
    results: resultsRepo(field),
    attachments: attachmentsRepo(field),
    audit: auditRepo(field),
    outbox: outboxRepo(field),
    uploads: uploadsRepo(field),
    reviews: reviewsRepo(field),
    docNumbers: docNumbersRepo(field),
    journal: journalRepo(field),
    enterprises: enterprisesRepo(cache),
    reference: referenceRepo(cache),
    quarantine: quarantineRepo(cache),
  };
}

export function createServices(
  deps: ServiceDeps,
  options: { markerMirror?: MarkerMirror; ledger?: LedgerStore; beforeFinalizeCommit?: () => void } = {},
): CreatedServices {
  const rt = createRuntime(deps, openRepositories(deps.dbs));
  const auth = createAuthService(rt);
  const outbox = createOutboxService(rt);
  const tasks = createTaskService(rt);
  const enterprises = createEnterpriseService(rt);
  const inspection = createInspectionService(
    rt,
    options.beforeFinalizeCommit ? { beforeCommit: options.beforeFinalizeCommit } : {},
  );
  let stopBackground: () => void = () => undefined;
  if (deps.background) stopBackground = outbox.startBackground();
  return {
    deployment: createDeploymentService(deps.adapter),
    storage: createStorageService(rt, {
      ...(options.markerMirror ? { markerMirror: options.markerMirror } : {}),
      ...(options.ledger ? { ledger: options.ledger } : {}),
    }),
    integrity: createIntegrityService(rt),
    auth,
    sync: createSyncService(
      rt,
      () => outbox.drain().catch(() => null),
      () => enterprises.followSearch(),
    ),
    tasks,
    enterprises,
    reference: createReferenceService(rt),
    inspection,
    outbox,
    network: networkService(deps.network),
    documents: createDocumentsService(rt, { tasks, enterprises, inspection, auth, renderer: appRenderer }),
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
    dbs: openDatabases(),
    adapter: detectAdapter(),
    network: browserNetwork(),
    locks: webLocks(),
    useWorker: inApp,
    background: inApp,
    deviceName: inApp ? navigator.userAgent.slice(0, 100) : 'node',
  });
}

/** The app's single instance. Databases open lazily on first use. */
export const services: Services = appServices();
