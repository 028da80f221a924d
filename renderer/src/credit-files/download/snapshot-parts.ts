/**
 * The stored parts of a snapshot download that are still held in memory, and the SHA-256 of the
 * whole file. A city's snapshot is tens to hundreds of MB; holding every part until the download
 * ends would keep all of it in memory. Only two things ever re-read stored bytes: the member check
 * (a member not yet verified and handed to the import) and a refetch (the bytes of the failed
 * member's first part that precede it). Both start at or after the first member not yet done, so
 * the parts wholly before it are let go (`release`); a part shared with that member stays.
 *
 * The whole-file hash is fed with each part as it is let go, not as it is stored. Released bytes
 * are final (a refetch only ever cuts at or after the first member not yet done), so the hasher
 * never has to rewind: it always covers exactly the bytes before `base`, and a refetched member
 * needs neither a saved hash state nor a re-read of earlier parts. The parts still held when the
 * last byte is in (the last member, ~1 part) are hashed then, which costs next to nothing.
 */
import type { IHasher } from 'hash-wasm';

export class HeldParts {
  private parts: Uint8Array[] = [];
  /** File offset of the first held part (every byte before it is released and hashed). */
  private base = 0;
  /** Parts released so far: the index of the first held part. */
  private released = 0;
  /** The highest offset released: a part pushed wholly before it (a resumed download's) is let go at once. */
  private floor = 0;
  /** Bytes held now, and the most ever held at once. */
  held = 0;
  peak = 0;

  constructor(private readonly hasher: IHasher) {
    hasher.init();
  }

  /** File offset just past the last held part (the stored byte count). */
  get end(): number {
    return this.base + this.held;
  }

  /** The index the next stored part gets. */
  get nextIndex(): number {
    return this.released + this.parts.length;
  }

  push(bytes: Uint8Array): void {
    this.parts.push(bytes);
    this.held += bytes.byteLength;
    this.release(this.floor);
    this.peak = Math.max(this.peak, this.held);
  }

  /** Bytes [start, end) copied out of the held parts; reading released bytes is a bug. */
  read(start: number, end: number): Uint8Array {
    if (start < this.base || end > this.end || start > end)
      throw new Error(`快照读取越界：[${start}, ${end}) 不在内存中的 [${this.base}, ${this.end}) 内`);
    const out = new Uint8Array(end - start);
    let at = this.base;
    for (const p of this.parts) {
      const from = Math.max(start, at);
      const to = Math.min(end, at + p.byteLength);
      if (from < to) out.set(p.subarray(from - at, to - at), from - start);
      at += p.byteLength;
      if (at >= end) break;
    }
    return out;
  }

  /** Nothing before `offset` will be read again: lets go of every part that ends at or before it. */
  release(offset: number): void {
    this.floor = Math.max(this.floor, offset);
    let drop = 0;
    while (drop < this.parts.length && this.base + this.parts[drop]!.byteLength <= this.floor) {
      const p = this.parts[drop]!;
      this.hasher.update(p);
      this.base += p.byteLength;
      this.held -= p.byteLength;
      drop++;
    }
    if (drop > 0) {
      this.parts = this.parts.slice(drop);
      this.released += drop;
    }
  }

  /** Forgets the held parts from `offset` on (it must be a part boundary at or after `base`). */
  truncate(offset: number): void {
    if (offset < this.base) throw new Error(`快照截断到已释放的字节：${offset} < ${this.base}`);
    let at = this.base;
    let keep = 0;
    while (keep < this.parts.length && at + this.parts[keep]!.byteLength <= offset) {
      at += this.parts[keep]!.byteLength;
      keep++;
    }
    if (at !== offset) throw new Error(`快照截断不在分段边界：${offset}`);
    this.parts = this.parts.slice(0, keep);
    this.held = at - this.base;
  }

  /** The hex SHA-256 of every byte stored; the held parts are hashed and released. */
  digest(): string {
    this.release(Number.POSITIVE_INFINITY);
    return this.hasher.digest('hex');
  }
}
