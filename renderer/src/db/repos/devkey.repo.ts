/**
 * The device key at rest (sealed like every partition row) and the signed audit checkpoints.
 * Checkpoints are written by the finalize and correction transactions (results.repo.ts,
 * outbox-review.repo.ts) through `writeCheckpointInTx`; this repository reads them back for the
 * uploader and the integrity check.
 */
import { isVaultError } from '../../vault/vault.errors.js';
import type { FieldDb } from '../databases.js';
import type { CheckpointRow, DeviceKeyRow } from '../migrations/field-v8.js';
import { AuditHeadMovedError } from './audit.repo.js';

export type { CheckpointRow, DeviceKeyRow } from '../migrations/field-v8.js';

/** What the device key signed before the transaction; the transaction checks it still holds. */
export interface SignedCheckpointInput {
  readonly suite: CheckpointRow['suite'];
  readonly deviceId: string;
  /** The device sequence the result was signed with: the next one when it was prepared. */
  readonly deviceSeq: number;
  readonly signature: string;
}

export interface DeviceKeysRepo {
  current(): Promise<DeviceKeyRow | null>;
  /** Stores `row` unless a key exists already (another tab made one first); returns the one kept. */
  createIfAbsent(row: DeviceKeyRow): Promise<DeviceKeyRow>;
  setRegistered(publicKey: string, keyId: string, at: string): Promise<void>;
}

export interface CheckpointRead {
  readonly resultId: string;
  /** null when the row is absent or no longer opens (edited on disk). */
  readonly row: CheckpointRow | null;
}

export interface CheckpointsRepo {
  get(resultId: string): Promise<CheckpointRow | null>;
  /** The checkpoint of each result id given, read one by one so one damaged row names itself. */
  read(resultIds: readonly string[]): Promise<CheckpointRead[]>;
  /** The device sequence the next finalize will take (read outside the transaction, to sign it). */
  nextDeviceSeq(): Promise<number>;
}

export function deviceKeysRepo(db: FieldDb): DeviceKeysRepo {
  return {
    async current() {
      return (await db.deviceKeys.get('current')) ?? null;
    },
    createIfAbsent(row) {
      return db.transaction('rw', db.deviceKeys, async () => {
        const existing = await db.deviceKeys.get('current');
        if (existing) return existing;
        await db.deviceKeys.add(row);
        return row;
      });
    },
    async setRegistered(publicKey, keyId, at) {
      await db.transaction('rw', db.deviceKeys, async () => {
        const row = await db.deviceKeys.get('current');
        // A key replaced meanwhile keeps its own registration state.
        if (!row || row.publicKey !== publicKey) return;
        await db.deviceKeys.put({ ...row, keyId, registeredAt: at });
      });
    },
  };
}

export function checkpointsRepo(db: FieldDb): CheckpointsRepo {
  return {
    async get(resultId) {
      return (await db.checkpoints.get(resultId)) ?? null;
    },
    async read(resultIds) {
      const out: CheckpointRead[] = [];
      for (const resultId of resultIds) {
        try {
          out.push({ resultId, row: (await db.checkpoints.get(resultId)) ?? null });
        } catch (e) {
          if (isVaultError(e) && e.code !== 'locked') out.push({ resultId, row: null });
          else throw e;
        }
      }
      return out;
    },
    async nextDeviceSeq() {
      const row = await db.meta.get('deviceSeq');
      return (row && typeof row.value === 'number' ? row.value : 0) + 1;
    },
  };
}

/**
 * Inside the finalize (or correction) transaction, after nextDeviceSeq: stores the signed
 * checkpoint. If another finalize took the sequence the signature names, the whole step is
 * prepared and signed again (the same retry as a moved audit head).
 */
export async function writeCheckpointInTx(
  db: FieldDb,
  signed: SignedCheckpointInput,
  at: { resultId: string; contentHash: string; deviceSeq: number; count: number; headHash: string },
): Promise<void> {
  if (signed.deviceSeq !== at.deviceSeq) throw new AuditHeadMovedError();
  await db.checkpoints.add({
    resultId: at.resultId,
    suite: signed.suite,
    deviceId: signed.deviceId,
    deviceSeq: at.deviceSeq,
    contentHash: at.contentHash,
    count: at.count,
    headHash: at.headHash,
    signature: signed.signature,
  });
}
