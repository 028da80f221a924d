/**
 * Downloading the credit-file snapshot with HTTP Range, a few MiB per request. Every part is sealed
 * and stored with the new byte count before the next request, and whatever arrived of a part the
 * link dropped in the middle of is stored too: a dropped link or an app restart resumes at exactly
 * the stored byte count. If-Range carries the file's ETag, so a file the platform replaced meanwhile
 * comes back whole (200) instead of being glued onto the old bytes: then the download is discarded.
 * Each time stored bytes grow, `check` sees them: it verifies every member now complete against
 * its own hash (and hands it on to the import); a member that fails makes the download forget the
 * bytes from that member on and fetch them again. The SHA-256 of the whole file is checked at the
 * end, before the snapshot counts as complete.
 */
import { platformEndpoint, type SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { SnapshotRepo } from '../../db/index.js';
import type { HttpError, TokenProvider } from '../../platform/http.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';

/**
 * Bytes per Range request: large enough that request overhead vanishes (28 requests for 200,000
 * credit files), small enough that a part which must come again (a cut response whose bytes did
 * not all reach the page) costs little on a weak link.
 */
export const SNAPSHOT_PART_BYTES = 1024 * 1024;
/** Consecutive failed requests without a single new byte before the download gives up for now. */
const MAX_FRUITLESS = 4;
/** Members refetched after failing their hash before the download is discarded as corrupt. */
const MAX_REFETCHES = 3;

/**
 * Sees the stored bytes after each part (and once at the start, for bytes stored before): returns
 * the offset of a member that failed its hash, to refetch from there, or null.
 */
export type StoredCheck = (
  received: number,
  read: (start: number, end: number) => Uint8Array,
) => Promise<number | null>;

export interface SnapshotFetchOptions {
  readonly baseUrl: () => string;
  readonly tokens: TokenProvider;
  readonly fetch?: typeof fetch;
  readonly partBytes?: number;
  /** Waits between retries (tests pass 0). */
  readonly retryDelayMs?: number;
  /** Where the download's and the check's time go (the bench's figures); dropped by default. */
  readonly timings?: TimingSink;
}

export type DownloadOutcome =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** The stored bytes were thrown away: the file changed, vanished, or failed its hash. */
  | { readonly ok: false; readonly discarded: 'replaced' | 'corrupt' }
  | { readonly ok: false; readonly error: HttpError };

export interface DownloadProgress {
  (received: number, total: number): void;
}

function resolveUrl(base: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : platformEndpoint(base, url);
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Brings the stored download of `manifest` to its full length and verifies it. Starts from the
 * stored bytes when the stored download is the same file; otherwise from byte 0.
 */
export async function downloadSnapshot(
  o: SnapshotFetchOptions,
  repo: SnapshotRepo,
  manifest: SnapshotManifest,
  progress: DownloadProgress,
  signal?: AbortSignal,
  check?: StoredCheck,
): Promise<DownloadOutcome> {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const partBytes = o.partBytes ?? SNAPSHOT_PART_BYTES;
  const timings = o.timings ?? NO_TIMINGS;
  const etag = `"${manifest.sha256}"`;
  const url = resolveUrl(o.baseUrl(), manifest.url);
  let row = await repo.current();
  let parts: Uint8Array[] = [];
  if (row && row.manifest.sha256 === manifest.sha256) parts = await repo.openParts();
  else row = await repo.begin(manifest);
  let received = row.received;
  progress(received, manifest.bytes);
  const t0 = performance.now();
  let fruitless = 0;
  let refreshed = false;
  const store = async (bytes: Uint8Array) => {
    const sealed = await repo.sealPart(manifest.sha256, parts.length, bytes);
    await repo.append(manifest.sha256, received, bytes.byteLength, sealed);
    parts.push(bytes);
    received += bytes.byteLength;
    progress(received, manifest.bytes);
  };
  /** Bytes [start, end) of what is stored, copied out of the parts. */
  const read = (start: number, end: number): Uint8Array => {
    const out = new Uint8Array(end - start);
    let at = 0;
    for (const p of parts) {
      const from = Math.max(start, at);
      const to = Math.min(end, at + p.byteLength);
      if (from < to) out.set(p.subarray(from - at, to - at), from - start);
      at += p.byteLength;
      if (at >= end) break;
    }
    return out;
  };
  let refetches = 0;
  /** Runs `check`: a failed member makes the stored bytes end before it (refetch), too many failures discard all. */
  const verify = async (): Promise<'ok' | 'refetch' | 'corrupt'> => {
    const bad = check ? await check(received, read) : null;
    if (bad === null) return 'ok';
    if (++refetches > MAX_REFETCHES) {
      await repo.discard();
      return 'corrupt';
    }
    const before = read(0, bad);
    received = await repo.truncate(manifest.sha256, bad);
    let at = 0;
    const keep: Uint8Array[] = [];
    for (const p of parts) {
      if (at + p.byteLength > received) break;
      keep.push(p);
      at += p.byteLength;
    }
    parts = keep;
    // The bytes before the failed member were fine: store them again from memory, not the network.
    if (bad > received) await store(before.subarray(received));
    progress(received, manifest.bytes);
    return 'refetch';
  };
  if ((await verify()) === 'corrupt') return { ok: false, discarded: 'corrupt' };
  while (received < manifest.bytes) {
    if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
    const end = Math.min(received + partBytes, manifest.bytes) - 1;
    const token = o.tokens.accessToken();
    let res: Response;
    try {
      res = await doFetch(url, {
        headers: {
          Range: `bytes=${received}-${end}`,
          'If-Range': etag,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        ...(signal ? { signal } : {}),
      });
    } catch (e) {
      if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
      if (++fruitless >= MAX_FRUITLESS) return { ok: false, error: networkError(e) };
      await sleep(o.retryDelayMs ?? 500 * fruitless);
      continue;
    }
    if (res.status === 401 && !refreshed) {
      await res.body?.cancel();
      refreshed = true;
      const outcome = await o.tokens.refresh();
      if (outcome === 'refreshed') continue;
      return {
        ok: false,
        error:
          outcome === 'rejected'
            ? { kind: 'session-expired', message: '登录已过期，请重新登录' }
            : { kind: 'network', message: '无法刷新登录状态' },
      };
    }
    // 200: If-Range did not match (the file is another one now); 404/416: the file is gone or shorter.
    if (res.status === 200 || res.status === 404 || res.status === 416) {
      await res.body?.cancel();
      await repo.discard();
      return { ok: false, discarded: 'replaced' };
    }
    if (res.status !== 206) {
      const message = `下载企业档案快照失败：HTTP ${res.status}`;
      await res.body?.cancel();
      return {
        ok: false,
        error: {
          kind: 'http',
          status: res.status,
          code: null,
          message,
          retryAfterMs: null,
          serverDate: res.headers.get('date'),
          missing: [],
        },
      };
    }
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
    if (!range || Number(range[1]) !== received || Number(range[3]) !== manifest.bytes) {
      await res.body?.cancel();
      await repo.discard();
      return { ok: false, discarded: 'replaced' };
    }
    // Read the part; if the link drops inside it, keep what arrived and ask for the rest next.
    const got: Uint8Array[] = [];
    let size = 0;
    let failure: unknown = null;
    try {
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        got.push(value);
        size += value.byteLength;
      }
    } catch (e) {
      failure = e;
    }
    const want = end - received + 1;
    if (size > want) {
      await repo.discard();
      return { ok: false, discarded: 'replaced' };
    }
    if (size > 0) {
      await store(concat(got, size));
      const checked = await verify();
      if (checked === 'corrupt') return { ok: false, discarded: 'corrupt' };
      if (checked === 'refetch') continue;
    }
    if (failure === null && size === want) {
      fruitless = 0;
      continue;
    }
    if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
    fruitless = size > 0 ? 0 : fruitless + 1;
    if (fruitless >= MAX_FRUITLESS) return { ok: false, error: networkError(failure ?? new Error('连接提前结束')) };
    await sleep(o.retryDelayMs ?? 500);
  }
  const t1 = performance.now();
  timings.add('snapshotDownloadMs', t1 - t0);
  timings.add('bytes', received);
  const bytes = concat(parts, received);
  const verified = (await sha256Hex(bytes)) === manifest.sha256;
  timings.add('snapshotVerifyMs', performance.now() - t1);
  if (!verified) {
    await repo.discard();
    return { ok: false, discarded: 'corrupt' };
  }
  return { ok: true, bytes };
}

function networkError(e: unknown): HttpError {
  return { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` };
}
