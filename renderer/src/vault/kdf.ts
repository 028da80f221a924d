/**
 * The key-encryption key: scrypt (memory-hard, so a stolen laptop's wrapped key costs an attacker
 * memory as well as time per guess) over the inspector's password. scryptAsync yields to the event
 * loop every few milliseconds, so a half-second derivation does not freeze a window.
 */
import { scryptAsync } from '@noble/hashes/scrypt.js';

export interface KdfParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/**
 * Chosen from test/bench/results/vault-kdf.json: scryptAsync at N = 2^17 costs about 0.5 s of CPU
 * in a Debian Chromium page on the reference machine (wall time is longer only when other
 * processes compete for the cores), the unlock cost we accept; 128 MiB of memory per guess. It is
 * also the usual published floor for scrypt with r = 8, p = 1.
 */
export const DEFAULT_KDF_PARAMS: KdfParams = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/**
 * Bounds for parameters read back from disk. A tampered key file must not make the app allocate
 * gigabytes or spin for minutes before the tag check can reject it; the floor still admits the
 * small N unit tests use.
 */
export const KDF_BOUNDS = Object.freeze({
  minLogN: 10,
  maxLogN: 20,
  maxR: 32,
  maxP: 16,
  maxMemBytes: 512 * 1024 * 1024,
});

/** Why `params` are out of bounds, or null when they are acceptable. */
export function kdfParamsProblem(params: KdfParams): string | null {
  const { N, r, p } = params;
  if (!Number.isInteger(N) || N < 2 ** KDF_BOUNDS.minLogN || N > 2 ** KDF_BOUNDS.maxLogN || (N & (N - 1)) !== 0) {
    return `N must be a power of two from 2^${KDF_BOUNDS.minLogN} to 2^${KDF_BOUNDS.maxLogN}`;
  }
  if (!Number.isInteger(r) || r < 1 || r > KDF_BOUNDS.maxR) return `r must be 1..${KDF_BOUNDS.maxR}`;
  if (!Number.isInteger(p) || p < 1 || p > KDF_BOUNDS.maxP) return `p must be 1..${KDF_BOUNDS.maxP}`;
  if (128 * N * r > KDF_BOUNDS.maxMemBytes) return `N·r needs more than ${KDF_BOUNDS.maxMemBytes} bytes`;
  return null;
}

export interface DeriveOptions {
  /** Aborting rejects with the signal's reason (an AbortError by default) and wipes scrypt's buffers. */
  readonly signal?: AbortSignal;
  /** Completion fraction 0..1, a few thousand calls per derivation. */
  readonly onProgress?: (fraction: number) => void;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The key derivation was aborted.', 'AbortError');
}

/**
 * Derives the 32-byte key-encryption key. The password is NFC-normalised so the same characters
 * typed through different input methods (composed or decomposed forms) give the same key.
 */
export async function deriveKek(
  password: string,
  salt: Uint8Array,
  params: KdfParams,
  options: DeriveOptions = {},
): Promise<Uint8Array> {
  const problem = kdfParamsProblem(params);
  if (problem) throw new RangeError(`vault: scrypt parameters out of bounds: ${problem}`);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw abortReason(signal);
  return scryptAsync(password.normalize('NFC'), salt, {
    N: params.N,
    r: params.r,
    p: params.p,
    dkLen: 32,
    maxmem: KDF_BOUNDS.maxMemBytes + 1024 * 1024,
    onProgress:
      signal || onProgress
        ? (fraction) => {
            // Throwing from the progress callback is noble's documented way to stop a derivation.
            if (signal?.aborted) throw abortReason(signal);
            onProgress?.(fraction);
          }
        : undefined,
  });
}
