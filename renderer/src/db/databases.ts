/**
 * The two Dexie databases: `field` with strict durability
 * (losing any of it is a failure) and `cache` with relaxed durability (re-downloadable, bulk writes).
 * This folder is the only importer of dexie; everything else goes through the repositories.
 */
import { Dexie, type Table } from 'dexie';
import type {
  AuditRow,
  DraftRow,
  MetaRow,
  OutboxRow,
  ReferenceRow,
  ResultRow,
  SessionRow,
  SyncStateRow,
  TaskRow,
} from './rows.js';
import type { SealingKeySource } from './sealing.js';
import { CACHE_MIGRATIONS, FIELD_MIGRATIONS } from './migrations/index.js';
import type {
  SealedChunkRow,
  SealedDirRow,
  SealedSearchRow,
  StoredMetaRow,
} from '../credit-files/store/enterprises.rows.js';
import type { StoredQuarantineRow } from '../credit-files/store/enterprises.store.js';
import type { CacheKey } from '../credit-files/store/enterprises.seal.js';
import type { SearchBlobRow } from '../credit-files/store/search-blobs.store.js';
import type { SealedLogRow } from '../credit-files/store/enterprises.rows.js';
import type { SnapshotMetaRow, SnapshotPartRow } from './repos/snapshot.repo.js';
import type { AttachmentRow } from './evidence-rows.js';
import type { DocBlockRow, DocNumberRow, IssuedDocRow } from './migrations/field-v4.js';
import type { ReceiptRow, ReviewRow, SetAsideRow, UploadRow } from './migrations/field-v3.js';
import type { JournalRow } from './migrations/field-v5.js';
import type { LogCheckpointRow } from './migrations/field-v7.js';
import type { EvidenceIndexRow, LogAlarmRecord, LogAlarmReviewRow } from './migrations/field-v14.js';
import type { CheckpointRow, DeviceKeyRow } from './migrations/field-v8.js';
import type { DocDraftRow } from './migrations/field-v10.js';
import type { UsbBundleRow } from './migrations/field-v12.js';
import type { MediaChunkRow, MediaClipRow } from './migrations/field-v11.js';

export class FieldDb extends Dexie {
  declare meta: Table<MetaRow, MetaRow['key']>;
  declare session: Table<SessionRow, 'current'>;
  declare tasks: Table<TaskRow, string>;
  declare drafts: Table<DraftRow, string>;
  declare results: Table<ResultRow, string>;
  declare attachments: Table<AttachmentRow, string>;
  declare outbox: Table<OutboxRow, string>;
  declare audit: Table<AuditRow, number>;
  declare syncState: Table<SyncStateRow, SyncStateRow['stream']>;
  declare docBlocks: Table<DocBlockRow, string>;
  declare docNumbers: Table<DocNumberRow, [DocNumberRow['docType'], number]>;
  declare issuedDocs: Table<IssuedDocRow, string>;
  declare uploads: Table<UploadRow, string>;
  declare receipts: Table<ReceiptRow, string>;
  declare reviews: Table<ReviewRow, number>;
  declare setAside: Table<SetAsideRow, string>;
  declare journal: Table<JournalRow, string>;
  declare logCheckpoints: Table<LogCheckpointRow, number>;
  declare logAlarm: Table<LogAlarmRecord, 'current'>;
  declare logAlarmReviews: Table<LogAlarmReviewRow, string>;
  declare evidenceIndex: Table<EvidenceIndexRow, string>;
  declare deviceKeys: Table<DeviceKeyRow, 'current'>;
  declare checkpoints: Table<CheckpointRow, string>;
  declare docDrafts: Table<DocDraftRow, [string, string]>;
  /** v12: USB results bundles exported and receipts bundles imported. */
  declare usbBundles: Table<UsbBundleRow, string>;
  declare mediaChunks: Table<MediaChunkRow, [string, number]>;
  declare mediaClips: Table<MediaClipRow, string>;

  /**
   * The key source of a sealed partition (set by openPartition), for repositories that write
   * through the raw IndexedDB connection, below the sealing middleware; null for a clear database.
   */
  sealingKeys: SealingKeySource | null = null;

  constructor(name: string, migrations = FIELD_MIGRATIONS) {
    super(name, { chromeTransactionDurability: 'strict' });
    for (const migrate of migrations) migrate(this);
  }
}

export class CacheDb extends Dexie {
  // Cache v2: packed credit files; v1's per-record `enterprises` table is gone. v3: sealed rows.
  declare entChunks: Table<SealedChunkRow, number>;
  declare entSearch: Table<SealedSearchRow, number>;
  declare entDir: Table<SealedDirRow, number>;
  declare entMeta: Table<StoredMetaRow, 'summary'>;
  declare reference: Table<ReferenceRow, 'current'>;
  declare quarantine: Table<StoredQuarantineRow, string>;
  declare syncState: Table<SyncStateRow, SyncStateRow['stream']>;
  /** v4: the credit-file snapshot download in progress (repos/snapshot.repo.ts). */
  declare snapMeta: Table<SnapshotMetaRow, 'current'>;
  declare snapParts: Table<SnapshotPartRow, number>;
  /** v5: the search index, sealed, to be read back at unlock (credit-files/store/search-blobs.store.ts). */
  declare searchBlobs: Table<SearchBlobRow, string>;
  /** v6: which records each page write took out of which chunks (credit-files/store/enterprises.rows.ts). */
  declare entLog: Table<SealedLogRow, number>;
  /**
   * The station cache key the credit files are sealed under, in memory only; null until the vault
   * hands it over (then nothing of the credit files can be read or written).
   */
  cacheKey: CacheKey | null;

  constructor(name: string, migrations = CACHE_MIGRATIONS, cacheKey: CacheKey | null = null) {
    super(name, { chromeTransactionDurability: 'relaxed' });
    this.cacheKey = cacheKey;
    for (const migrate of migrations) migrate(this);
  }

  setCacheKey(key: CacheKey | null): void {
    this.cacheKey = key;
  }
}

/**
 * One credit-file cache per station (the platform's enterprise feed is the same for every
 * inspector of a station): a second inspector of the station continues from its cursor. The
 * station id is not secret; the rows are sealed under the station cache key.
 */
export function stationCacheName(prefix: string, stationId: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(stationId)) throw new RangeError(`cache: station id ${stationId} is not an id`);
  return `${prefix}cache-${stationId}`;
}

/** The unsealed cache of earlier versions (one per profile). Re-downloadable: deleted once a station cache exists. */
export const LEGACY_CACHE_NAME = 'cache';

export async function deleteLegacyCache(prefix = ''): Promise<void> {
  await Dexie.delete(`${prefix}${LEGACY_CACHE_NAME}`);
}

export interface Databases {
  readonly field: FieldDb;
  readonly cache: CacheDb;
}

/** Database names; a prefix keeps tests (and several profiles) apart. */
export interface CacheOptions {
  /** Names the cache database per station (stationCacheName); without it, `${prefix}cache` (tests). */
  readonly stationId?: string;
  readonly cacheKey?: CacheKey | null;
}

export function openDatabases(prefix = '', o: CacheOptions = {}): Databases {
  const cacheName = o.stationId !== undefined ? stationCacheName(prefix, o.stationId) : `${prefix}cache`;
  return {
    field: new FieldDb(`${prefix}field`),
    cache: new CacheDb(cacheName, CACHE_MIGRATIONS, o.cacheKey ?? null),
  };
}

export function closeDatabases(dbs: Databases): void {
  dbs.field.close();
  dbs.cache.close();
}

/** Deletes both databases (tests; a deliberate reset after sign-out is not offered). */
export async function deleteDatabases(dbs: Databases): Promise<void> {
  await dbs.field.delete();
  await dbs.cache.delete();
}
