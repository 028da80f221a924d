/**
 * Devices: an access token is bound to the device id given at login, and the platform refuses
 * everything from a revoked device (a lost laptop) with 403 DEVICE_REVOKED until it is reinstated.
 * The admin routes are test-only and need the admin secret header.
 */
import { z } from 'zod';
import { IdSchema, IsoDateTimeSchema } from './common.js';

export const ADMIN_SECRET_HEADER = 'x-admin-secret';

export const DeviceStatusSchema = z.object({
  deviceId: IdSchema,
  revoked: z.boolean(),
  /** When it was last revoked or reinstated. */
  changedAt: IsoDateTimeSchema,
});
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;
