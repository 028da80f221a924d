/** The platform protocol v1: paths and schemas, shared by the app and the simulator. */
export * from './common.js';
export * from './auth.js';
export * from './tasks.js';
export * from './enterprises.js';
export * from './reference.js';
export * from './results.js';
export * from './public.js';
export * from './docnumbers.js';
export * from './keys.js';
export * from './devices.js';
export * from './log.js';
export * from './snapshot.js';

export const API = {
  login: '/v1/auth/login',
  refresh: '/v1/auth/refresh',
  tasks: '/v1/sync/tasks',
  enterprises: '/v1/sync/enterprises',
  reference: '/v1/reference',
  uploads: '/v1/uploads',
  result: (id: string) => `/v1/results/${encodeURIComponent(id)}`,
  receipt: (id: string) => `/v1/results/${encodeURIComponent(id)}/receipt`,
  reserveNumbers: '/v1/doc-numbers/reserve',
  reportNumbers: '/v1/doc-numbers/report',
  publicResults: (uscc: string) => `/v1/public/enterprises/${encodeURIComponent(uscc)}/results`,
  publicPage: (uscc: string) => `/public/enterprises/${encodeURIComponent(uscc)}`,
  verify: '/public/verify',
  logCheckpoint: '/v1/log/checkpoint',
  /** Query: index, size. */
  logInclusion: '/v1/log/proof/inclusion',
  /** Query: from, to (tree sizes). */
  logConsistency: '/v1/log/proof/consistency',
  dataKey: '/v1/keys/data-key',
  stationCacheKey: '/v1/keys/station-cache',
  deviceKeys: '/v1/devices/keys',
  /** Test-only admin routes (admin secret header). */
  adminRevokeDevice: (deviceId: string) => `/v1/admin/devices/${encodeURIComponent(deviceId)}/revoke`,
  adminReinstateDevice: (deviceId: string) => `/v1/admin/devices/${encodeURIComponent(deviceId)}/reinstate`,
  adminKeyReleases: '/v1/admin/key-releases',
} as const;

/**
 * The URL of a platform endpoint. The configured platform URL may carry a path prefix
 * (https://host/api): the endpoint goes under it, not at the host's root as `new URL('/v1/…', base)`
 * would put it.
 */
export function platformEndpoint(platformUrl: string, path: string): string {
  const base = platformUrl.endsWith('/') ? platformUrl : `${platformUrl}/`;
  return base + path.replace(/^\/+/, '');
}
