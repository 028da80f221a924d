/**
 * The `device` database: the only one kept in clear. One row per inspector who signed in on this
 * laptop (their vault: the wrapped data key and the unlock bookkeeping) and the device salt. It
 * holds no inspection content: the 执法证号 only as a salted hash, the partition only as a random
 * name. Every inspector's data lives in their own sealed partition database (`field-<partitionId>`).
 */
import { Dexie, type Table } from 'dexie';
import type { WrappedKey } from '../vault/wrapped-key.schema.js';
import { FieldDb } from './databases.js';
import { sealingMiddleware, type SealingKeySource } from './sealing.js';

export interface VaultRow {
  /** The platform's inspector id (the primary key: one vault per inspector per laptop). */
  readonly inspectorId: string;
  /** SHA-256 over the device salt and the 执法证号: finds the vault at unlock without storing the number. */
  readonly certNoHash: string;
  /** Random; names the partition database and says nothing about whose it is. */
  readonly partitionId: string;
  /**
   * The device id this (laptop, inspector) installation uses with the platform. It must be known
   * before the password is checked (the login sends it), and the platform knows it anyway.
   */
  readonly deviceId: string;
  /** The data key wrapped under the password (null after the device was revoked). */
  readonly wrapped: WrappedKey | null;
  readonly keyId: string;
  /** Last online sign-in (ms): the offline credential expires some days after it. */
  readonly lastOnlineAt: number;
  readonly failedAttempts: number;
  readonly lastFailureAt: number | null;
  /** Too many failed offline unlocks: only an online sign-in opens the vault again. */
  readonly needsOnline: boolean;
  /** The platform revoked this installation: the key copies are gone, only the escrow opens the data. */
  readonly destroyed: boolean;
  /** The station's credit-file cache key, sealed under the data key (null until fetched, or revoked). */
  readonly stationKey: Uint8Array | null;
}

export interface DeviceSettingRow {
  readonly key: 'salt';
  readonly value: string;
}

export class DeviceDb extends Dexie {
  declare vaults: Table<VaultRow, string>;
  declare settings: Table<DeviceSettingRow, DeviceSettingRow['key']>;

  constructor(name: string) {
    super(name, { chromeTransactionDurability: 'strict' });
    this.version(1).stores({ vaults: 'inspectorId, &certNoHash', settings: 'key' });
  }
}

export function deviceDbName(prefix = ''): string {
  return `${prefix}device`;
}

export function partitionDbName(prefix: string, partitionId: string): string {
  return `${prefix}field-${partitionId}`;
}

/** The field database of an earlier version: one unpartitioned store, in clear. */
export function legacyFieldDbName(prefix = ''): string {
  return `${prefix}field`;
}

/**
 * Opens (lazily) one inspector's partition: today's field schema with every table sealed under the
 * data key the key source holds. While the source is empty every read and write rejects.
 */
export function openPartition(name: string, keys: SealingKeySource): FieldDb {
  const db = new FieldDb(name);
  db.sealingKeys = keys;
  db.use(sealingMiddleware({ tables: db.tables.map((t) => t.name), keys }));
  return db;
}

export async function databaseExists(name: string): Promise<boolean> {
  return Dexie.exists(name);
}
