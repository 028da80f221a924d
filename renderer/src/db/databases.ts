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
  QuarantineRow,
  ReferenceRow,
  ResultRow,
  SessionRow,
  SyncStateRow,
  TaskRow,
} from './rows.js';
import type { SealingKeySource } from './sealing.js';
import { CACHE_MIGRATIONS, FIELD_MIGRATIONS } from './migrations/index.js';
import type { EntChunkRow, EntDirRow, EntMetaRow, EntSearchRow } from './repos/enterprises.rows.js';
import type { AttachmentRow } from './evidence-rows.js';
import type { DocBlockRow, DocNumberRow, IssuedDocRow } from './migrations/field-v4.js';
import type { ReceiptRow, ReviewRow, SetAsideRow, UploadRow } from './migrations/field-v3.js';
import type { JournalRow } from './migrations/field-v5.js';

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
  // Cache v2: packed credit files; v1's per-record `enterprises` table is gone.
  declare entChunks: Table<EntChunkRow, number>;
  declare entSearch: Table<EntSearchRow, number>;
  declare entDir: Table<EntDirRow, number>;
  declare entMeta: Table<EntMetaRow, 'summary'>;
  declare reference: Table<ReferenceRow, 'current'>;
  declare quarantine: Table<QuarantineRow, string>;
  declare syncState: Table<SyncStateRow, SyncStateRow['stream']>;

  constructor(name: string, migrations = CACHE_MIGRATIONS) {
    super(name, { chromeTransactionDurability: 'relaxed' });
    for (const migrate of migrations) migrate(this);
  }
}

export interface Databases {
  readonly field: FieldDb;
  readonly cache: CacheDb;
}

/** Database names; a prefix keeps tests (and several profiles) apart. */
export function openDatabases(prefix = ''): Databases {
  return { field: new FieldDb(`${prefix}field`), cache: new CacheDb(`${prefix}cache`) };
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
