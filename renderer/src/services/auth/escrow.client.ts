/**
 * The platform's key escrow, right after a password login (the platform releases keys only within
 * minutes of one): fetch this inspector's data key, or make one and escrow it on a first sign-in.
 */
import {
  API,
  DataKeyResponseSchema,
  PutDataKeyResponseSchema,
  StationCacheKeyResponseSchema,
} from '../../../../shared/protocol/index.js';
import type { HttpClient, HttpError } from '../../platform/http.js';
import { fromBase64Url, newDataKey, newKeyId, toBase64Url } from '../../vault/index.js';

export type EscrowError = { readonly kind: 'escrow'; readonly message: string; readonly http: HttpError | null };
export type EscrowResult =
  | { readonly ok: true; readonly keyId: string; readonly dataKey: Uint8Array; readonly created: boolean }
  | { readonly ok: false; readonly error: EscrowError };

const fail = (message: string, http: HttpError | null = null): { ok: false; error: EscrowError } => ({
  ok: false,
  error: { kind: 'escrow', message, http },
});

/** The escrowed data key, or null when the platform holds none (404 NO_KEY). */
export async function fetchEscrowedKey(
  http: HttpClient,
): Promise<{ ok: true; key: { keyId: string; dataKey: Uint8Array } | null } | { ok: false; error: EscrowError }> {
  const res = await http.request({ method: 'GET', path: API.dataKey, schema: DataKeyResponseSchema });
  if (!res.ok) {
    if (res.error.kind === 'http' && res.error.status === 404) return { ok: true, key: null };
    return fail(`无法从监管平台取回数据密钥：${res.error.message}`, res.error);
  }
  if (res.notModified) return fail('无法从监管平台取回数据密钥：平台返回异常');
  const dataKey = fromBase64Url(res.value.key);
  if (!dataKey || dataKey.length !== 32) return fail('监管平台返回的数据密钥格式不正确');
  return { ok: true, key: { keyId: res.value.keyId, dataKey } };
}

/** The escrowed key, or a new one escrowed now (a concurrent first sign-in elsewhere wins: 409 → fetch). */
export async function escrowedOrNewKey(http: HttpClient): Promise<EscrowResult> {
  const got = await fetchEscrowedKey(http);
  if (!got.ok) return got;
  if (got.key) return { ok: true, ...got.key, created: false };
  const keyId = newKeyId();
  const dataKey = newDataKey();
  const put = await http.request({
    method: 'PUT',
    path: API.dataKey,
    body: { keyId, key: toBase64Url(dataKey) },
    schema: PutDataKeyResponseSchema,
  });
  if (put.ok) return { ok: true, keyId, dataKey, created: true };
  dataKey.fill(0);
  if (put.error.kind === 'http' && put.error.status === 409) {
    const again = await fetchEscrowedKey(http);
    if (!again.ok) return again;
    if (again.key) return { ok: true, ...again.key, created: false };
  }
  return fail(`无法在监管平台托管数据密钥：${put.error.message}`, put.error);
}

/** The station's credit-file cache key. */
export async function fetchStationKey(
  http: HttpClient,
): Promise<{ ok: true; keyId: string; key: Uint8Array } | { ok: false; error: EscrowError }> {
  const res = await http.request({ method: 'GET', path: API.stationCacheKey, schema: StationCacheKeyResponseSchema });
  if (!res.ok) return fail(`无法取得本所信用档案缓存密钥：${res.error.message}`, res.error);
  if (res.notModified) return fail('无法取得本所信用档案缓存密钥：平台返回异常');
  const key = fromBase64Url(res.value.key);
  if (!key || key.length !== 32) return fail('监管平台返回的缓存密钥格式不正确');
  return { ok: true, keyId: res.value.keyId, key };
}
