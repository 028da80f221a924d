/**
 * The snapshot's bytes read on a thread of their own (byte-pump.worker.ts). The pull worker is busy
 * writing pages while the file downloads; bytes it is slow to read pile up in the browser's and the
 * OS's buffers, and a dropped link throws those away (they are downloaded again). The pump thread
 * does nothing but read, so the bytes leave those buffers at once and wait in the pull worker's
 * message queue instead, where a drop cannot take them. `pumpFetch` gives the download a `fetch`
 * whose responses stream from the pump; when the pump cannot run (no nested workers) it is the
 * plain fetch.
 *
 * The pump never runs far ahead of the download: the pull worker acknowledges each chunk as the
 * download reads it, and the pump stops reading the network while more than `PUMP_WINDOW_BYTES` are
 * unacknowledged. Bytes then wait in the network buffers (what a drop can lose is what those hold),
 * but the pull worker's memory stays bounded when the import lags behind a fast link.
 */

/**
 * Bytes the pump hands on ahead of what the download has read. Large enough that a short pause of
 * the reader (a page's transaction) never stalls the link; small against the file (28 MB at 200k).
 */
export const PUMP_WINDOW_BYTES = 2 * 1024 * 1024;

/** Pull worker → pump. */
export type ToPump =
  | { readonly type: 'fetch'; readonly id: number; readonly url: string; readonly headers: [string, string][] }
  | { readonly type: 'cancel'; readonly id: number }
  /** The download has read `bytes` more of request `id`'s body: the pump may read that much further. */
  | { readonly type: 'ack'; readonly id: number; readonly bytes: number };

/** Pump → pull worker. */
export type FromPump =
  | { readonly type: 'head'; readonly id: number; readonly status: number; readonly headers: [string, string][] }
  | { readonly type: 'chunk'; readonly id: number; readonly bytes: Uint8Array<ArrayBuffer> }
  | { readonly type: 'end'; readonly id: number }
  | { readonly type: 'error'; readonly id: number; readonly message: string };

/** The part of a Worker the pump needs (tests stand one in). */
export interface PumpLike {
  postMessage(message: ToPump): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

/** The pump's side: answers `fetch` with head, chunks (transferred) and end or error; `cancel` stops one. */
export function pumpHandler(
  post: (message: FromPump, transfer?: Transferable[]) => void,
  doFetch: typeof fetch = (input, init) => fetch(input, init),
  windowBytes = PUMP_WINDOW_BYTES,
): (message: ToPump) => void {
  interface Running {
    readonly controller: AbortController;
    /** Bytes posted and not yet acknowledged. */
    unacked: number;
    room: (() => void) | null;
  }
  const running = new Map<number, Running>();
  const serve = async (id: number, url: string, headers: [string, string][]): Promise<void> => {
    const controller = new AbortController();
    const state: Running = { controller, unacked: 0, room: null };
    running.set(id, state);
    try {
      const res = await doFetch(url, { headers, signal: controller.signal });
      post({ type: 'head', id, status: res.status, headers: [...res.headers.entries()] });
      if (res.body) {
        const reader = res.body.getReader();
        for (;;) {
          // Backpressure: wait for the download to catch up before reading (and posting) more.
          while (state.unacked >= windowBytes && !controller.signal.aborted)
            await new Promise<void>((resolve) => (state.room = resolve));
          if (controller.signal.aborted) {
            await reader.cancel().catch(() => undefined);
            break;
          }
          const { done, value } = await reader.read();
          if (done) break;
          state.unacked += value.byteLength;
          const own =
            value.byteOffset === 0 && value.byteLength === value.buffer.byteLength
              ? (value as Uint8Array<ArrayBuffer>)
              : value.slice();
          post({ type: 'chunk', id, bytes: own }, [own.buffer]);
        }
      }
      post({ type: 'end', id });
    } catch (e) {
      post({ type: 'error', id, message: e instanceof Error ? e.message : String(e) });
    } finally {
      running.delete(id);
    }
  };
  return (message) => {
    if (message.type === 'fetch') void serve(message.id, message.url, message.headers);
    else {
      const state = running.get(message.id);
      if (!state) return;
      if (message.type === 'ack') state.unacked -= message.bytes;
      else state.controller.abort();
      state.room?.();
      state.room = null;
    }
  };
}

interface Pending {
  readonly resolve: (res: Response) => void;
  readonly reject: (e: unknown) => void;
  /** The request again through the plain fetch (the pump failed before answering). */
  readonly fallback: () => Promise<Response>;
  /** The head has come: the body is being streamed. */
  streaming: boolean;
  /**
   * Chunks not yet read. They are kept here rather than in the stream's own queue because erroring
   * a stream throws its queue away: the bytes before a drop must still be read.
   */
  readonly chunks: Uint8Array[];
  /** How the body ended (null: not yet); given to the reader once every chunk is read. */
  ended: { readonly error: unknown } | 'end' | null;
  wake: (() => void) | null;
}

/** The body of a pumped response: the chunks in order, then its end or its failure. */
function pumpedBody(p: Pending, cancel: () => void, read: (bytes: number) => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      pull: async (controller) => {
        while (p.chunks.length === 0 && p.ended === null) await new Promise<void>((resolve) => (p.wake = resolve));
        p.wake = null;
        const next = p.chunks.shift();
        if (next) {
          controller.enqueue(next);
          read(next.byteLength);
        } else if (p.ended === 'end') controller.close();
        else controller.error(p.ended!.error);
      },
      cancel,
    },
    { highWaterMark: 0 },
  );
}

/** Ends a pumped body (after the chunks already there) or fails the request that has no head yet. */
function settle(p: Pending, ended: { readonly error: unknown } | 'end'): void {
  if (!p.streaming) {
    if (ended !== 'end') p.reject(ended.error);
    return;
  }
  p.ended = ended;
  p.wake?.();
}

/**
 * A `fetch` whose responses the pump reads; the plain fetch when the pump cannot be started or fails.
 * `prestart`: start the pump now, so its start-up overlaps whatever comes before the first request.
 */
export function pumpFetch(spawn: () => PumpLike, prestart = false): { fetch: typeof fetch; close(): void } {
  const plain: typeof fetch = (input, init) => fetch(input, init);
  let pump: PumpLike | null = null;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, Pending>();

  const onMessage = (data: unknown): void => {
    const msg = data as FromPump;
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'head') {
      p.streaming = true;
      const body = pumpedBody(
        p,
        () => {
          pending.delete(msg.id);
          pump?.postMessage({ type: 'cancel', id: msg.id });
        },
        (bytes) => {
          if (pending.has(msg.id)) pump?.postMessage({ type: 'ack', id: msg.id, bytes });
        },
      );
      p.resolve(new Response(body, { status: msg.status, headers: msg.headers }));
    } else if (msg.type === 'chunk') {
      p.chunks.push(msg.bytes);
      p.wake?.();
    } else {
      pending.delete(msg.id);
      settle(p, msg.type === 'end' ? 'end' : { error: new TypeError(msg.message) });
    }
  };
  const fail = (): void => {
    broken = true;
    pump?.terminate();
    pump = null;
    for (const [id, p] of pending) {
      pending.delete(id);
      if (p.streaming) settle(p, { error: new TypeError('下载线程出错') });
      else p.fallback().then(p.resolve, p.reject);
    }
  };
  const started = (): PumpLike | null => {
    if (pump || broken) return pump;
    try {
      pump = spawn();
      pump.addEventListener('message', (event) => onMessage(event.data));
      pump.addEventListener('error', (event) => {
        event.preventDefault?.();
        fail();
      });
    } catch {
      broken = true;
    }
    return pump;
  };

  if (prestart) started();

  const viaPump: typeof fetch = (input, init) => {
    const worker = started();
    if (!worker) return plain(input, init);
    const signal = init?.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason as unknown);
    const id = nextId++;
    const url = input instanceof Request ? input.url : String(input);
    return new Promise<Response>((resolve, reject) => {
      pending.set(id, {
        resolve,
        reject,
        fallback: () => plain(input, init),
        streaming: false,
        chunks: [],
        ended: null,
        wake: null,
      });
      signal?.addEventListener(
        'abort',
        () => {
          const p = pending.get(id);
          if (!p) return;
          pending.delete(id);
          worker.postMessage({ type: 'cancel', id });
          // An abort drops what was not read yet: the caller wants nothing more of this body.
          p.chunks.length = 0;
          settle(p, { error: signal.reason });
        },
        { once: true },
      );
      worker.postMessage({ type: 'fetch', id, url, headers: [...new Headers(init?.headers).entries()] });
    });
  };

  return {
    fetch: viaPump,
    close: () => {
      pump?.terminate();
      pump = null;
      broken = true;
    },
  };
}
