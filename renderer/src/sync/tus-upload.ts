/**
 * Attachments over tus 1.0 with tus-js-client: one upload resource per attachment (fingerprint =
 * attachment id, URL kept in IndexedDB), chunked PATCHes, and on any interruption the next attempt
 * HEADs the stored URL and continues at the server's offset. The server verifies the SHA-256 on
 * completion. Failures come back as the HTTP client's error union so push-answers decides.
 */
import { Upload, type DetailedError } from 'tus-js-client';
import {
  API,
  ErrorBodySchema,
  platformEndpoint,
  type ErrorBody,
  type ResultUpload,
} from '../../../shared/protocol/index.js';
import { DEFAULT_CHUNK_SIZE, type AttachmentRow, type UploadsRepo } from '../db/index.js';
import type { HttpError, TokenProvider } from '../platform/http.js';
import { parseRetryAfter } from '../platform/http.js';
import {
  FetchHttpStack,
  HELD_STATUS_HEADER,
  blobReader,
  dexieUrlStorage,
  fingerprintOf,
  sealedMediaReader,
  type MediaChunkSource,
} from './tus-stack.js';
import { uploadSlots, type SlotTicket } from './upload-slots.js';

export type AttachmentRef = ResultUpload['attachments'][number];
export type Prepared =
  { readonly ok: true; readonly refs: AttachmentRef[] } | { readonly ok: false; readonly error: HttpError };

export interface AttachmentSource {
  forResult(resultId: string): Promise<readonly AttachmentRow[]>;
}

export interface TusUploaderDeps {
  readonly baseUrl: () => string;
  readonly fetch: typeof fetch;
  readonly tokens: TokenProvider | null;
  readonly uploads: UploadsRepo;
  readonly source: AttachmentSource;
  /** The sealed chunks of video/audio attachments (their row's `blob` is empty). */
  readonly media?: MediaChunkSource;
  readonly now: () => number;
  readonly timeoutMs?: number;
  /** Bytes confirmed by the server for this result so far / total (for 上传中 n%). */
  readonly onProgress?: (resultId: string) => void;
  /** Attachments sent at once, over all results being prepared (default 3). */
  readonly parallel?: number;
}

export interface AheadOptions {
  readonly ahead?: boolean;
  /** Aborted when the drain that looked ahead is over: uploads still waiting for a slot are dropped. */
  readonly signal?: AbortSignal;
}

export interface AttachmentUploader {
  /**
   * Makes sure every attachment of the result is stored on the server; returns the refs for the PUT
   * body. `ahead`: started before the result's turn, its uploads wait behind those of the result
   * being sent, until that result's own prepare moves them forward.
   */
  prepare(resultId: string, opts?: AheadOptions): Promise<Prepared>;
  /** The server reported these missing: upload them afresh on the next prepare. */
  forget(attachmentIds: readonly string[]): Promise<void>;
}

type TusAttempt =
  { ok: true } | { ok: false; status: number | null; message: string; retryAfterMs: number | null; body: string };

function failureOf(err: Error | DetailedError): TusAttempt {
  const res = 'originalResponse' in err ? err.originalResponse : null;
  const held = res?.getHeader(HELD_STATUS_HEADER);
  const status = res ? (held ? Number(held) : res.getStatus()) : null;
  return {
    ok: false,
    status,
    message: err.message,
    retryAfterMs: res ? parseRetryAfter(res.getHeader('Retry-After') ?? null, res.getHeader('Date') ?? null) : null,
    body: res?.getBody() ?? '',
  };
}

/** The platform's error body, when the answer carried one (a HEAD never does). */
function errorBodyOf(body: string): ErrorBody['error'] | null {
  try {
    const parsed = ErrorBodySchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.error : null;
  } catch {
    return null;
  }
}

function toHttpError(f: Extract<TusAttempt, { ok: false }>): HttpError {
  if (f.status === null) return { kind: 'network', message: `附件上传中断：${f.message.slice(0, 200)}` };
  const body = errorBodyOf(f.body);
  return {
    kind: 'http',
    status: f.status,
    // The code decides whether one result is set aside or the whole queue waits (e.g. NOT_YOUR_UPLOAD).
    code: body?.code ?? null,
    message:
      f.status === 460
        ? '附件校验值不符，平台已拒收该附件'
        : `附件上传失败（HTTP ${f.status}${body ? `：${body.message.slice(0, 200)}` : ''}）`,
    retryAfterMs: f.retryAfterMs,
    serverDate: null,
    missing: [],
  };
}

/**
 * A recording goes in PATCHes of its own chunk size (one chunk opened per request) until a 413
 * has shrunk the stored size below the default; everything else uses the stored size.
 */
function chunkSizeFor(att: AttachmentRow, stored: number | null): number {
  const size = stored ?? DEFAULT_CHUNK_SIZE;
  return att.media && size >= DEFAULT_CHUNK_SIZE ? att.media.chunkSize : size;
}

/**
 * Whether the platform takes bytes on the creation POST (tus creation-with-upload), read from its
 * OPTIONS answer. The protocol only promises creation then PATCH, and tus-js-client fails an upload
 * whose creation answer lacks Upload-Offset, so the bytes ride on the POST only when advertised.
 */
export async function advertisesCreationWithUpload(doFetch: typeof fetch, endpoint: string): Promise<boolean> {
  const res = await doFetch(endpoint, { method: 'OPTIONS', headers: { 'Tus-Resumable': '1.0.0' } });
  await res.arrayBuffer();
  return (res.headers.get('Tus-Extension') ?? '').split(',').some((e) => e.trim() === 'creation-with-upload');
}

/** What a look-ahead upload that never started answers (its result's own turn uploads it). */
const DROPPED: HttpError = { kind: 'network', message: '提前上传已取消，轮到该结果时再上传' };

export function createTusUploader(deps: TusUploaderDeps): AttachmentUploader {
  const iso = () => new Date(deps.now()).toISOString();
  const urlStorage = dexieUrlStorage(deps.uploads, iso);
  const stack = new FetchHttpStack(deps.fetch, deps.timeoutMs ?? 60_000);
  const slots = uploadSlots(deps.parallel ?? 3);
  /** One upload per attachment at a time: a second prepare of the same result joins the running one. */
  const sending = new Map<string, SlotTicket<HttpError | null>>();
  /** Settles once every prepare for a result's own turn made so far has queued its uploads. */
  let nowQueued: Promise<void> = Promise.resolve();
  /** Asked once per uploader; an unreachable platform is asked again at the next prepare. */
  let withData: Promise<boolean> | null = null;
  const creationWithUpload = (): Promise<boolean> => {
    withData ??= advertisesCreationWithUpload(deps.fetch, platformEndpoint(deps.baseUrl(), API.uploads)).catch(() => {
      withData = null;
      return false;
    });
    return withData;
  };

  function once(att: AttachmentRow, chunkSize: number, withBytes: boolean): Promise<TusAttempt> {
    const media = att.media;
    if (media && !deps.media) throw new Error('上传录像/录音需要读取其分段数据');
    return new Promise((resolve) => {
      const upload = new Upload(att.blob, {
        endpoint: platformEndpoint(deps.baseUrl(), API.uploads),
        metadata: {
          attachmentId: att.id,
          resultId: att.resultId,
          sha256: att.sha256,
          mime: att.mime || 'application/octet-stream',
        },
        uploadSize: att.size,
        chunkSize,
        // tus creation-with-upload: the first chunk rides on the POST, one round trip fewer per
        // attachment (a photo up to one chunk goes in a single request). A drop during that POST
        // leaves no stored URL, so the next attempt creates afresh: at most that chunk is sent twice.
        // A recording's chunk is large: re-sent whole after a drop during the creation POST, it would
        // cost far more than the round trip saved, so recordings create first and PATCH from 0.
        uploadDataDuringCreation: withBytes && !media,
        retryDelays: null,
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: false,
        fingerprint: async () => fingerprintOf(att.id),
        urlStorage,
        // A recording is read from its sealed chunks, one chunk opened at a time.
        fileReader:
          media && deps.media
            ? sealedMediaReader(deps.media, { id: att.id, size: att.size, chunkSize: media.chunkSize })
            : blobReader,
        httpStack: stack,
        onBeforeRequest: (req) => {
          const token = deps.tokens?.accessToken();
          if (token) req.setHeader('Authorization', `Bearer ${token}`);
        },
        onChunkComplete: (_size, accepted) => {
          void deps.uploads.setOffset(att.id, accepted, iso()).then(() => deps.onProgress?.(att.resultId));
        },
        onSuccess: () => resolve({ ok: true }),
        onError: (err) => resolve(failureOf(err)),
      });
      upload.findPreviousUploads().then(
        (previous) => {
          const last = previous[0];
          if (last) upload.resumeFromPreviousUpload(last);
          upload.start();
        },
        (err: unknown) => resolve({ ok: false, status: null, message: String(err), retryAfterMs: null, body: '' }),
      );
    });
  }

  /** One attachment to done: refresh once on 401, smaller chunks on 413, a fresh upload after 460/404. */
  async function sendOne(att: AttachmentRow): Promise<HttpError | null> {
    let refreshed = false;
    let checksumFailures = 0;
    for (let round = 0; round < 8; round += 1) {
      const row = await deps.uploads.get(att.id);
      if (row?.done) return null;
      const attempt = await once(att, chunkSizeFor(att, row?.chunkSize ?? null), await creationWithUpload());
      if (attempt.ok) {
        await deps.uploads.markDone(att.id, iso());
        deps.onProgress?.(att.resultId);
        return null;
      }
      if (attempt.status === 401 && deps.tokens && !refreshed) {
        refreshed = true;
        const outcome = await deps.tokens.refresh();
        if (outcome === 'refreshed') continue;
        return outcome === 'unreachable'
          ? { kind: 'network', message: '刷新登录凭据时无法连接监管平台' }
          : { kind: 'session-expired', message: '登录已过期，请重新登录' };
      }
      if (attempt.status === 413 && (await deps.uploads.shrinkChunk(att.id, iso())) !== null) continue;
      if (attempt.status === 460 || attempt.status === 404 || attempt.status === 410) {
        // The server refused the bytes (hash) or no longer has the upload: start a fresh resource.
        await deps.uploads.reset([att.id], iso());
        // A second refusal of fresh bytes means the local copy differs from its recorded hash.
        if (attempt.status === 460 && ++checksumFailures > 1) return toHttpError(attempt);
        continue;
      }
      if (attempt.status === 409) continue; // offset mismatch: the next round HEADs and continues
      return toHttpError(attempt);
    }
    return { kind: 'network', message: `附件 ${att.id} 多次上传未完成，稍后重试` };
  }

  return {
    async prepare(resultId, opts) {
      const line = opts?.ahead ? 'ahead' : 'now';
      // The result being sent queues its uploads before any look-ahead asked for after it, even though
      // both first read the database: look-ahead prepares wait here until it has queued.
      let queued = (): void => undefined;
      if (line === 'now') {
        const own = new Promise<void>((resolve) => (queued = resolve));
        const before = nowQueued;
        nowQueued = Promise.all([before, own]).then(() => undefined);
      }
      const gate = nowQueued;
      let atts: readonly AttachmentRow[];
      let stored: ReadonlySet<string>;
      try {
        atts = await deps.source.forResult(resultId);
        const rows = await deps.uploads.ensure(
          atts.map((a) => ({ attachmentId: a.id, resultId, sha256: a.sha256, size: a.size, mime: a.mime })),
          iso(),
        );
        // Stored already (e.g. by the look-ahead): nothing to queue, so the PUT never waits for a slot.
        stored = new Set(rows.filter((r) => r.done).map((r) => r.attachmentId));
        if (line === 'ahead') await gate;
      } finally {
        // Waiters resume only after this job, which queues the uploads below without awaiting first.
        queued();
      }
      const start = (att: AttachmentRow): Promise<HttpError | null> => {
        const running = sending.get(att.id);
        if (running) {
          if (line === 'now') running.promote();
          return running.done;
        }
        if (stored.has(att.id)) return Promise.resolve(null);
        let promoted = line === 'now';
        const ticket = slots(
          () => (opts?.signal?.aborted && !promoted ? Promise.resolve(DROPPED) : sendOne(att)),
          line,
        );
        const entry = {
          done: ticket.done.finally(() => sending.delete(att.id)),
          promote: () => {
            promoted = true;
            ticket.promote();
          },
        };
        sending.set(att.id, entry);
        return entry.done;
      };
      let error: HttpError | null = null;
      if (atts.some((a) => a.media)) {
        // A result with a recording goes one attachment after another, in capture order: the
        // recording fills the link by itself, and its resume point stays one upload's offset.
        for (const att of atts) if ((error = await start(att))) break;
      } else {
        // Concurrent uploads keep a slow link busy through each request's round trip. Every attachment
        // already started is awaited before answering, so nothing is left running behind the caller.
        error = (await Promise.all(atts.map(start))).find((e) => e !== null) ?? null;
      }
      if (error) return { ok: false, error };
      const urlOf = new Map((await deps.uploads.forResult(resultId)).map((r) => [r.attachmentId, r.uploadUrl]));
      return {
        ok: true,
        refs: atts.map((a) => ({
          id: a.id,
          sha256: a.sha256,
          size: a.size,
          mime: a.mime || 'application/octet-stream',
          uploadUrl: urlOf.get(a.id) ?? null,
        })),
      };
    },
    async forget(ids) {
      await deps.uploads.reset(ids, iso());
    },
  };
}
