/**
 * One direction of an emulated link: a FIFO shared by every connection that crosses it. Each piece
 * occupies the lane for its bytes' worth of time at the lane's rate (a token bucket with no burst:
 * a piece may start only when the previous one has left), then travels for the one-way delay.
 * Arrival times therefore never decrease, so one timer for the head of the queue is enough.
 *
 * The clock is injected so the shaping can be checked on a virtual clock, byte by byte, without
 * measuring wall time; the emulator runs it on the real clock with unref'd timers.
 */

export interface LaneClock {
  now(): number;
  /** Calls `fn` after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const realClock: LaneClock = {
  now: () => performance.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref(); // a forgotten emulator must never keep the process alive
    return () => clearTimeout(t);
  },
};

export interface LaneOptions {
  /** Bits per second; null or Infinity = no rate limit (delay only). */
  readonly bitsPerSecond: number | null;
  /** Delay added to every piece after it has been sent (half the round trip). */
  readonly delayMs: number;
  readonly clock?: LaneClock;
}

interface Piece {
  readonly bytes: number;
  readonly at: number;
  readonly deliver: () => void;
}

/**
 * Pieces bigger than this are cut before they enter the lane, so a large read does not arrive as
 * one lump long after its first bytes would have.
 */
export const MAX_PIECE = 16 * 1024;

export class Lane {
  private readonly queue: Piece[] = [];
  private head = 0;
  private freeAt = 0;
  private cancel: (() => void) | null = null;
  private readonly clock: LaneClock;
  private readonly msPerByte: number;
  private closed = false;

  constructor(private readonly opts: LaneOptions) {
    if (opts.bitsPerSecond !== null && !(opts.bitsPerSecond > 0))
      throw new RangeError(`bitsPerSecond must be positive or null, got ${opts.bitsPerSecond}`);
    if (!(opts.delayMs >= 0)) throw new RangeError(`delayMs must be ≥ 0, got ${opts.delayMs}`);
    this.clock = opts.clock ?? realClock;
    const bps = opts.bitsPerSecond;
    this.msPerByte = bps === null || bps === Infinity ? 0 : 8000 / bps;
  }

  /** When a piece of `bytes` pushed now would arrive (for tests and for sizing windows). */
  arrivalFor(bytes: number): number {
    const start = Math.max(this.clock.now(), this.freeAt);
    return start + bytes * this.msPerByte + this.opts.delayMs;
  }

  /** Queues `bytes` for the far end; `deliver` runs when they arrive. Zero bytes = a marker (FIN). */
  push(bytes: number, deliver: () => void): void {
    if (this.closed) return;
    const start = Math.max(this.clock.now(), this.freeAt);
    this.freeAt = start + bytes * this.msPerByte;
    this.queue.push({ bytes, at: this.freeAt + this.opts.delayMs, deliver });
    if (!this.cancel) this.arm();
  }

  /** Bytes queued and not yet delivered. */
  get pending(): number {
    let n = 0;
    for (let i = this.head; i < this.queue.length; i++) n += this.queue[i]!.bytes;
    return n;
  }

  /** Drops everything queued; nothing is delivered afterwards. */
  close(): void {
    this.closed = true;
    this.cancel?.();
    this.cancel = null;
    this.queue.length = 0;
    this.head = 0;
  }

  private arm(): void {
    const next = this.queue[this.head];
    if (!next) return;
    this.cancel = this.clock.setTimer(() => this.flush(), next.at - this.clock.now());
  }

  private flush(): void {
    this.cancel = null;
    const now = this.clock.now();
    while (this.head < this.queue.length && this.queue[this.head]!.at <= now) {
      const piece = this.queue[this.head]!;
      this.head += 1;
      piece.deliver();
      if (this.closed) return;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.arm();
  }
}
