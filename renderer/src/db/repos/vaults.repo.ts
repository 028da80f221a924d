/**
 * The device database's repository: vault rows per inspector and the device salt. Every change of
 * the unlock bookkeeping is its own committed transaction, so a failed attempt is on disk before
 * the inspector is told (killing the app between attempts must not reset the back-off).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { DeviceDb, VaultRow } from '../device.js';

export interface VaultsRepo {
  /** SHA-256(device salt ‖ 执法证号) as hex; the salt is made on first use. */
  certNoHash(certNo: string): Promise<string>;
  byCertNo(certNo: string): Promise<VaultRow | null>;
  get(inspectorId: string): Promise<VaultRow | null>;
  put(row: VaultRow): Promise<void>;
  /** Applies `change` to the stored row in one transaction; returns the new row (null when none). */
  update(inspectorId: string, change: (row: VaultRow) => VaultRow): Promise<VaultRow | null>;
  remove(inspectorId: string): Promise<void>;
  all(): Promise<VaultRow[]>;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function vaultsRepo(db: DeviceDb): VaultsRepo {
  async function salt(): Promise<string> {
    return db.transaction('rw', db.settings, async () => {
      const row = await db.settings.get('salt');
      if (row) return row.value;
      const value = hex(randomBytes(16));
      await db.settings.put({ key: 'salt', value });
      return value;
    });
  }
  async function certNoHash(certNo: string): Promise<string> {
    return hex(sha256(new TextEncoder().encode(`${await salt()}:${certNo}`)));
  }
  return {
    certNoHash,
    async byCertNo(certNo) {
      const h = await certNoHash(certNo);
      return (await db.vaults.where('certNoHash').equals(h).first()) ?? null;
    },
    async get(inspectorId) {
      return (await db.vaults.get(inspectorId)) ?? null;
    },
    async put(row) {
      await db.vaults.put(row);
    },
    async update(inspectorId, change) {
      return db.transaction('rw', db.vaults, async () => {
        const row = await db.vaults.get(inspectorId);
        if (!row) return null;
        const next = change(row);
        await db.vaults.put(next);
        return next;
      });
    },
    async remove(inspectorId) {
      await db.vaults.delete(inspectorId);
    },
    all: () => db.vaults.toArray(),
  };
}
