/**
 * A text column of the search index (names, USCCs, addresses…), one entry per document. Built
 * indexes hold plain string arrays. An index read back from the index blobs holds the column as
 * UTF-8 bytes with each entry's byte offsets: turning a million entries of each column into strings
 * takes longer than the whole start-up budget at city scale, and a query reads only the entries
 * of its candidates and hits. Those are decoded when read. `fill` turns entries into plain strings
 * ahead, a slice at a time, for a caller that will read most of them; the search engine does not
 * (millions of strings made while queries run cost them more in garbage collection than they save).
 */

export interface TextColumn {
  readonly length: number;
  get(d: number): string;
}

export class ArrayText implements TextColumn {
  constructor(readonly values: readonly string[]) {}
  get length(): number {
    return this.values.length;
  }
  get(d: number): string {
    return this.values[d]!;
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class PackedText implements TextColumn {
  private strings: string[] | null = null;
  private filled = 0;
  private partial: string[] = [];

  /** `ends[d]` is where entry d's bytes end in `bytes` (they start where d-1's end). */
  constructor(
    private bytes: Uint8Array,
    private readonly ends: Uint32Array,
  ) {
    if (ends.length > 0 && ends[ends.length - 1] !== bytes.length)
      throw new RangeError('packed text: the offsets do not end where the bytes do');
  }

  get length(): number {
    return this.ends.length;
  }

  get(d: number): string {
    if (this.strings !== null) return this.strings[d]!;
    if (d < this.filled) return this.partial[d]!;
    return decoder.decode(this.bytes.subarray(d === 0 ? 0 : this.ends[d - 1]!, this.ends[d]!));
  }

  /** Whether every entry is a plain string now (the bytes are dropped then). */
  get done(): boolean {
    return this.strings !== null;
  }

  /**
   * Decodes up to `count` more entries (one decode for the slice, cut into entries); returns true
   * once all are done.
   */
  fill(count: number): boolean {
    if (this.strings !== null) return true;
    const from = this.filled;
    const to = Math.min(this.ends.length, from + count);
    const base = from === 0 ? 0 : this.ends[from - 1]!;
    const slice = decoder.decode(this.bytes.subarray(base, to === 0 ? 0 : this.ends[to - 1]!));
    // Entry boundaries in UTF-16 units: walk the slice's bytes once (an entry never splits a character).
    let unit = 0;
    let byte = base;
    for (let d = from; d < to; d++) {
      const end = this.ends[d]!;
      const start = unit;
      while (byte < end) {
        const b = this.bytes[byte]!;
        const len = b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
        byte += len;
        unit += len === 4 ? 2 : 1;
      }
      this.partial.push(slice.substring(start, unit));
    }
    this.filled = to;
    if (to === this.ends.length) {
      this.strings = this.partial;
      this.partial = [];
      this.bytes = new Uint8Array(0);
      return true;
    }
    return false;
  }
}

/** A column's entries as UTF-8 bytes and their end offsets (for the index blobs). */
export function packText(column: TextColumn): { bytes: Uint8Array; ends: Uint32Array } {
  const n = column.length;
  const ends = new Uint32Array(n);
  const parts = new Array<string>(n);
  let at = 0;
  for (let d = 0; d < n; d++) {
    const s = column.get(d);
    parts[d] = s;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) at += 1;
      else if (c < 0x800) at += 2;
      else if (c < 0xd800 || c >= 0xe000) at += 3;
      else {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        // UTF-8 cannot carry a lone surrogate (it would come back as U+FFFD): no blobs for such text.
        if (c >= 0xdc00 || next < 0xdc00 || next >= 0xe000)
          throw new RangeError('packed text: a lone surrogate cannot be written as UTF-8');
        at += 4;
        i++;
      }
    }
    ends[d] = at;
  }
  const bytes = new TextEncoder().encode(parts.join(''));
  if (bytes.length !== at) throw new RangeError('packed text: the UTF-8 length differs from the one counted');
  return { bytes, ends };
}
