/**
 * The requests of the snapshot download: the early request for the current file sent beside the
 * manifest (taken only when it is the manifest's file), the URLs the requests go to, and the error a
 * request that never got an answer reports.
 */
import { platformEndpoint, SNAPSHOT_CURRENT_PATH, type SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { HttpError } from '../../platform/http.js';
import type { SnapshotFetchOptions } from './snapshot-download.js';

export function resolveUrl(base: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : platformEndpoint(base, url);
}

/** A request for the current snapshot's bytes from byte 0, sent before its manifest is in. */
export interface EarlyRequest {
  readonly response: Promise<Response | null>;
}

/**
 * Asks for the current snapshot's bytes now, in the same round trip as the manifest: the download
 * then starts with bytes already arriving instead of one more round trip after the manifest. The
 * download takes the response only if it is the file the manifest names (its ETag and range).
 */
export function requestCurrentSnapshot(o: SnapshotFetchOptions, signal?: AbortSignal): EarlyRequest {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const token = o.tokens.accessToken();
  const response = doFetch(resolveUrl(o.baseUrl(), SNAPSHOT_CURRENT_PATH), {
    headers: { Range: 'bytes=0-', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    ...(signal ? { signal } : {}),
  }).catch(() => null); // the download asks again the usual way
  return { response };
}

/** The early response when it is `manifest`'s file from byte `from` to its end; else it is dropped. */
export async function adopt(early: EarlyRequest, manifest: SnapshotManifest, from: number): Promise<Response | null> {
  const res = await early.response;
  if (!res) return null;
  const fits =
    from === 0 &&
    res.status === 206 &&
    res.body !== null &&
    res.headers.get('etag') === `"${manifest.sha256}"` &&
    res.headers.get('content-range') === `bytes 0-${manifest.bytes - 1}/${manifest.bytes}`;
  if (fits) return res;
  await res.body?.cancel().catch(() => undefined);
  return null;
}

/** Drops an early response nobody took (one the download took is left alone: its body is locked). */
export function dropEarly(early: EarlyRequest | undefined): void {
  void early?.response.then((res) => res?.body?.cancel().catch(() => undefined));
}

export function networkError(e: unknown): HttpError {
  return { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` };
}
