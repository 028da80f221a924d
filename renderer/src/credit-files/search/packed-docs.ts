/**
 * Posting lists' document ids as the index blobs hold them: each list's ids as gaps from the
 * previous id (the first from 0), each gap in LEB128 (7 bits a byte, high bit: more follows). At
 * 1M documents the lists are ~34 million ids; as plain u32 they were the largest part of the
 * blobs, and most gaps fit one byte, so an unlock reads and opens a fraction of those bytes. A
 * list is decoded when a query first reads it (its length is known from the list bounds), and the
 * longest decoded lists are kept for the next queries within a budget.
 */

/** List k's bytes are bytes[at[k] … at[k+1]). */
export interface PackedDocs {
  readonly bytes: Uint8Array;
  readonly at: Uint32Array;
}

/** Packs the lists docs[start[k] … start[k+1]) (each ascending). */
export function packDocs(start: Uint32Array, docs: Uint32Array): PackedDocs {
  const keys = start.length - 1;
  const at = new Uint32Array(keys + 1);
  let size = 0;
  for (let k = 0; k < keys; k++) {
    let prev = 0;
    for (let i = start[k]!, end = start[k + 1]!; i < end; i++) {
      const d = docs[i]!;
      const gap = d - prev;
      size += gap < 0x80 ? 1 : gap < 0x4000 ? 2 : gap < 0x200000 ? 3 : gap < 0x10000000 ? 4 : 5;
      prev = d;
    }
  }
  const bytes = new Uint8Array(size);
  let w = 0;
  for (let k = 0; k < keys; k++) {
    at[k] = w;
    let prev = 0;
    for (let i = start[k]!, end = start[k + 1]!; i < end; i++) {
      const d = docs[i]!;
      if (d < prev) throw new RangeError(`posting list ${k} is not ascending at ${i}`);
      let gap = d - prev;
      while (gap >= 0x80) {
        bytes[w++] = (gap & 0x7f) | 0x80;
        gap >>>= 7;
      }
      bytes[w++] = gap;
      prev = d;
    }
  }
  at[keys] = w;
  return { bytes, at };
}

/** List k, `count` ids long; throws RangeError when its bytes do not hold exactly that many. */
export function unpackList(p: PackedDocs, k: number, count: number): Uint32Array {
  const out = new Uint32Array(count);
  const { bytes } = p;
  let r = p.at[k]!;
  const end = p.at[k + 1]!;
  let prev = 0;
  for (let i = 0; i < count; i++) {
    let gap = 0;
    let shift = 0;
    let b: number;
    do {
      if (r >= end) throw new RangeError(`packed posting list ${k} is cut short`);
      b = bytes[r++]!;
      gap += (b & 0x7f) * 2 ** shift;
      shift += 7;
    } while (b & 0x80);
    prev += gap;
    out[i] = prev;
  }
  if (r !== end) throw new RangeError(`packed posting list ${k} holds more than ${count} ids`);
  return out;
}

/** Decoded ids kept at most (×4 bytes): the hot lists of a session, without growing without end. */
const KEEP_IDS = 8_000_000;
/** Lists shorter than this are decoded each time (fast enough, and too many to keep). */
const KEEP_FROM = 2048;

/** The lists of `p`, decoded on first read; long ones kept until KEEP_IDS are kept. */
export function packedLists(p: PackedDocs, start: Uint32Array): (k: number) => Uint32Array {
  const kept = new Map<number, Uint32Array>();
  let keptIds = 0;
  return (k) => {
    const hit = kept.get(k);
    if (hit) return hit;
    const list = unpackList(p, k, start[k + 1]! - start[k]!);
    if (list.length >= KEEP_FROM) {
      if (keptIds + list.length > KEEP_IDS) {
        kept.clear();
        keptIds = 0;
      }
      kept.set(k, list);
      keptIds += list.length;
    }
    return list;
  };
}
