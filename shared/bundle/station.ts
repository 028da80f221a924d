/**
 * The station bundle: what the platform hands a station without a network (tasks of named inspectors,
 * the credit-file snapshot, reference data, document-number blocks, and the feed cursors each of them
 * covers), so the laptop can continue with a delta once a network comes.
 *
 * Recipient: the bundle is encrypted to an X25519 key derived from the station cache key. The platform
 * keeps that key and releases it to every signed-in inspector of the station, and it already seals the
 * credit-file cache: whoever can open the bundle could read the imported cache anyway, while a lost stick
 * (task lists are confidential until the inspection) reveals nothing to anyone outside the station. It
 * names no single device, so one bundle serves every laptop of the station.
 */
import { z } from 'zod';
import { SnapshotManifestSchema } from '../protocol/index.js';
import { concat } from './bundle.format.js';
import { subtle, utf8Encode, type BundleKey } from './webcrypto.js';

/** The admin route that hands out a station bundle (query: inspectors=<id>,<id>). */
export const ADMIN_STATION_BUNDLE_PATH = '/v1/admin/station-bundle';

export const STATION_ENTRY = {
  info: 'station.json',
  reference: 'reference.json',
  enterprises: 'enterprises.ndjson.gz',
  tasks: (inspectorId: string) => `tasks/${inspectorId}.json`,
  docBlocks: (inspectorId: string) => `doc-blocks/${inspectorId}.json`,
} as const;

const Id = z.string().regex(/^[A-Za-z0-9_.:-]{1,200}$/);
const Seq = z.string().regex(/^\d{1,30}$/);

export const StationInspectorSchema = z.strictObject({
  inspectorId: Id,
  /** The task feed's cursor after the last change in this bundle (what a full task pull would leave). */
  tasksCursor: Seq,
  tasksTotal: z.number().int().nonnegative(),
  /** Devices this inspector has signed in on; each got its own document-number blocks. */
  deviceIds: z.array(Id).max(100),
});
export type StationInspector = z.infer<typeof StationInspectorSchema>;

export const StationInfoSchema = z.strictObject({
  format: z.literal(1),
  stationId: Id,
  /** The station cache key the recipient key derives from (a newer station key makes this bundle useless). */
  stationKeyId: Id,
  createdAt: z.iso.datetime({ offset: true }),
  inspectors: z.array(StationInspectorSchema).min(1).max(200),
  reference: z.strictObject({ etag: z.string().min(1).max(200) }),
  /** The network snapshot's own manifest: the entry holds exactly its bytes, member by member. */
  enterprises: SnapshotManifestSchema,
});
export type StationInfo = z.infer<typeof StationInfoSchema>;

export const StationTasksSchema = z.strictObject({
  /** Task changes exactly as the task feed sends them; checked on import like a feed page. */
  changes: z.array(z.unknown()).max(100_000),
  nextCursor: Seq,
  total: z.number().int().nonnegative(),
});
export type StationTasks = z.infer<typeof StationTasksSchema>;

export const StationDocBlockSchema = z.strictObject({
  deviceId: Id,
  /** The reservation's id on the platform (its idempotency key), as if the device had asked. */
  requestId: Id,
  docType: z.string().min(1).max(50),
  prefix: z.string().max(100),
  from: z.number().int().positive(),
  to: z.number().int().positive(),
});
export const StationDocBlocksSchema = z.strictObject({ blocks: z.array(StationDocBlockSchema).max(10_000) });
export type StationDocBlock = z.infer<typeof StationDocBlockSchema>;

const PKCS8_X25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const RECIPIENT_INFO = 'smart-inspect station bundle recipient v1';

/**
 * The station's bundle recipient key pair, derived from the 32-byte station cache key and its key id
 * (HKDF-SHA256), so platform and laptop reach the same pair without another key to distribute.
 */
export async function stationRecipientKeys(
  stationKey: Uint8Array,
  stationKeyId: string,
): Promise<{ privateKey: BundleKey; publicKey: Uint8Array }> {
  if (stationKey.length !== 32) throw new Error(`station key must be 32 bytes, got ${stationKey.length}`);
  const ikm = (await subtle().importKey('raw', stationKey, 'HKDF', false, ['deriveBits'])) as BundleKey;
  const seed = new Uint8Array(
    await subtle().deriveBits(
      { name: 'HKDF', hash: 'SHA-256', salt: utf8Encode(stationKeyId), info: utf8Encode(RECIPIENT_INFO) },
      ikm,
      256,
    ),
  );
  const pkcs8 = concat([PKCS8_X25519_PREFIX, seed]);
  seed.fill(0);
  const privateKey = (await subtle().importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits'])) as BundleKey;
  // The public key is the private scalar times the base point (u = 9): X25519 with the base point as
  // the peer gives exactly that, without an exportable copy of the private key.
  const basePoint = new Uint8Array(32);
  basePoint[0] = 9;
  const base = (await subtle().importKey('raw', basePoint, { name: 'X25519' }, true, [])) as BundleKey;
  const publicKey = new Uint8Array(await subtle().deriveBits({ name: 'X25519', public: base }, privateKey, 256));
  pkcs8.fill(0);
  return { privateKey, publicKey };
}
