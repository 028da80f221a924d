export { sealBundle, sealBundleToBytes, type BundleEntryInput, type SealOptions } from './bundle.seal.js';
export {
  openBundle,
  openBundleStaged,
  type EntryStage,
  type EntryWriter,
  type OpenStagedResult,
  type BundleRefusal,
  type BundleRefusalKind,
  type OpenBundleResult,
  type OpenedEntry,
  type OpenOptions,
  type TrustedSender,
} from './bundle.open.js';
export { BUNDLE_KINDS, CHUNK_SIZE, FORMAT_VERSION, type BundleHeader, type BundleKind } from './bundle.format.js';
export {
  exportPrivateKey,
  exportPublicKey,
  generateRecipientKeyPair,
  generateSigningKeyPair,
  importRecipientPrivateKey,
  importSigningPrivateKey,
  keyIdOf,
  type BundleKey,
  type BundleKeyPair,
} from './webcrypto.js';
export {
  ADMIN_STATION_BUNDLE_PATH,
  STATION_ENTRY,
  StationDocBlocksSchema,
  StationInfoSchema,
  StationTasksSchema,
  stationRecipientKeys,
  type StationDocBlock,
  type StationInfo,
  type StationInspector,
  type StationTasks,
} from './station.js';
