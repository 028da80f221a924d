/**
 * The wrapped data key as stored on disk and sent to/received from other parts: JSON-safe
 * (base64url strings), and validated whenever it is read back, because a file on a shared laptop
 * may have been truncated, edited or written by another version.
 */
import { z } from 'zod';
import { fromBase64Url } from './bytes.js';
import { kdfParamsProblem } from './kdf.js';

export const WRAPPED_KEY_VERSION = 1;

/** Canonical unpadded base64url of exactly `bytes` bytes. */
function b64url(bytes: number) {
  return z
    .string()
    .refine((s) => fromBase64Url(s)?.length === bytes, { message: `expected base64url of ${bytes} bytes` });
}

const id = z.string().min(1).max(128);

export const wrappedKeySchema = z.strictObject({
  v: z.literal(WRAPPED_KEY_VERSION),
  keyId: id,
  inspectorId: id,
  kdf: z
    .strictObject({
      alg: z.literal('scrypt'),
      N: z.number().int(),
      r: z.number().int(),
      p: z.number().int(),
      salt: b64url(16),
    })
    .superRefine((kdf, ctx) => {
      const problem = kdfParamsProblem(kdf);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
  iv: b64url(12),
  /** The 32-byte data key encrypted + the 16-byte GCM tag. */
  ct: b64url(48),
});

export type WrappedKey = z.infer<typeof wrappedKeySchema>;
