/** Auth: login with 执法证号 + password, token refresh. */
import { z } from 'zod';
import { IdSchema, IsoDateSchema, IsoDateTimeSchema } from './common.js';

export const CertNoSchema = z.string().regex(/^\d{11,14}$/, '执法证号应为11至14位数字');

export const InspectorSchema = z.object({
  id: IdSchema,
  name: z.string().min(1).max(40),
  certNo: CertNoSchema,
  certExpiry: IsoDateSchema,
  unit: z.string().min(1),
  station: z.string().min(1),
  /**
   * Stable id of the station (the name may be renamed). Optional so that profiles stored by earlier
   * versions, and platforms that do not send it yet, still parse; the station cache key answer
   * carries it as well.
   */
  stationId: IdSchema.optional(),
  region: z.string().regex(/^\d{6}$/),
  domains: z.array(z.string()),
  expert: z.boolean(),
});
export type Inspector = z.infer<typeof InspectorSchema>;

export const LoginRequestSchema = z.object({
  certNo: CertNoSchema,
  password: z.string().min(1, '请输入密码').max(200),
  deviceId: IdSchema,
  deviceName: z.string().min(1).max(100),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const TokensSchema = z.object({
  accessToken: z.string().min(16),
  refreshToken: z.string().min(16),
  /** Seconds from serverTime. */
  expiresIn: z.number().int().positive(),
  serverTime: IsoDateTimeSchema,
});
export type Tokens = z.infer<typeof TokensSchema>;

export const LoginResponseSchema = TokensSchema.extend({ inspector: InspectorSchema });
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(16) });
export const RefreshResponseSchema = TokensSchema;
