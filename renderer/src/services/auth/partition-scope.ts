/**
 * One unlocked inspector: their sealed partition, the key slot it reads its data key from, and the
 * services built over it (own runtime, token keeper and outbox). Built before the password is
 * checked (the login goes through its token keeper) with the slot still empty; nothing reads a row
 * until the slot holds the key. Closing it stops the timers, waits for writes in flight, closes the
 * database and zero-fills the key.
 */
import type { CacheDb, FieldDb } from '../../db/index.js';
import { openPartition, partitionDbName } from '../../db/index.js';
import { KeySlot } from '../../vault/index.js';
import type { CreatedServices } from '../compose.js';
import { createServices } from '../compose.js';
import type { ServiceDeps } from '../runtime.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { localStorageLedger, sealedLedger, type LedgerStore } from '../storage/storage.service.js';
import { localStorageMirror, type MarkerMirror } from '../../db/index.js';
import { concatBytes, toBase64Url, utf8 } from '../../vault/bytes.js';

export interface PartitionScope {
  readonly partitionId: string;
  readonly slot: KeySlot;
  readonly field: FieldDb;
  readonly services: CreatedServices;
  close(): Promise<void>;
}

export interface ScopeDeps extends Omit<ServiceDeps, 'dbs' | 'fetch'> {
  readonly prefix: string;
  readonly cache: CacheDb;
  readonly fetch?: typeof fetch;
  readonly beforeFinalizeCommit?: () => void;
  /** Called once per 403 DEVICE_REVOKED answer, whichever request met it. */
  readonly onRevoked: () => void;
}

/** Sees every answer of the platform first: a revoked device is told on whatever request. */
export function revocationAwareFetch(base: typeof fetch | undefined, onRevoked: () => void): typeof fetch {
  return async (input, init) => {
    const res = await (base ?? fetch)(input, init);
    if (res.status === 403) {
      const body: unknown = await res
        .clone()
        .json()
        .catch(() => null);
      const code =
        body && typeof body === 'object' && 'error' in body && body.error && typeof body.error === 'object'
          ? (body.error as { code?: unknown }).code
          : undefined;
      if (code === 'DEVICE_REVOKED') onRevoked();
    }
    return res;
  };
}

/**
 * The name under which the partition's store marker and receipt ledger live in localStorage. It is
 * derived from the data key, not from the partition's random name: when the whole IndexedDB is
 * lost (device database included), the escrowed key still finds them, so the recovery screen can
 * tell what the platform had confirmed. It reveals nothing without the key.
 */
export function storeName(slot: KeySlot): string {
  const key = slot.require();
  return toBase64Url(sha256(concatBytes(utf8('smart-inspect/store-name'), key))).slice(0, 22);
}

function keyNamedMirror(slot: KeySlot): MarkerMirror {
  return {
    get: () => localStorageMirror(storeName(slot)).get(),
    set: (m) => localStorageMirror(storeName(slot)).set(m),
  };
}

function keyNamedLedger(slot: KeySlot): LedgerStore {
  const named = (): LedgerStore => sealedLedger(localStorageLedger(storeName(slot)), slot, 'receipt-ledger');
  return { get: () => named().get(), set: (v) => named().set(v) };
}

export function openScope(deps: ScopeDeps, partitionId: string): PartitionScope {
  const slot = new KeySlot();
  const name = partitionDbName(deps.prefix, partitionId);
  const field = openPartition(name, slot);
  const { prefix, cache, onRevoked, beforeFinalizeCommit, fetch: baseFetch, ...rest } = deps;
  const services = createServices(
    { ...rest, dbs: { field, cache }, dbPrefix: prefix, fetch: revocationAwareFetch(baseFetch, onRevoked) },
    {
      markerMirror: keyNamedMirror(slot),
      ledger: keyNamedLedger(slot),
      ...(beforeFinalizeCommit ? { beforeFinalizeCommit } : {}),
    },
  );
  let closed = false;
  return {
    partitionId,
    slot,
    field,
    services,
    async close() {
      if (closed) return;
      closed = true;
      services.internals.stop();
      // Typing first: journal writes queue behind each other, so one may not have started yet.
      if (!slot.locked) await services.inspection.journal.flush();
      // Open document forms save what is still waiting for their debounce, while the key is there.
      if (!slot.locked) await services.documents.flushFormDrafts();
      if (!slot.locked && field.isOpen()) {
        // A read-write transaction over every table starts only after those already queued (a
        // journal or draft write in flight) have committed: the key is dropped after them, not before.
        await field.transaction('rw', field.tables, () => undefined).catch(() => undefined);
      }
      await services.internals.runtime.tokens.locked().catch(() => undefined);
      slot.lock();
      field.close();
    },
  };
}
