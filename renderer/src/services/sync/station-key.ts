/**
 * The station cache key when the vault has none to hand over (the platform did not release it at
 * the last online sign-in): fetched from the platform with the session's token when first needed
 * and held in memory only, on the cache database object where the credit-file repositories and the
 * workers take it from. Normally the vault sets it at unlock (`dbs.cache.setCacheKey`) from the
 * copy it keeps sealed under the inspector's data key, and clears it at the lock.
 */
import { API, StationCacheKeyResponseSchema } from '../../../../shared/protocol/index.js';
import { fromBase64Url } from '../../vault/index.js';
import type { Runtime } from '../runtime.js';

export type StationKeyOutcome =
  { readonly ok: true; readonly notice: string | null } | { readonly ok: false; readonly message: string };

let inFlight: Promise<StationKeyOutcome> | null = null;

export function ensureStationCacheKey(rt: Runtime): Promise<StationKeyOutcome> {
  if (rt.dbs.cache.cacheKey) return Promise.resolve({ ok: true, notice: null });
  inFlight ??= fetchKey(rt).finally(() => {
    inFlight = null;
  });
  return inFlight;
}

async function fetchKey(rt: Runtime): Promise<StationKeyOutcome> {
  if (!rt.baseUrl() || !rt.tokens.hasTokens()) return { ok: false, message: '请先联网登录，以取得本站企业档案密钥' };
  const res = await rt.http.request({
    method: 'GET',
    path: API.stationCacheKey,
    schema: StationCacheKeyResponseSchema,
  });
  if (!res.ok) return { ok: false, message: `无法取得本站企业档案密钥：${res.error.message}` };
  if (res.notModified) return { ok: false, message: '无法取得本站企业档案密钥：平台未返回密钥' };
  const key = fromBase64Url(res.value.key);
  if (!key || key.length !== 32) return { ok: false, message: '无法取得本站企业档案密钥：平台返回的密钥格式不正确' };
  rt.dbs.cache.setCacheKey({ keyId: res.value.keyId, key });
  // A cache sealed under another key is emptied here and downloaded again by the next sync.
  const check = await rt.repos.enterprises.verifyKey();
  return { ok: true, notice: check.ok ? null : check.error.message };
}
