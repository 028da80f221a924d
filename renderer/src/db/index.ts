/** The db layer's public surface: databases, repositories, storage checks. */
export * from './databases.js';
export * from './device.js';
export * from './legacy-adopt.js';
export * from './repos/vaults.repo.js';
export { SEALED_FIELD, sealedRowAad, type SealingKeySource } from './sealing.js';
export type * from './rows.js';
export * from './digest.js';
export * from './storage.js';
export * from './repos/meta.repo.js';
export * from './repos/session.repo.js';
export * from './repos/sync-state.repo.js';
export * from './repos/tasks.repo.js';
export * from './repos/drafts.repo.js';
export * from './repos/results.repo.js';
export * from './repos/outbox.repo.js';
export * from './repos/audit.repo.js';
export * from '../credit-files/store/enterprises.repo.js';
export * from '../credit-files/store/search-blobs.store.js';
export * from './repos/snapshot.repo.js';
export * from './repos/reference.repo.js';
export * from './repos/quarantine.repo.js';
export * from './repos/docnumbers.repo.js';
export * from './repos/doc-drafts.repo.js';
export * from './evidence-rows.js';
export * from './repos/attachments.repo.js';
export * from './repos/evidence-index.repo.js';
export * from './repos/media-chunks.repo.js';
export * from './repos/journal.repo.js';
export * from './repos/outbox-uploads.repo.js';
export * from './repos/outbox-review.repo.js';
export * from './repos/transparency.repo.js';
export * from './repos/devkey.repo.js';
export * from './repos/station-bundles.repo.js';
export * from './repos/usb-bundles.repo.js';
export {
  CHUNK_SIZE,
  MEMBER_CHUNK_MAX,
  chunkPlainOf,
  chunkPlainOfMember,
  dirPlain,
  packColumns,
  searchPlain,
  type EnterpriseSummary,
  type PackedRecord,
  type SummaryChange,
} from '../credit-files/store/enterprises.pack.js';
export { cacheAad, jsonBytes, sealCacheAsync, type CacheKey } from '../credit-files/store/enterprises.seal.js';
export { gunzip, gzipIsize } from '../credit-files/store/gzip.js';
export type { EntDirRow, EntSearchRow } from '../credit-files/store/enterprises.rows.js';
export type { ReviewRow, SetAsideRow, UploadRow } from './migrations/field-v3.js';
