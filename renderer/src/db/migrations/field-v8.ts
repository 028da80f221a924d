/**
 * Field database, schema version 8: the device key and the signed audit checkpoints.
 * - deviceKeys: this inspector's signing key on this device ('current'), its private half as PKCS8.
 *   Like every partition row it is sealed whole under the inspector's data key, so at rest it opens
 *   only with the password (or the OS-bound copy); in memory it is imported non-extractable.
 * - checkpoints: per finalized result, the checkpoint the device key signed at finalize (device
 *   sequence, audit count and head hash, content hash, signature), written in the same transaction
 *   as the result, so a result never exists without its signature.
 * Frozen: a later change is a new version module. Row types live here with their version.
 */
import type { Dexie } from 'dexie';
import type { SuiteId } from '../../../../shared/integrity/suite.js';

export const FIELD_V8_VERSION = 8;

export const FIELD_V8_STORES = {
  deviceKeys: 'id',
  checkpoints: 'resultId',
} as const;

export interface DeviceKeyRow {
  readonly id: 'current';
  readonly suite: SuiteId;
  /** The private key, PKCS8; read only to import it non-extractable at unlock. */
  readonly pkcs8: Uint8Array;
  /** Raw public key, base64url: what the platform registers and what verifies the checkpoints. */
  readonly publicKey: string;
  readonly createdAt: string;
  /** The platform's id for the registered key; null until registered (first sign-in offline, or it failed). */
  readonly keyId: string | null;
  readonly registeredAt: string | null;
}

export interface CheckpointRow {
  readonly resultId: string;
  readonly suite: SuiteId;
  readonly deviceId: string;
  readonly deviceSeq: number;
  readonly contentHash: string;
  readonly count: number;
  readonly headHash: string;
  /** base64url signature over shared/integrity checkpointMessage of the fields above. */
  readonly signature: string;
}

export function fieldV8(db: Dexie): void {
  db.version(FIELD_V8_VERSION).stores(FIELD_V8_STORES);
}
