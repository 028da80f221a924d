/**
 * Scans every file of a browser profile for known plaintext: what a thief who copies the disk of a
 * lost laptop would read without any password. Chromium keeps a page's storage in LevelDB, whose
 * table files (.ldb/.sst) are block-compressed with Snappy, so a plain byte search there can miss
 * text that is on disk all the same; those blocks are decompressed and searched as well. Strings are
 * looked for as UTF-8, UTF-16LE (V8 serializes two-byte strings that way) and Latin-1 (its one-byte
 * strings) where the text is representable in Latin-1.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Hit {
  readonly marker: string;
  readonly encoding: 'utf8' | 'utf16le' | 'latin1';
  readonly file: string;
  /** 'raw' for the file's bytes, or the LevelDB block the text was found in once decompressed. */
  readonly where: string;
  /** Printable characters just before the hit (field names there tell which store leaked it). */
  readonly before: string;
}

export interface ScanReport {
  readonly files: number;
  readonly bytes: number;
  /** LevelDB table blocks that were Snappy-compressed and searched decompressed too. */
  readonly decompressedBlocks: number;
  readonly hits: readonly Hit[];
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (entry.isFile()) out.push(path);
    // Symlinks (Chromium's SingletonLock and friends) point outside the profile or nowhere.
  }
  return out;
}

function encodings(marker: string): { encoding: Hit['encoding']; bytes: Buffer }[] {
  const forms: { encoding: Hit['encoding']; bytes: Buffer }[] = [
    { encoding: 'utf8', bytes: Buffer.from(marker, 'utf8') },
    { encoding: 'utf16le', bytes: Buffer.from(marker, 'utf16le') },
  ];
  // ASCII text is the same bytes in Latin-1 and UTF-8: searching twice would count one hit twice.
  const latin1 = [...marker].every((c) => c.charCodeAt(0) <= 0xff);
  const ascii = [...marker].every((c) => c.charCodeAt(0) <= 0x7f);
  if (latin1 && !ascii) forms.push({ encoding: 'latin1', bytes: Buffer.from(marker, 'latin1') });
  return forms;
}

function readVarint(buf: Buffer, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (let i = at; i < buf.length && shift < 56; i++) {
    const b = buf[i]!;
    value += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) return { value, next: i + 1 };
    shift += 7;
  }
  throw new Error('truncated varint');
}

/** Raw Snappy (no framing), as LevelDB uses it for its blocks. */
export function snappyUncompress(src: Buffer): Buffer {
  const { value: length, next } = readVarint(src, 0);
  const out = Buffer.alloc(length);
  let pos = 0;
  let i = next;
  while (i < src.length) {
    const tag = src[i++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const n = len - 59;
        len = 0;
        for (let k = 0; k < n; k++) len += src[i + k]! * 256 ** k;
        i += n;
      }
      len += 1;
      src.copy(out, pos, i, i + len);
      pos += len;
      i += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | src[i++]!;
    } else if (kind === 2) {
      len = (tag >> 2) + 1;
      offset = src.readUInt16LE(i);
      i += 2;
    } else {
      len = (tag >> 2) + 1;
      offset = src.readUInt32LE(i);
      i += 4;
    }
    if (offset === 0 || offset > pos) throw new Error('snappy: copy before the start of the output');
    for (let k = 0; k < len; k++) out[pos + k] = out[pos - offset + k]!;
    pos += len;
  }
  if (pos !== length) throw new Error(`snappy: ${pos} bytes decoded, ${length} announced`);
  return out;
}

const TABLE_MAGIC = Buffer.from('57fb808b247547db', 'hex'); // 0xdb4775248b80fb57, little-endian

function readBlock(file: Buffer, offset: number, size: number): { data: Buffer; compressed: boolean } {
  const raw = file.subarray(offset, offset + size);
  const type = file[offset + size];
  if (type === 1) return { data: snappyUncompress(raw), compressed: true };
  return { data: raw, compressed: false };
}

/** The data blocks of a LevelDB table file, decompressed; empty if the file is not a table. */
function tableBlocks(file: Buffer): { data: Buffer; compressed: boolean; offset: number }[] {
  if (file.length < 48 || !file.subarray(file.length - 8).equals(TABLE_MAGIC)) return [];
  const footer = file.subarray(file.length - 48);
  const meta = readVarint(footer, 0);
  const metaSize = readVarint(footer, meta.next);
  const indexOffset = readVarint(footer, metaSize.next);
  const indexSize = readVarint(footer, indexOffset.next);
  const index = readBlock(file, indexOffset.value, indexSize.value).data;
  const restarts = index.readUInt32LE(index.length - 4);
  const end = index.length - 4 - 4 * restarts;
  const blocks: { data: Buffer; compressed: boolean; offset: number }[] = [];
  for (let at = 0; at < end;) {
    const shared = readVarint(index, at);
    const nonShared = readVarint(index, shared.next);
    const valueLen = readVarint(index, nonShared.next);
    const valueAt = valueLen.next + nonShared.value;
    const handleOffset = readVarint(index, valueAt);
    const handleSize = readVarint(index, handleOffset.next);
    blocks.push({ ...readBlock(file, handleOffset.value, handleSize.value), offset: handleOffset.value });
    at = valueAt + valueLen.value;
  }
  return blocks;
}

function printable(data: Buffer, at: number): string {
  const slice = data.subarray(Math.max(0, at - 120), at);
  return slice.toString('latin1').replace(/[^\x20-\x7e]+/g, '·');
}

/** Every file under `root`, raw and (LevelDB tables) decompressed, searched for every marker. */
export function scanProfile(root: string, markers: readonly string[]): ScanReport {
  const forms = markers.map((m) => ({ marker: m, forms: encodings(m) }));
  const hits: Hit[] = [];
  let files = 0;
  let bytes = 0;
  let decompressedBlocks = 0;
  for (const path of listFiles(root)) {
    const name = relative(root, path);
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch (err) {
      // A file that vanished between listing and reading was a browser temp file; anything else is a scan failure.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    files += 1;
    bytes += statSync(path).size;
    const views: { where: string; data: Buffer }[] = [{ where: 'raw', data: buf }];
    if (/\.(ldb|sst)$/.test(path)) {
      for (const block of tableBlocks(buf)) {
        if (!block.compressed) continue;
        decompressedBlocks += 1;
        views.push({ where: `snappy block @${block.offset}`, data: block.data });
      }
    }
    for (const { marker, forms: fs } of forms)
      for (const { encoding, bytes: needle } of fs)
        for (const view of views) {
          const at = view.data.indexOf(needle);
          if (at >= 0) hits.push({ marker, encoding, file: name, where: view.where, before: printable(view.data, at) });
        }
  }
  return { files, bytes, decompressedBlocks, hits };
}
