/**
 * Key → dense id for the posting lists (postings.ts): a key is a character unigram or bigram of a
 * document's texts. Kept in typed arrays so the whole table can be written to the index blobs and
 * read back as it is, without hashing a key again.
 */

/** A key table's state: its arrays and counters (see KeyTable.image). */
export interface KeyTableImage {
  readonly unigram: Int32Array;
  readonly keys: Uint32Array;
  readonly ids: Int32Array;
  readonly bigrams: number;
  readonly size: number;
}

/**
 * Key → dense id. Unigrams (one UTF-16 unit) index a direct table; bigrams (two units packed in 32
 * bits) live in an open-addressing hash table with linear probing, grown at half load.
 */
export class KeyTable {
  private unigram: Int32Array = new Int32Array(0x10000).fill(-1);
  private keys: Uint32Array = new Uint32Array(1 << 16);
  private ids: Int32Array = new Int32Array(1 << 16).fill(-1);
  private mask = (1 << 16) - 1;
  /** Fibonacci hashing: the product's TOP bits pick the slot (its low bits only mirror the key's). */
  private shift = 16;
  private bigrams = 0;
  size = 0;

  /** The table's arrays as they are (shared, not copied): written to the index blobs as one piece. */
  image(): KeyTableImage {
    return { unigram: this.unigram, keys: this.keys, ids: this.ids, bigrams: this.bigrams, size: this.size };
  }

  /**
   * A table from an image (the arrays are used as they are, not copied). The shape is checked so a
   * mangled image fails here, with its reason, instead of answering from a table that probes wrong.
   */
  static fromImage(img: KeyTableImage): KeyTable {
    const slots = img.keys.length;
    if (img.unigram.length !== 0x10000) throw new RangeError('key table: the unigram table is not 65,536 entries');
    if (slots < 2 || (slots & (slots - 1)) !== 0 || img.ids.length !== slots)
      throw new RangeError('key table: the bigram table is not a power of two with one id per slot');
    if (img.bigrams * 2 > slots - 1 || img.bigrams > img.size)
      throw new RangeError('key table: more bigrams than the table holds');
    const t = new KeyTable();
    t.unigram = img.unigram;
    t.keys = img.keys;
    t.ids = img.ids;
    t.mask = slots - 1;
    t.shift = 32 - Math.log2(slots);
    t.bigrams = img.bigrams;
    t.size = img.size;
    return t;
  }

  /** The id of a unigram, assigning the next one when new. */
  unigramId(ch: number): number {
    let id = this.unigram[ch]!;
    if (id < 0) {
      id = this.size++;
      this.unigram[ch] = id;
    }
    return id;
  }

  /** The id of the bigram (a, b), assigning the next one when new (`add` false: -1 when unknown). */
  bigramId(a: number, b: number, add = true): number {
    const key = ((a << 16) | b) >>> 0;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const id = this.ids[slot]!;
      if (id < 0) break;
      if (this.keys[slot] === key) return id;
      slot = (slot + 1) & this.mask;
    }
    if (!add) return -1;
    const id = this.size++;
    this.keys[slot] = key;
    this.ids[slot] = id;
    if (++this.bigrams * 2 > this.mask) this.grow();
    return id;
  }

  knownUnigram(ch: number): number {
    return this.unigram[ch]!;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Uint32Array(keys.length * 2);
    this.ids = new Int32Array(ids.length * 2).fill(-1);
    this.mask = this.keys.length - 1;
    this.shift -= 1;
    for (let i = 0; i < keys.length; i++) {
      const id = ids[i]!;
      if (id < 0) continue;
      let slot = Math.imul(keys[i]!, 0x9e3779b1) >>> this.shift;
      while (this.ids[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.keys[slot] = keys[i]!;
      this.ids[slot] = id;
    }
  }
}
