/**
 * The search index as bytes, for the index blobs (store/search-blobs.store.ts): every typed array
 * of the index as it is in memory (the posting ids packed: packed-docs.ts), and each text column
 * as UTF-8 or UTF-16, whichever is smaller, with each entry's end offset. Reading it back is views
 * over one buffer: no hashing, no counting, no sorting, and no text decoded (text-column.ts
 * decodes entries as queries read them). Layout: "SIX3", the header's length (u32,
 * little-endian), the header (JSON: the document count, the key table's counters, the region
 * names, and every array's name, element type and length in order), then the arrays one after the
 * other, each starting on 8 bytes.
 */
import { CODE_COLUMNS, TEXT_COLUMNS } from '../summary-columns.js';
import type { IndexImage } from './search-index.js';
import { PackedText, packText, type TextColumn } from './text-column.js';
import { packDocs } from './packed-docs.js';

// "SIX3": posting ids packed, text in UTF-8 or UTF-16. Blobs of another layout are not read: rebuilt.
const MAGIC = [0x53, 0x49, 0x58, 0x33];
const ALIGN = 8;

type Kind = 'u8' | 'u16' | 'i16' | 'u32' | 'i32';
type Typed = Uint8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;
interface ArrayEntry {
  readonly name: string;
  readonly kind: Kind;
  readonly length: number;
}
interface Header {
  readonly n: number;
  readonly bigrams: number;
  readonly keys: number;
  readonly regionNames: readonly string[];
  readonly arrays: readonly ArrayEntry[];
}

const BYTES: Record<Kind, number> = { u8: 1, u16: 2, i16: 2, u32: 4, i32: 4 };
const TYPES = { u8: Uint8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, i32: Int32Array } as const;
const kindOf = (a: Typed): Kind =>
  a instanceof Uint8Array
    ? 'u8'
    : a instanceof Uint16Array
      ? 'u16'
      : a instanceof Int16Array
        ? 'i16'
        : a instanceof Uint32Array
          ? 'u32'
          : 'i32';
const bytesOf = (a: Typed): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The image's arrays by name, in the order they are written (text columns: end offsets, then
 * UTF-8). `pause` lets the caller's thread answer queries between columns (each takes a while).
 */
async function arraysOf(img: IndexImage, pause: () => Promise<void>): Promise<[string, Typed][]> {
  const out: [string, Typed][] = [];
  for (const col of TEXT_COLUMNS) {
    await pause();
    const { bytes, ends } = packText(img.text[col.search]);
    const kind = bytes instanceof Uint16Array ? 'utf16' : 'utf8';
    out.push([`ends.${col.search}`, ends], [`${kind}.${col.search}`, bytes]);
  }
  const { nameLen, nameBase, regionOf } = img.derived;
  out.push(['nameLen', nameLen], ['nameBase', nameBase], ['regionOf', regionOf]);
  for (const col of CODE_COLUMNS) out.push([`code.${col.search}`, img.codes[col.search]]);
  const p = img.postings;
  await pause();
  const packed = p.docs instanceof Uint32Array ? packDocs(p.start, p.docs) : p.docs;
  out.push(
    ['byUscc', img.byUscc],
    ['unigram', p.table.unigram],
    ['keys', p.table.keys],
    ['ids', p.table.ids],
    ['start', p.start],
    ['docsAt', packed.at],
    ['docsPacked', packed.bytes],
    ['pos', p.pos],
  );
  return out;
}

/**
 * The image as byte segments to be written one after the other (the arrays are viewed, not
 * copied: write them before the index changes, which it never does once assembled).
 */
export async function encodeIndexImage(
  img: IndexImage,
  pause: () => Promise<void> = () => Promise.resolve(),
): Promise<Uint8Array[]> {
  const arrays = await arraysOf(img, pause);
  const header: Header = {
    n: img.text.usccs.length,
    bigrams: img.postings.table.bigrams,
    keys: img.postings.table.size,
    regionNames: img.derived.regionNames,
    arrays: arrays.map(([name, a]) => ({ name, kind: kindOf(a), length: a.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const head = new Uint8Array(pad(8 + json.length));
  head.set(MAGIC);
  new DataView(head.buffer).setUint32(4, json.length, true);
  head.set(json, 8);
  const out: Uint8Array[] = [head];
  for (const [, a] of arrays) {
    out.push(bytesOf(a));
    const gap = pad(a.byteLength) - a.byteLength;
    if (gap > 0) out.push(new Uint8Array(gap));
  }
  return out;
}

function pad(n: number): number {
  return Math.ceil(n / ALIGN) * ALIGN;
}

/** Thrown for bytes that are not an index image of this layout (the caller rebuilds instead). */
export class IndexImageError extends Error {
  override readonly name = 'IndexImageError';
}

/**
 * The image in `bytes` (from encodeIndexImage, joined). Arrays are views over `bytes` when it is
 * aligned (a copy otherwise). Anything out of shape throws IndexImageError, never a half index.
 */
export function decodeIndexImage(bytes: Uint8Array): IndexImage {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b)) throw new IndexImageError('不是检索索引数据');
  const aligned = bytes.byteOffset % ALIGN === 0 ? bytes : bytes.slice();
  const jsonLength = new DataView(aligned.buffer, aligned.byteOffset, 8).getUint32(4, true);
  if (8 + jsonLength > aligned.length) throw new IndexImageError('检索索引数据的头部被截断');
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(aligned.subarray(8, 8 + jsonLength))) as Header;
  } catch {
    throw new IndexImageError('检索索引数据的头部无法解析');
  }
  const byName = new Map<string, Typed>();
  let at = pad(8 + jsonLength);
  for (const e of header.arrays ?? []) {
    const size = e.length * (BYTES[e.kind] ?? NaN);
    if (!Number.isInteger(size) || size < 0 || at + size > aligned.length)
      throw new IndexImageError(`检索索引数据被截断（${String(e.name)}）`);
    const offset = aligned.byteOffset + at;
    byName.set(e.name, new TYPES[e.kind](aligned.buffer as ArrayBuffer, offset, e.length));
    at += pad(size);
  }
  const get = <T extends Typed>(name: string, type: abstract new (n: number) => T): T => {
    const a = byName.get(name);
    if (!(a instanceof type)) throw new IndexImageError(`检索索引数据缺少 ${name}`);
    return a;
  };
  const text = {} as Record<(typeof TEXT_COLUMNS)[number]['search'], TextColumn>;
  for (const col of TEXT_COLUMNS) {
    const ends = get(`ends.${col.search}`, Uint32Array);
    if (ends.length !== header.n) throw new IndexImageError(`检索索引数据的 ${col.search} 条数不符`);
    try {
      const units = byName.get(`utf16.${col.search}`);
      const packed = units instanceof Uint16Array ? units : get(`utf8.${col.search}`, Uint8Array);
      text[col.search] = new PackedText(packed, ends);
    } catch {
      throw new IndexImageError(`检索索引数据的 ${col.search} 偏移不符`);
    }
  }
  const codes = {} as IndexImage['codes'];
  for (const col of CODE_COLUMNS) codes[col.search] = get(`code.${col.search}`, Uint8Array);
  return {
    text,
    codes,
    byUscc: get('byUscc', Uint32Array),
    derived: {
      nameLen: get('nameLen', Uint16Array),
      nameBase: get('nameBase', Int16Array),
      regionOf: get('regionOf', Uint32Array),
      regionNames: header.regionNames ?? [],
    },
    postings: {
      table: {
        unigram: get('unigram', Int32Array),
        keys: get('keys', Uint32Array),
        ids: get('ids', Int32Array),
        bigrams: header.bigrams,
        size: header.keys,
      },
      start: get('start', Uint32Array),
      docs: { at: get('docsAt', Uint32Array), bytes: get('docsPacked', Uint8Array) },
      pos: get('pos', Uint8Array),
    },
  };
}
