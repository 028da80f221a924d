/**
 * Reading one response body of the snapshot download: the reader runs on its own ahead of the
 * store, so the link never waits for what is done with the bytes, but only so far ahead, so a
 * store that lags behind the link stops the reading instead of piling the file up in memory.
 */

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
