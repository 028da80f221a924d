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
 */
import { createSHA256 } from 'hash-wasm';
import { platformEndpoint, SNAPSHOT_CURRENT_PATH, type SnapshotManifest } from '../../../../shared/protocol/index.js';
import type { SnapshotRepo } from '../../db/index.js';
import type { HttpError, TokenProvider } from '../../platform/http.js';
import { NO_TIMINGS, type TimingSink } from '../timing-sink.js';
import { HeldParts } from './snapshot-parts.js';

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

function resolveUrl(base: string, url: string): string {
  return /^https?:\/\//.test(url) ? url : platformEndpoint(base, url);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Bytes of a body read ahead of what is stored before reading stops until the store catches up:
 * the link never waits for one slow part, yet a download far ahead of its import does not pile the
 * file up in memory (the rest waits in the byte pump's window and the network buffers).
 */
export const BODY_AHEAD_BYTES = 2 * 1024 * 1024;

/** Reads a response body on its own, so the link never waits for what is done with the bytes. */
export class BodyPump {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private wake: (() => void) | null = null;
  private room: (() => void) | null = null;
  private cancelled = false;
  /** Every byte has been read (`failure`: the body ended early, e.g. the link dropped). */
  ended = false;
  failure: unknown = null;
  /** Bytes read from this body so far. */
  total = 0;
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly done: Promise<void>;

  constructor(
    body: ReadableStream<Uint8Array>,
    private readonly aheadBytes = BODY_AHEAD_BYTES,
  ) {
    this.reader = body.getReader();
    this.done = this.run();
  }

  /** Bytes read and not yet taken. */
  get buffered(): number {
    return this.queued;
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        while (this.queued >= this.aheadBytes && !this.cancelled)
          await new Promise<void>((resolve) => (this.room = resolve));
        if (this.cancelled) break;
        const { done, value } = await this.reader.read();
        if (done) break;
        this.queue.push(value);
        this.queued += value.byteLength;
        this.total += value.byteLength;
        this.wake?.();
      }
    } catch (e) {
      this.failure = e;
    }
    this.ended = true;
    this.wake?.();
  }

  /** Waits until `bytes` are queued or the body ended; then takes up to `bytes` (empty: nothing more). */
  async take(bytes: number): Promise<Uint8Array> {
    while (this.queued < bytes && !this.ended) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    const size = Math.min(bytes, this.queued);
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const head = this.queue[0]!;
      const n = Math.min(head.byteLength, size - at);
      out.set(head.subarray(0, n), at);
      at += n;
      if (n === head.byteLength) this.queue.shift();
      else this.queue[0] = head.subarray(n);
    }
    this.queued -= size;
    this.room?.();
    this.room = null;
    return out;
  }

  /** Stops reading (the bytes still queued are dropped) and waits for the reader to let go. */
  async cancel(): Promise<void> {
    this.cancelled = true;
    this.room?.();
    await this.reader.cancel().catch(() => undefined);
    await this.done;
  }
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
async function adopt(early: EarlyRequest, manifest: SnapshotManifest, from: number): Promise<Response | null> {
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

function networkError(e: unknown): HttpError {
  return { kind: 'network', message: `网络错误：${e instanceof Error ? e.message : String(e)}` };
}
