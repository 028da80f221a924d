/**
 * Devices: an access token is bound to the device id given at login, and the platform refuses
 * everything from a revoked device (a lost laptop) with 403 DEVICE_REVOKED until it is reinstated.
 * Each (inspector, device) registers the public half of its device key (`POST /v1/devices/keys`);
 * the platform binds it to the token's inspector and device, never to ids in the body, and checks
 * every result's signed audit checkpoint against it. The admin routes are test-only and need the
 * admin secret header.
 */
import { z } from 'zod';
import { SUITE_IDS } from '../integrity/suite.js';
import { IdSchema, IsoDateTimeSchema } from './common.js';
import { KeyB64Schema } from './keys.js';

/** The signature suites a device key may use (the same ids as the integrity suites). */
export const DeviceKeyAlgSchema = z.enum(SUITE_IDS);

/**
 * Registers the device key. Registering the same public key again answers with the same keyId
 * (a retry); another key for the same inspector and device is refused (409 DEVICE_KEY_EXISTS).
 */
export const RegisterDeviceKeyRequestSchema = z.strictObject({
  alg: DeviceKeyAlgSchema,
  /** The raw Ed25519 public key: 32 bytes as unpadded base64url. */
  publicKey: KeyB64Schema,
});
export type RegisterDeviceKeyRequest = z.infer<typeof RegisterDeviceKeyRequestSchema>;

export const RegisterDeviceKeyResponseSchema = z.object({
  keyId: IdSchema,
  /** The token's device: what the key is bound to. */
  deviceId: IdSchema,
  alg: DeviceKeyAlgSchema,
  created: z.boolean(),
  registeredAt: IsoDateTimeSchema,
});
export type RegisterDeviceKeyResponse = z.infer<typeof RegisterDeviceKeyResponseSchema>;

/** An Ed25519 signature: 64 bytes as unpadded base64url (86 characters). */
export const SignatureB64Schema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{85}[AQgw]$/, '签名应为64字节的 base64url 编码（86个字符，无填充）');

export const ADMIN_SECRET_HEADER = 'x-admin-secret';

export const DeviceStatusSchema = z.object({
  deviceId: IdSchema,
  revoked: z.boolean(),
  /** When it was last revoked or reinstated. */
  changedAt: IsoDateTimeSchema,
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
