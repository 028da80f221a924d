/**
 * The platform's master key: 32 random bytes in the data directory (created once, owner-only), so
 * escrowed keys survive a restart. Escrowed keys are stored wrapped with AES-256-GCM under it; the
 * additional data names the key's owner and id, so a wrapped key copied to another row does not
 * open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MASTER_FILE = 'platform-master.key';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function loadMasterKey(dataDir: string): Buffer {
  const path = join(dataDir, MASTER_FILE);
  try {
    // 'wx': never overwrite an existing master key (that would orphan every escrowed key).
    writeFileSync(path, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = readFileSync(path);
  if (key.length !== KEY_BYTES)
    throw new Error(`${path} holds ${key.length} bytes, expected ${KEY_BYTES}: the master key is damaged`);
  return key;
}

/** iv ‖ tag ‖ ciphertext. */
export function wrapKey(master: Buffer, raw: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(raw), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]);
}

/** Throws when the blob was altered or wrapped for another owner: stored keys are an invariant. */
export function unwrapKey(master: Buffer, blob: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', master, blob.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
}
