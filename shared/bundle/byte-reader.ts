/** Reads exact byte counts from a buffer or an async stream of buffers, holding at most what was asked for. */
export class ByteReader {
  private readonly source: AsyncIterator<Uint8Array> | null;
  private head: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(input: Uint8Array | AsyncIterable<Uint8Array>) {
    if (input instanceof Uint8Array) {
      this.head = input;
      this.source = null;
      this.done = true;
    } else {
      this.source = input[Symbol.asyncIterator]();
    }
  }

  private async fill(n: number): Promise<void> {
    const parts: Uint8Array[] = [this.head];
    let have = this.head.length;
    while (have < n && !this.done && this.source) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else if (next.value.length > 0) {
        parts.push(next.value);
        have += next.value.length;
      }
    }
    if (parts.length > 1) {
      const joined = new Uint8Array(have);
      let at = 0;
      for (const p of parts) {
        joined.set(p, at);
        at += p.length;
      }
      this.head = joined;
    }
  }

  /** Up to `n` bytes; fewer only when the input ended. */
  async read(n: number): Promise<Uint8Array> {
    if (this.head.length < n) await this.fill(n);
    const out = this.head.subarray(0, Math.min(n, this.head.length));
    this.head = this.head.subarray(out.length);
    return out;
  }

  async atEnd(): Promise<boolean> {
    if (this.head.length === 0) await this.fill(1);
    return this.head.length === 0;
  }
}
