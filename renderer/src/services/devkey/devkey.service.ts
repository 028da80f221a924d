/**
 * The inspector's device key on this device: made at their first sign-in here, kept at rest as
 * PKCS8 inside their sealed partition, and held in memory only as a non-extractable WebCrypto key
 * while the partition is unlocked (dropped at the lock). It signs the audit checkpoint of every
 * finalized result and correction; its public half is registered with the platform, which
 * verifies each upload's checkpoint against it.
 */
import { signCheckpoint, verifyCheckpoint, type CheckpointFields } from '../../../../shared/integrity/checkpoint.js';
import { fromBase64Url, toBase64Url } from '../../../../shared/integrity/encoding.js';
import { DEFAULT_SUITE, suiteFor, type SigningKey } from '../../../../shared/integrity/suite.js';
import { API, RegisterDeviceKeyResponseSchema } from '../../../../shared/protocol/index.js';
import type { CheckpointsRepo, DeviceKeysRepo, MetaRepo, SignedCheckpointInput } from '../../db/index.js';
import type { HttpClient } from '../../platform/http.js';
import type { RegisterOutcome } from '../../sync/push-signing.js';

export interface DeviceKeyHolder {
  /** Opens the key (making and storing one on the first use in this partition); imports it non-extractable. */
  ensure(): Promise<SigningKey>;
  /** Signs the checkpoint a finalize or correction is about to write (call outside any transaction). */
  signNext(input: {
    resultId: string;
    contentHash: string;
    count: number;
    headHash: string;
  }): Promise<SignedCheckpointInput>;
  /**
   * The platform's id for this key, registering it first when it has none yet (or `force`: the
   * platform said it does not know it).
   */
  registered(force?: boolean): Promise<RegisterOutcome>;
  /** The stored public key (base64url), or null before any key was made. */
  publicKey(): Promise<string | null>;
  /** Checks a stored checkpoint's signature against this partition's device key. */
  verify(fields: CheckpointFields, signature: string): Promise<boolean>;
  /** Forgets the in-memory key (the lock). */
  drop(): void;
}

export interface DeviceKeyDeps {
  readonly keys: DeviceKeysRepo;
  readonly checkpoints: CheckpointsRepo;
  readonly meta: MetaRepo;
  readonly http: HttpClient;
  readonly now: () => Date;
}

export function createDeviceKeyHolder(deps: DeviceKeyDeps): DeviceKeyHolder {
  let loaded: Promise<SigningKey> | null = null;
  let registering: Promise<RegisterOutcome> | null = null;
  let deviceId: Promise<string> | null = null;

  async function load(): Promise<SigningKey> {
    const suite = suiteFor(DEFAULT_SUITE);
    let row = await deps.keys.current();
    if (!row) {
      const made = await suite.generate();
      row = await deps.keys.createIfAbsent({
        id: 'current',
        suite: suite.id,
        pkcs8: new Uint8Array(made.pkcs8),
        publicKey: toBase64Url(made.publicKey),
        createdAt: deps.now().toISOString(),
        keyId: null,
        registeredAt: null,
      });
      // The extractable pair from generate() goes out of scope here; only the sealed row keeps it.
      made.pkcs8.fill(0);
    }
    const publicKey = fromBase64Url(row.publicKey);
    if (!publicKey) throw new Error('device key: the stored public key is not base64url');
    // `row` is this call's own copy (read back or just built): its key bytes are wiped once imported.
    const pkcs8 = new Uint8Array(row.pkcs8);
    row.pkcs8.fill(0);
    try {
      return await suiteFor(row.suite).importSigningKey(pkcs8, publicKey);
    } finally {
      pkcs8.fill(0);
    }
  }

  const holder: DeviceKeyHolder = {
    ensure() {
      loaded ??= load().catch((e: unknown) => {
        loaded = null;
        throw e;
      });
      return loaded;
    },
    async signNext(input) {
      const key = await holder.ensure();
      // The device id never changes within a partition: read once (its read is a write transaction).
      deviceId ??= deps.meta.deviceId();
      const [id, deviceSeq] = await Promise.all([deviceId, deps.checkpoints.nextDeviceSeq()]);
      const signature = await signCheckpoint(suiteFor(key.suite), key, { ...input, deviceId: id, deviceSeq });
      return { suite: key.suite, deviceId: id, deviceSeq, signature };
    },
    registered(force = false) {
      registering ??= (async (): Promise<RegisterOutcome> => {
        await holder.ensure();
        const row = await deps.keys.current();
        if (!row) throw new Error('device key: no key after ensure()');
        if (row.keyId && !force) return { ok: true, keyId: row.keyId };
        const res = await deps.http.request({
          method: 'POST',
          path: API.deviceKeys,
          body: { alg: row.suite, publicKey: row.publicKey },
          schema: RegisterDeviceKeyResponseSchema,
        });
        if (!res.ok) return { ok: false, error: res.error };
        if (res.notModified) throw new Error('device key registration answered 304');
        await deps.keys.setRegistered(row.publicKey, res.value.keyId, res.value.registeredAt);
        return { ok: true, keyId: res.value.keyId };
      })().finally(() => {
        registering = null;
      });
      return registering;
    },
    async publicKey() {
      return (await deps.keys.current())?.publicKey ?? null;
    },
    async verify(fields, signature) {
      // No key yet means nothing was ever signed here: every checkpoint fails.
      if (!(await deps.keys.current())) return false;
      const key = await holder.ensure();
      return verifyCheckpoint(suiteFor(key.suite), toBase64Url(key.publicKey), fields, signature);
    },
    drop() {
      loaded = null;
    },
  };
  return holder;
}
