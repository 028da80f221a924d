/**
 * The pieces tus-js-client is configured with: an HTTP stack on `fetch` (same in the browser,
 * Electron and Node tests, and lets tests inject faults into one transport), a reader that slices
 * Blobs, and URL storage backed by the field database's `uploads` table (never localStorage).
 */
import type {
  FileReader,
  FileSource,
  HttpRequest,
  HttpResponse,
  HttpStack,
  PreviousUpload,
  UrlStorage,
} from 'tus-js-client';
import type { UploadsRepo } from '../db/index.js';

/**
 * The header under which a HEAD's real status travels when it is reported to tus-js-client as 423.
 * tus-js-client treats ANY non-2xx answer to the HEAD of a stored upload URL as "gone" and creates a
 * new upload, so a 401 (expired token), 403, 429 or 503 would send the attachment again from byte 0
 * and orphan the first resource. Only 404 and 410 mean the upload is gone; every other refusal is
 * reported as 423 (which tus-js-client surfaces as an error without touching the stored URL) and the
 * uploader reads the real status from this header.
 */
export const HELD_STATUS_HEADER = 'x-tus-held-status';

function headMeansGone(status: number): boolean {
  return status === 404 || status === 410;
}

class FetchResponse implements HttpResponse {
  constructor(
    private readonly res: Response,
    private readonly body: string,
    private readonly held: boolean,
  ) {}
  getStatus(): number {
    return this.held ? 423 : this.res.status;
  }
  getHeader(name: string): string | undefined {
    if (this.held && name.toLowerCase() === HELD_STATUS_HEADER) return String(this.res.status);
    return this.res.headers.get(name) ?? undefined;
  }
  getBody(): string {
    return this.body;
  }
  getUnderlyingObject(): unknown {
    return this.res;
  }
}

class FetchRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private readonly controller = new AbortController();
  private progress: (bytesSent: number) => void = () => undefined;
  constructor(
    private readonly method: string,
    private readonly url: string,
    private readonly doFetch: typeof fetch,
    private readonly timeoutMs: number,
  ) {}
  getMethod(): string {
    return this.method;
  }
  getURL(): string {
    return this.url;
  }
  setHeader(name: string, value: string): void {
    this.headers[name] = value;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name];
  }
  setProgressHandler(handler: (bytesSent: number) => void): void {
    this.progress = handler;
  }
  async send(body?: Blob | null): Promise<HttpResponse> {
    const timer = setTimeout(
      () => this.controller.abort(new Error(`tus 请求超时（${Math.round(this.timeoutMs / 1000)} 秒）`)),
      this.timeoutMs,
    );
    try {
      const init: RequestInit = { method: this.method, headers: this.headers, signal: this.controller.signal };
      if (body) init.body = body;
      const res = await this.doFetch(this.url, init);
      const text = await res.text();
      if (body) this.progress(body.size);
      const held = this.method === 'HEAD' && !res.ok && !headMeansGone(res.status);
      return new FetchResponse(res, text, held);
    } finally {
      clearTimeout(timer);
    }
  }
  async abort(): Promise<void> {
    this.controller.abort(new Error('aborted'));
  }
  getUnderlyingObject(): unknown {
    return this.controller;
  }
}

export class FetchHttpStack implements HttpStack {
  constructor(
    private readonly doFetch: typeof fetch,
    private readonly timeoutMs = 60_000,
  ) {}
  createRequest(method: string, url: string): HttpRequest {
    return new FetchRequest(method, url, this.doFetch, this.timeoutMs);
  }
  getName(): string {
    return 'FetchHttpStack';
  }
}

/** Slices a Blob; each slice is a Blob the fetch stack sends as the PATCH body. */
export const blobReader: FileReader = {
  async openFile(input: unknown): Promise<FileSource> {
    if (!(input instanceof Blob)) throw new Error('附件内容必须是 Blob');
    return {
      size: input.size,
      async slice(start: number, end: number) {
        const value = input.slice(start, Math.min(end, input.size));
        return { value, done: end >= input.size };
      },
      close() {
        /* nothing to release */
      },
    };
  },
};

/** Where the chunks of a sealed recording are read from (the media chunks repository). */
export interface MediaChunkSource {
  read(attachmentId: string, index: number): Promise<Uint8Array>;
}

/**
 * Reads a recording stored as sealed chunks for tus: each slice is assembled from the chunks it
 * covers, so a multi-GB file never sits in memory. The last opened chunk is kept, because tus asks
 * for consecutive slices that may share a chunk, and the chunk after it is read and opened while
 * the slice goes out (the read and the decryption run off this thread): at most two in memory.
 */
export function sealedMediaReader(
  source: MediaChunkSource,
  file: { readonly id: string; readonly size: number; readonly chunkSize: number },
): FileReader {
  const count = Math.ceil(file.size / file.chunkSize);
  type Held = { readonly index: number; readonly bytes: Promise<Uint8Array> };
  let cached: Held | null = null;
  let ahead: Held | null = null;
  const load = (index: number): Held => {
    const held: Held = { index, bytes: source.read(file.id, index) };
    // A failed read is not kept (tus retries the slice, which reads the chunk again), and one read
    // ahead that nobody asks for (a resume elsewhere, the upload ending) is never unhandled.
    held.bytes.catch(() => {
      if (cached === held) cached = null;
      if (ahead === held) ahead = null;
    });
    return held;
  };
  const chunk = (index: number): Promise<Uint8Array> => {
    if (cached?.index !== index) {
      cached = ahead?.index === index ? ahead : load(index);
      if (ahead?.index !== index + 1) ahead = index + 1 < count ? load(index + 1) : null;
    }
    return cached.bytes;
  };
  return {
    async openFile() {
      return {
        size: file.size,
        async slice(start: number, end: number) {
          const stop = Math.min(end, file.size);
          const parts: Uint8Array<ArrayBuffer>[] = [];
          for (let at = start; at < stop;) {
            const index = Math.floor(at / file.chunkSize);
            const bytes = await chunk(index);
            const from = at - index * file.chunkSize;
            const to = Math.min(bytes.length, stop - index * file.chunkSize);
            if (to <= from) throw new Error(`录像/录音 ${file.id} 第 ${index + 1} 段比记录的短`);
            parts.push(bytes.subarray(from, to) as Uint8Array<ArrayBuffer>); // the Blob copies it
            at += to - from;
          }
          return { value: new Blob(parts), done: stop >= file.size };
        },
        close() {
          cached = null;
          ahead = null;
        },
      };
    },
  };
}

/** The fingerprint of an attachment is its id: one upload resource per attachment, ever. */
export const fingerprintOf = (attachmentId: string): string => `att:${attachmentId}`;
const attachmentOf = (fingerprint: string): string => fingerprint.replace(/^att:/, '');

export function dexieUrlStorage(uploads: UploadsRepo, now: () => string): UrlStorage {
  const toPrevious = (row: Awaited<ReturnType<UploadsRepo['get']>>): PreviousUpload[] =>
    row?.uploadUrl
      ? [
          {
            size: row.size,
            metadata: {},
            creationTime: row.creationTime ?? now(),
            urlStorageKey: row.attachmentId,
            uploadUrl: row.uploadUrl,
            parallelUploadUrls: null,
          },
        ]
      : [];
  return {
    async findAllUploads() {
      return (await uploads.all()).flatMap((r) => toPrevious(r));
    },
    async findUploadsByFingerprint(fingerprint) {
      return toPrevious(await uploads.get(attachmentOf(fingerprint)));
    },
    async removeUpload(key) {
      await uploads.setUrl(key, null, null, now());
    },
    async addUpload(fingerprint, upload) {
      const id = attachmentOf(fingerprint);
      await uploads.setUrl(id, upload.uploadUrl, upload.creationTime, now());
      return id;
    },
  };
}
