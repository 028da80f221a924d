/**
 * Downloading the credit-file snapshot with HTTP Range: one request for every byte still missing,
 * its body sealed and stored part by part (with the new byte count) as it arrives, and whatever
 * arrived of a part the link dropped in the middle of is stored too: a dropped link or an app
 * restart resumes at exactly the stored byte count with a new Range request. If-Range carries the file's ETag, so a file the platform replaced meanwhile
 * comes back whole (200) instead of being glued onto the old bytes: then the download is discarded.
 * Each time stored bytes grow, `check` sees them: it verifies every member now complete against
 * its own hash (and hands it on to the import); a member that fails makes the download forget the
 * bytes from that member on and fetch them again. Only the parts from the first member not yet
 * verified and handed on stay in memory (snapshot-parts.ts); the SHA-256 of the whole file,
 * computed as parts are let go, is checked at the end, before the snapshot counts as complete.
 * The body is read by snapshot-body.ts; the early request and the URLs are snapshot-request.ts's.
 */
import { createSHA256 } from 'hash-wasm';
import type { SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { SnapshotRepo } from '../../db/index.js';
import type { HttpError, TokenProvider } from '../../platform/http.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import { HeldParts } from './snapshot-parts.js';
import { BODY_AHEAD_BYTES, BodyPump } from './snapshot-body.js';
import { adopt, dropEarly, networkError, resolveUrl, type EarlyRequest } from './snapshot-request.js';

/**
 * Bytes per stored part: the import sees a member only once the part that completes it is stored,
 * so small parts keep the import close behind the link (a member is ~0.7 MB); large enough that
 * the per-part seal and transaction stay negligible.
 */
export const SNAPSHOT_PART_BYTES = 256 * 1024;
/** Consecutive failed requests without a single new byte before the download gives up for now. */
const MAX_FRUITLESS = 4;
/** Members refetched after failing their hash before the download is discarded as corrupt. */
const MAX_REFETCHES = 3;

/**
 * Sees the stored bytes after each part (and once at the start, for bytes stored before): returns
 * the offset of a member that failed its hash, to refetch from there, or null. `release(offset)`
 * says nothing before `offset` will be read or reported failed again (its members are verified and
 * handed on): the download then stops holding those bytes in memory. A check that never releases
 * keeps the whole file in memory until the download ends.
 */
export type StoredCheck = (
  received: number,
  read: (start: number, end: number) => Uint8Array,
  release: (offset: number) => void,
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
  /** Sees the bytes of stored parts held in memory each time they change (tests and the bench). */
  readonly onHeld?: (bytes: number) => void;
  /**
   * Bytes before this offset were verified and handed on by an earlier run (a resumed import): a
   * restart hashes those stored parts and lets them go as they are read from the store.
   */
  readonly handedOn?: number;
}

export type DownloadOutcome =
  | { readonly ok: true }
  /** The stored bytes were thrown away: the file changed, vanished, or failed its hash. */
  | { readonly ok: false; readonly discarded: 'replaced' | 'corrupt' }
  | { readonly ok: false; readonly error: HttpError };

export interface DownloadProgress {
  (received: number, total: number): void;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Brings the stored download of `manifest` to its full length and verifies it. Starts from the
 * stored bytes when the stored download is the same file; otherwise from byte 0.
 *
 * One Range request asks for everything still missing, so the link is never idle for a round trip
 * between parts; the body is read as fast as it comes while each `partBytes` of it is sealed and
 * stored and handed to `check` (the import) behind it. The file's SHA-256 is computed as the parts
 * are let go behind the check, so the whole-file check costs next to nothing once the last byte is in.
 */
export async function downloadSnapshot(
  o: SnapshotFetchOptions,
  repo: SnapshotRepo,
  manifest: SnapshotManifest,
  progress: DownloadProgress,
  signal?: AbortSignal,
  check?: StoredCheck,
  early?: EarlyRequest,
): Promise<DownloadOutcome> {
  let first = early;
  try {
    return await download(o, repo, manifest, progress, signal, check, () => {
      const taken = first;
      first = undefined;
      return taken;
    });
  } finally {
    dropEarly(first);
  }
}

async function download(
  o: SnapshotFetchOptions,
  repo: SnapshotRepo,
  manifest: SnapshotManifest,
  progress: DownloadProgress,
  signal: AbortSignal | undefined,
  check: StoredCheck | undefined,
  takeEarly: () => EarlyRequest | undefined,
): Promise<DownloadOutcome> {
  const doFetch = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const partBytes = o.partBytes ?? SNAPSHOT_PART_BYTES;
  const timings = o.timings ?? NO_TIMINGS;
  const etag = `"${manifest.sha256}"`;
  const url = resolveUrl(o.baseUrl(), manifest.url);
  const parts = new HeldParts(await createSHA256());
  const held = () => o.onHeld?.(parts.held);
  parts.release(o.handedOn ?? 0);
  let row = await repo.current();
  if (row && row.manifest.sha256 === manifest.sha256) await repo.eachPart((p) => parts.push(p));
  else row = await repo.begin(manifest);
  let received = row.received;
  if (parts.end !== received) throw new Error(`快照分段与已接收字节数不符：${parts.end} ≠ ${received}`);
  if (!check) parts.release(received);
  held();
  progress(received, manifest.bytes);
  const t0 = performance.now();
  let fruitless = 0;
  let refreshed = false;
  const store = async (bytes: Uint8Array) => {
    const sealed = await repo.sealPart(manifest.sha256, parts.nextIndex, bytes);
    await repo.append(manifest.sha256, received, bytes.byteLength, sealed);
    parts.push(bytes);
    received += bytes.byteLength;
    // Without a check nothing ever re-reads stored bytes: hash the part and let it go at once.
    if (!check) parts.release(received);
    held();
    progress(received, manifest.bytes);
  };
  const read = (start: number, end: number): Uint8Array => parts.read(start, end);
  const release = (offset: number): void => {
    parts.release(offset);
    held();
  };
  let refetches = 0;
  /** Runs `check`: a failed member makes the stored bytes end before it (refetch), too many failures discard all. */
  const verify = async (): Promise<'ok' | 'refetch' | 'corrupt'> => {
    const bad = check ? await check(received, read, release) : null;
    if (bad === null) return 'ok';
    if (++refetches > MAX_REFETCHES) {
      await repo.discard();
      return 'corrupt';
    }
    received = await repo.truncate(manifest.sha256, bad);
    // The bytes of the cut part before the failed member were fine: store them again from memory,
    // not the network (they are held: a failed member was never released, nor what shares its part).
    const before = read(received, bad);
    parts.truncate(received);
    held();
    if (bad > received) await store(before);
    progress(received, manifest.bytes);
    return 'refetch';
  };
  if ((await verify()) === 'corrupt') return { ok: false, discarded: 'corrupt' };
  while (received < manifest.bytes) {
    if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
    const from = received;
    const end = manifest.bytes - 1;
    const token = o.tokens.accessToken();
    const early = takeEarly();
    let res: Response;
    try {
      res =
        (early ? await adopt(early, manifest, from) : null) ??
        (await doFetch(url, {
          headers: {
            Range: `bytes=${from}-${end}`,
            'If-Range': etag,
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
          },
          ...(signal ? { signal } : {}),
        }));
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
    if (!range || Number(range[1]) !== from || Number(range[3]) !== manifest.bytes || !res.body) {
      await res.body?.cancel();
      await repo.discard();
      return { ok: false, discarded: 'replaced' };
    }
    // Store the body part by part as it arrives; if the link drops, what arrived is stored too and
    // the next request asks for the rest.
    const want = end - from + 1;
    const body = new BodyPump(res.body, Math.max(BODY_AHEAD_BYTES, partBytes));
    let stop: 'refetch' | 'corrupt' | 'replaced' | null = null;
    while (!signal?.aborted) {
      const bytes = await body.take(Math.min(partBytes, manifest.bytes - received));
      if (bytes.byteLength === 0) break;
      await store(bytes);
      const checked = await verify();
      if (checked !== 'ok') {
        stop = checked;
        break;
      }
      if (body.total > want) {
        stop = 'replaced';
        break;
      }
    }
    if (stop !== null || signal?.aborted || body.total > want) await body.cancel();
    if (stop === 'corrupt') return { ok: false, discarded: 'corrupt' };
    if (stop === 'replaced' || body.total > want) {
      await repo.discard();
      return { ok: false, discarded: 'replaced' };
    }
    if (stop === 'refetch') continue;
    if (received >= manifest.bytes) break;
    if (signal?.aborted) return { ok: false, error: { kind: 'aborted', message: '同步已取消' } };
    fruitless = body.total > 0 ? 0 : fruitless + 1;
    if (fruitless >= MAX_FRUITLESS)
      return { ok: false, error: networkError(body.failure ?? new Error('连接提前结束')) };
    await sleep(o.retryDelayMs ?? 500);
  }
  const t1 = performance.now();
  timings.add('snapshotDownloadMs', t1 - t0);
  timings.add('bytes', received);
  const verified = parts.digest() === manifest.sha256;
  timings.add('snapshotVerifyMs', performance.now() - t1);
  if (!verified) {
    await repo.discard();
    return { ok: false, discarded: 'corrupt' };
  }
  return { ok: true };
}
