/**
 * Key escrow and the station cache key. The app seals each inspector's data with ONE data key that
 * it makes on the inspector's first online sign-in; the platform keeps a copy wrapped by its own
 * key, so a forgotten password or a new laptop does not lose the data. The credit-file feed is the
 * same for every inspector of a station, so its cache is sealed with one key per station.
 */
import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from './common.js';

/** Raw key length (AES-256). */
export const KEY_BYTES = 32;

/**
 * How long after a password sign-in the data key may be released or escrowed. Refreshed tokens keep
 * the time of the password sign-in they descend from: a refresh token lying on a laptop proves
 * possession of the laptop, not knowledge of the password, and the data key opens everything the
 * inspector sealed on every device. Ten minutes covers sign-in, key fetch and a slow network.
 */
export const KEY_RELEASE_WINDOW_SECONDS = 600;

/**
 * 32 bytes as unpadded base64url: exactly 43 characters, the last one carrying 4 data bits and two
 * zero bits (so every key has one spelling and the platform compares keys as text or bytes alike).
 */
export const KeyB64Schema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, '密钥应为32字节的 base64url 编码（43个字符，无填充）');

export const KeyIdSchema = IdSchema;

export const PutDataKeyRequestSchema = z.strictObject({ keyId: KeyIdSchema, key: KeyB64Schema });
export type PutDataKeyRequest = z.infer<typeof PutDataKeyRequestSchema>;

/** `created` is false when the same key was already escrowed (a retry). */
export const PutDataKeyResponseSchema = z.object({ keyId: KeyIdSchema, created: z.boolean() });
export type PutDataKeyResponse = z.infer<typeof PutDataKeyResponseSchema>;

export const DataKeyResponseSchema = z.object({ keyId: KeyIdSchema, key: KeyB64Schema });
export type DataKeyResponse = z.infer<typeof DataKeyResponseSchema>;

/** The details of a 409 KEY_EXISTS: the id of the key the platform already holds. */
export const KeyExistsDetailsSchema = z.object({ keyId: KeyIdSchema });

export const StationCacheKeyResponseSchema = z.object({ stationId: IdSchema, keyId: KeyIdSchema, key: KeyB64Schema });
export type StationCacheKeyResponse = z.infer<typeof StationCacheKeyResponseSchema>;

export const KEY_KINDS = ['data-key', 'station-cache'] as const;

/** One release of a key to a device, as the platform's admin log shows it. */
export const KeyReleaseSchema = z.object({
  kind: z.enum(KEY_KINDS),
  inspectorId: IdSchema,
  deviceId: IdSchema,
  keyId: KeyIdSchema,
  releasedAt: IsoDateTimeSchema,
});
export type KeyRelease = z.infer<typeof KeyReleaseSchema>;
export const KeyReleaseListSchema = z.object({ releases: z.array(KeyReleaseSchema) });
