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

/** An entry of UTF-16 code units as a string (exact, lone surrogates included). */
function fromUnits(units: Uint16Array): string {
  let out = '';
  for (let i = 0; i < units.length; i += 8192)
    out += String.fromCharCode(...units.subarray(i, Math.min(units.length, i + 8192)));
  return out;
}

export class PackedText implements TextColumn {
  private strings: string[] | null = null;
  private filled = 0;
  private partial: string[] = [];

  /**
   * `ends[d]` is where entry d ends in `bytes` (it starts where d-1's ends): UTF-8 bytes, or
   * UTF-16 code units (two bytes for a Chinese character where UTF-8 takes three).
   */
  constructor(
    private bytes: Uint8Array | Uint16Array,
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
    const part = this.bytes.subarray(d === 0 ? 0 : this.ends[d - 1]!, this.ends[d]!);
    return part instanceof Uint16Array ? fromUnits(part) : decoder.decode(part);
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
    if (this.bytes instanceof Uint16Array) {
      for (let d = from; d < to; d++) this.partial.push(this.get(d));
      return this.filledTo(to);
    }
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
    return this.filledTo(to);
  }

  private filledTo(to: number): boolean {
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

/**
 * A column's entries for the index blobs, in whichever of UTF-8 and UTF-16 is smaller for it
 * (USCCs and region codes: UTF-8; names and addresses, mostly Chinese: UTF-16), with their ends.
 */
export function packText(column: TextColumn): { bytes: Uint8Array | Uint16Array; ends: Uint32Array } {
  const n = column.length;
  let units = 0;
  let utf8 = 0;
  for (let d = 0; d < n; d++) {
    const s = column.get(d);
    units += s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      utf8 += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3; // a surrogate pair: 4
    }
  }
  if (2 * units >= utf8) return packUtf8(column);
  const ends = new Uint32Array(n);
  const out = new Uint16Array(units);
  let at = 0;
  for (let d = 0; d < n; d++) {
    const s = column.get(d);
    for (let i = 0; i < s.length; i++) out[at++] = s.charCodeAt(i);
    ends[d] = at;
  }
  return { bytes: out, ends };
}

/** A column's entries as UTF-8 bytes and their end offsets. */
function packUtf8(column: TextColumn): { bytes: Uint8Array; ends: Uint32Array } {
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
