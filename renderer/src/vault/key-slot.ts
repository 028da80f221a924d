/**
 * The one place the unlocked data key lives in memory. Locking zero-fills it and drops its cached
 * WebCrypto key, so nothing that outlives the lock can still seal or open.
 */
import { forgetCryptoKey, KEY_LENGTH } from './seal.js';
import { VaultLockedError } from './vault.errors.js';

export class KeySlot {
  #key: Uint8Array | null = null;
  readonly #listeners = new Set<(locked: boolean) => void>();

  /** The data key, or null while locked (the sealing middleware's key source). */
  current(): Uint8Array | null {
    return this.#key;
  }

  /** The data key; throws VaultLockedError while locked. */
  require(): Uint8Array {
    if (!this.#key) throw new VaultLockedError('no data key in the slot');
    return this.#key;
  }

  get locked(): boolean {
    return this.#key === null;
  }

  /** Keeps a copy, so the caller may wipe theirs. */
  unlock(dataKey: Uint8Array): void {
    if (!(dataKey instanceof Uint8Array) || dataKey.length !== KEY_LENGTH)
      throw new RangeError(`vault: a data key must be ${KEY_LENGTH} bytes`);
    this.lock();
    this.#key = new Uint8Array(dataKey);
    for (const l of this.#listeners) l(false);
  }

  lock(): void {
    const key = this.#key;
    if (!key) return;
    this.#key = null;
    forgetCryptoKey(key);
    key.fill(0);
    for (const l of this.#listeners) l(true);
  }

  /** Called with `true` on lock and `false` on unlock; returns the unsubscribe function. */
  onChange(listener: (locked: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
