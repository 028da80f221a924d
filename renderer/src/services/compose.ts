/**
 * Builds the services of ONE field database: every repository and every service exactly once,
 * shared (the documents service gets the same task, credit-file and inspection services the
 * screens use). The app builds one of these per unlocked inspector (auth/partition-scope.ts);
 * tests and tools build them over any database set.
 */
import {
  attachmentsRepo,
  auditRepo,
  checkpointsRepo,
  deviceKeysRepo,
  docNumbersRepo,
  draftsRepo,
  enterprisesRepo,
  metaRepo,
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
import { appRenderer } from '../print/index.js';
import type { Services } from './api.js';
import type { PartitionAuth } from './auth/auth.service.js';
import { createAuthService } from './auth/auth.service.js';
import { createDeploymentService } from './deployment/deployment.service.js';
import { createDocumentsService } from './documents/documents.service.js';
import { createEnterpriseService, createReferenceService } from './enterprises/enterprises.service.js';
import { createInspectionService } from './inspection/inspection.service.js';
import { networkService } from './network/network.service.js';
import { createOutboxService, type OutboxController } from './outbox/outbox.service.js';
import { createRuntime, type Repositories, type Runtime, type ServiceDeps } from './runtime.js';
import { createIntegrityService, createStorageService, type LedgerStore } from './storage/storage.service.js';
import { createSyncService } from './sync/sync.service.js';
import { createStationBundleService } from './station-bundle/station-bundle.service.js';
import { createSpaceService } from './space/space.service.js';
import { createTaskService } from './tasks/tasks.service.js';
import { createUpdatesService } from './updates/updates.service.js';
import { createUsbResultsService } from './usb/usb.service.js';
import { dropWarmPullWorker } from '../sync/pull-runner.js';

/** One partition's services: its own auth is the partition session, not the device-level vault. */
export interface CreatedServices extends Omit<Services, 'auth'> {
  readonly auth: PartitionAuth;
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
    deviceKeys: deviceKeysRepo(field),
    checkpoints: checkpointsRepo(field),
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
  // Station import and sync write the same cursors: whichever starts second waits for the other.
  let stationImporting = (): boolean => false;
  const sync = createSyncService(
    rt,
    () => outbox.drain().catch(() => null),
    () => enterprises.followSearch(),
    () => (stationImporting() ? '正在导入站点数据包，导入完成后再同步' : null),
  );
  const stationBundle = createStationBundleService(rt, {
    beforeCreditFiles: () => enterprises.followSearch(),
    syncRunning: () => ['reference', 'tasks', 'enterprises'].includes(sync.progress().phase),
    // Ends a retry the sync service is waiting to make (nothing is running: that was checked).
    beforeImport: () => sync.cancel(),
  });
  stationImporting = () => stationBundle.importing();
  return {
    deployment: createDeploymentService(deps.adapter),
    storage: createStorageService(rt, {
      ...(options.markerMirror ? { markerMirror: options.markerMirror } : {}),
      ...(options.ledger ? { ledger: options.ledger } : {}),
    }),
    integrity: createIntegrityService(rt),
    auth,
    sync,
    tasks,
    enterprises,
    reference: createReferenceService(rt),
    inspection,
    outbox,
    network: networkService(deps.network),
    documents: createDocumentsService(rt, { tasks, enterprises, inspection, auth, renderer: appRenderer }),
    updates: createUpdatesService(),
    space: createSpaceService(rt),
    stationBundle,
    usbResults: createUsbResultsService(rt),
    internals: {
      runtime: rt,
      outbox,
      // A lock ends the background work: the upload timers and a sync in flight (its worker holds a key copy).
      stop: () => {
        stopBackground();
        sync.cancel();
        enterprises.close();
        // The device key lives only as long as the unlock.
        rt.deviceKey.drop();
        // The pull worker kept between syncs goes too (a running one ends when its sync does).
        dropWarmPullWorker();
      },
    },
  };
}
