/**
 * Posting lists for the search index: keys are character unigrams (name only, for one-character
 * queries) and bigrams (name, legal rep, address); values are ascending document ids in one shared
 * Uint32Array. Built in two passes with dense key ids: the first pass hashes every key of every
 * document once (an open-addressing table in typed arrays, not a Map: this loop runs ~9 million
 * times for 200k enterprises) and keeps the documents' key ids, batch by batch; the second pass
 * only counts and scatters those ids into their lists. No per-key or per-posting JS objects.
 */

import { KeyTable, type KeyTableImage } from './key-table.js';
import { packedLists, type PackedDocs } from './packed-docs.js';

export { KeyTable };

const EMPTY = new Uint32Array(0);

/**
 * Where a key first occurs in a document, one byte per posting: in the name (its position, up to
 * POS_NAME_FAR), else in a text that tracks positions from POS_ADDRESS (the address), else
 * POS_UNTRACKED (a text without positions: the legal representative). Texts are read in order, so
 * a key in the name is never recorded as elsewhere.
 */
export const POS_NAME = 0;
/** This far into the name or further: "far" (its exact position is unknown). */
export const POS_NAME_FAR = 127;
export const POS_ADDRESS = 128;
export const POS_ADDRESS_FAR = 254;
export const POS_UNTRACKED = 255;

/** One key's posting list and, per posting, where the key first occurs in that document (POS_*). */
export interface KeyList {
  readonly docs: Uint32Array;
  readonly pos: Uint8Array;
}

export interface Postings {
  /** Documents containing every bigram of `term` (or its only character): candidates, not verified. */
  lookup(term: string): Uint32Array;
  /**
   * The lists of `term`'s keys in term order (its bigrams, or its one character), or null when a
   * key occurs nowhere (no document can match).
   */
  keyLists(term: string): KeyList[] | null;
  /** The arrays behind the lists (shared, not copied), to write them to the index blobs. */
  image(): PostingsImage;
}

/**
 * Posting lists as arrays: list k is docs/pos[start[k] … start[k+1]), keys numbered by `table`.
 * The ids are plain (an index built here) or packed (read back from the index blobs: packed-docs.ts).
 */
export interface PostingsImage {
  readonly table: KeyTableImage;
  readonly start: Uint32Array;
  readonly docs: Uint32Array | PackedDocs;
  readonly pos: Uint8Array;
}

/**
 * The texts of one document: [text, with unigrams?, where its positions are recorded: POS_NAME,
 * POS_ADDRESS, or none].
 */
export type DocTexts = (doc: number) => readonly (readonly [string, boolean, number?])[];

/** The byte recording position `i` of a text whose positions start at `base` (see POS_NAME). */
function posByte(base: number | undefined, i: number): number {
  if (base === POS_NAME) return Math.min(i, POS_NAME_FAR);
  if (base === POS_ADDRESS) return POS_ADDRESS + Math.min(i, POS_ADDRESS_FAR - POS_ADDRESS);
  return POS_UNTRACKED;
}

/** A growable Int32 buffer (the documents' key ids between the two passes). */
class IntBuffer {
  data = new Int32Array(1 << 12);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** A growable byte buffer (the keys' positions in the name, beside their ids). */
class ByteBuffer {
  data = new Uint8Array(1 << 12);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/** Pass one for a batch of documents: each document's distinct key ids, in order. */
export interface DocKeys {
  /** Every document's key ids, one after the other. */
  readonly ids: Int32Array;
  /** Beside each id: the key's first position in the name (see KeyList.pos). */
  readonly pos: Uint8Array;
  /** ends[d] = where document d's ids end in `ids` (they start where d-1's end). */
  readonly ends: Uint32Array;
}

/**
 * Pass one, batch by batch (the search worker runs it on each chunk as a sync commits it): one
 * key table for every batch, so key ids are shared and the second pass can put any set of
 * documents together without hashing again.
 */
export class KeyCollector {
  readonly table = new KeyTable();
  private last = new Int32Array(1 << 16).fill(-1);
  /** A document number never used before, for the "already counted in this document" marks. */
  private serial = 0;

  collect(docCount: number, texts: DocTexts): DocKeys {
    const out = new IntBuffer();
    const outPos = new ByteBuffer();
    const ends = new Uint32Array(docCount);
    const table = this.table;
    for (let d = 0; d < docCount; d++) {
      const parts = texts(d);
      const mark = this.serial++;
      // At most two new keys per character: make room before the loop, not inside it.
      let room = table.size;
      for (const [text] of parts) room += 2 * text.length;
      if (room > this.last.length) {
        const l = new Int32Array(Math.max(room, this.last.length * 2)).fill(-1);
        l.set(this.last);
        this.last = l;
      }
      const last = this.last;
      // A key's first push carries its first position (texts come in order, the name first).
      for (const [text, uni, base] of parts) {
        let prev = -1;
        for (let i = 0; i < text.length; i++) {
          const ch = text.charCodeAt(i);
          if (uni) {
            const id = table.unigramId(ch);
            if (last[id] !== mark) {
              last[id] = mark;
              out.push(id);
              outPos.push(posByte(base, i));
            }
          }
          if (prev >= 0) {
            const id = table.bigramId(prev, ch);
            if (last[id] !== mark) {
              last[id] = mark;
              out.push(id);
              outPos.push(posByte(base, i - 1));
            } // one posting per document and key
          }
          prev = ch;
        }
      }
      ends[d] = out.length;
    }
    return { ids: out.data.slice(0, out.length), pos: outPos.data.slice(0, outPos.length), ends };
  }
}

/**
 * Documents for pass two, in index order: a batch of pass one and which of its documents to take
 * (all of them, in order, when `take` is null). Index document numbers run on across the parts.
 */
export interface DocPart {
  readonly keys: DocKeys;
  readonly take: readonly number[] | null;
}

function eachDoc(parts: readonly DocPart[], visit: (d: number, keys: DocKeys, from: number, to: number) => void): void {
  let d = 0;
  for (const { keys, take } of parts) {
    const count = take === null ? keys.ends.length : take.length;
    for (let k = 0; k < count; k++) {
      const at = take === null ? k : take[k]!;
      visit(d++, keys, at === 0 ? 0 : keys.ends[at - 1]!, keys.ends[at]!);
    }
  }
}

/** Pass two: the posting lists of the parts' documents from their key ids (no hashing). */
export function assemblePostings(table: KeyTable, parts: readonly DocPart[]): Postings {
  const n = table.size;
  const counts = new Uint32Array(n);
  eachDoc(parts, (_d, { ids }, from, to) => {
    for (let p = from; p < to; p++) {
      const id = ids[p]!;
      counts[id] = counts[id]! + 1;
    }
  });
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + counts[i]!;
  const fill = start.slice(0, n);
  const flat = new Uint32Array(start[n]!);
  const flatPos = new Uint8Array(start[n]!);
  eachDoc(parts, (d, { ids, pos }, from, to) => {
    for (let p = from; p < to; p++) {
      const id = ids[p]!;
      flat[fill[id]!] = d;
      flatPos[fill[id]!] = pos[p]!;
      fill[id] = fill[id]! + 1;
    }
  });
  return postingsOf({ table: table.image(), start, docs: flat, pos: flatPos }, table);
}

/**
 * Posting lists over an image (from assemblePostings, or read back from the index blobs): the
 * arrays are used as they are. `table` saves rebuilding the key table when it is already at hand.
 */
export function postingsOf(img: PostingsImage, table = KeyTable.fromImage(img.table)): Postings {
  const { start, docs, pos: flatPos } = img;
  const keys = table.size;
  const count = docs instanceof Uint32Array ? docs.length : start[keys];
  if (
    start.length !== keys + 1 ||
    start[keys] !== count ||
    flatPos.length !== count ||
    (!(docs instanceof Uint32Array) && docs.at.length !== keys + 1)
  )
    throw new RangeError('posting lists: the list bounds do not match the key table and the postings');
  const docsOf =
    docs instanceof Uint32Array ? (id: number) => docs.subarray(start[id]!, start[id + 1]!) : packedLists(docs, start);
  const idOf = (id: number): number => (id < keys ? id : -1);
  const unigram = (ch: number): number => idOf(table.knownUnigram(ch));
  const bigram = (a: number, b: number): number => idOf(table.bigramId(a, b, false));
  const list = (id: number): Uint32Array => (id < 0 ? EMPTY : docsOf(id));
  const keyList = (id: number): KeyList => ({
    docs: docsOf(id),
    pos: flatPos.subarray(start[id]!, start[id + 1]!),
  });
  return {
    image: () => img,
    keyLists(term) {
      if (term.length === 0) return null;
      const ids =
        term.length === 1
          ? [unigram(term.charCodeAt(0))]
          : Array.from({ length: term.length - 1 }, (_, i) => bigram(term.charCodeAt(i), term.charCodeAt(i + 1)));
      return ids.some((id) => id < 0) ? null : ids.map(keyList);
    },
    lookup(term) {
      if (term.length === 0) return EMPTY;
      if (term.length === 1) return list(unigram(term.charCodeAt(0)));
      const lists: Uint32Array[] = [];
      for (let i = 1; i < term.length; i++) lists.push(list(bigram(term.charCodeAt(i - 1), term.charCodeAt(i))));
      lists.sort((a, b) => a.length - b.length);
      let acc: Uint32Array | null = null;
      for (const l of lists) {
        acc = acc === null ? l : intersect(acc, l);
        if (acc.length === 0) return EMPTY;
      }
      return acc ?? EMPTY;
    },
  };
}

/** Both passes over one batch of documents. */
export function buildPostings(docCount: number, texts: DocTexts): Postings {
  const collector = new KeyCollector();
  return assemblePostings(collector.table, [{ keys: collector.collect(docCount, texts), take: null }]);
}

/** Intersection of two ascending id lists. */
export function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!,
      y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, k);
}
