/**
 * The renderer's application-service contract, joined from one interface per feature. Each
 * feature's interface and the types it speaks in live beside its implementation
 * (`services/<feature>/<feature>.api.ts` next to `<feature>.service.ts`); this file only joins
 * them into `Services`, the object UI code receives from `services/index.ts`. UI code never
 * touches Dexie, fetch or the Electron bridge: everything goes through these interfaces.
 */
import type { AuthService } from './auth/auth.api.js';
import type { DeploymentService } from './deployment/deployment.api.js';
import type { DocumentsService } from './documents/documents.api.js';
import type { EnterpriseService, ReferenceService } from './enterprises/enterprises.api.js';
import type { InspectionService } from './inspection/inspection.api.js';
import type { NetworkService } from './network/network.api.js';
import type { OutboxService } from './outbox/outbox.api.js';
import type { SpaceService } from './space/space.api.js';
import type { StationBundleService } from './station-bundle/station-bundle.api.js';
import type { IntegrityService, StorageService } from './storage/storage.api.js';
import type { SyncService } from './sync/sync.api.js';
import type { TaskService } from './tasks/tasks.api.js';
import type { UpdatesService } from './updates/updates.api.js';
import type { UsbResultsService } from './usb/usb.api.js';

export interface Services {
  readonly deployment: DeploymentService;
  readonly storage: StorageService;
  readonly integrity: IntegrityService;
  readonly auth: AuthService;
  readonly sync: SyncService;
  readonly tasks: TaskService;
  readonly enterprises: EnterpriseService;
  readonly reference: ReferenceService;
  readonly inspection: InspectionService;
  readonly outbox: OutboxService;
  readonly network: NetworkService;
  readonly documents: DocumentsService;
  readonly space: SpaceService;
  readonly updates: UpdatesService;
  readonly stationBundle: StationBundleService;
  readonly usbResults: UsbResultsService;
}

export type { Unsubscribe } from './runtime.js';
export type * from './auth/auth.api.js';
export type * from './deployment/deployment.api.js';
export type * from './documents/documents.api.js';
export type * from './enterprises/enterprises.api.js';
export type * from './inspection/inspection.api.js';
export type * from './network/network.api.js';
export type * from './outbox/outbox.api.js';
export type * from './space/space.api.js';
export type * from './station-bundle/station-bundle.api.js';
export type * from './storage/storage.api.js';
export type * from './sync/sync.api.js';
export type * from './tasks/tasks.api.js';
export type * from './updates/updates.api.js';
export type * from './usb/usb.api.js';
