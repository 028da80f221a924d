/**
 * Test fixture writer: puts an EXIF block (APP1) with capture time, GPS and camera into a JPEG, so
 * the EXIF reader is tested against bytes a camera would write rather than a mocked library.
 * Little-endian TIFF; only the tags the app reads.
 */

export interface ExifFixture {
  /** "YYYY:MM:DD HH:MM:SS", as cameras write it. */
  readonly dateTimeOriginal?: string;
  /** e.g. "+08:00" (EXIF 2.31 OffsetTimeOriginal). */
  readonly offset?: string;
  readonly lat?: number;
  readonly lon?: number;
  readonly make?: string;
  readonly model?: string;
}

type Entry = { tag: number; type: 2 | 4 | 5; count: number; bytes: Uint8Array };

function ascii(tag: number, text: string): Entry {
  const bytes = new TextEncoder().encode(`${text}\0`);
  return { tag, type: 2, count: bytes.length, bytes };
}

function long(tag: number, value: number): Entry {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, value, true);
  return { tag, type: 4, count: 1, bytes };
}

/** Degrees as three rationals: d/1, m/1, s*1000/1000. */
function dms(tag: number, deg: number): Entry {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 1000);
  const bytes = new Uint8Array(24);
  const v = new DataView(bytes.buffer);
  [d, 1, m, 1, s, 1000].forEach((n, i) => v.setUint32(i * 4, n, true));
  return { tag, type: 5, count: 3, bytes };
}

/** One IFD at `start` (offset within the TIFF), values that do not fit in 4 bytes after it. */
function ifd(entries: Entry[], start: number): Uint8Array {
  const sorted = [...entries].sort((x, y) => x.tag - y.tag);
  const head = 2 + sorted.length * 12 + 4;
  const extra = sorted.reduce((n, e) => n + (e.bytes.length > 4 ? e.bytes.length + (e.bytes.length % 2) : 0), 0);
  const out = new Uint8Array(head + extra);
  const v = new DataView(out.buffer);
  v.setUint16(0, sorted.length, true);
  let data = head;
  sorted.forEach((e, i) => {
    const at = 2 + i * 12;
    v.setUint16(at, e.tag, true);
    v.setUint16(at + 2, e.type, true);
    v.setUint32(at + 4, e.count, true);
    if (e.bytes.length <= 4) out.set(e.bytes, at + 8);
    else {
      v.setUint32(at + 8, start + data, true);
      out.set(e.bytes, data);
      data += e.bytes.length + (e.bytes.length % 2);
    }
  });
  return out; // next-IFD offset stays 0
}

export function exifTiff(f: ExifFixture): Uint8Array {
  const exifEntries: Entry[] = [];
  if (f.dateTimeOriginal) exifEntries.push(ascii(0x9003, f.dateTimeOriginal));
  if (f.offset) exifEntries.push(ascii(0x9011, f.offset));
  const gpsEntries: Entry[] = [];
  if (f.lat !== undefined && f.lon !== undefined) {
    gpsEntries.push(ascii(0x0001, f.lat >= 0 ? 'N' : 'S'), dms(0x0002, f.lat));
    gpsEntries.push(ascii(0x0003, f.lon >= 0 ? 'E' : 'W'), dms(0x0004, f.lon));
  }
  const ifd0Base: Entry[] = [];
  if (f.make) ifd0Base.push(ascii(0x010f, f.make));
  if (f.model) ifd0Base.push(ascii(0x0110, f.model));
  // Pointers are filled once the IFD0 size is known (its size does not depend on their values).
  const pointers = [...(exifEntries.length ? [0x8769] : []), ...(gpsEntries.length ? [0x8825] : [])];
  const sized = ifd([...ifd0Base, ...pointers.map((t) => long(t, 0))], 8);
  let next = 8 + sized.length;
  const exifAt = next;
  const exifIfd = exifEntries.length ? ifd(exifEntries, exifAt) : new Uint8Array(0);
  next += exifIfd.length;
  const gpsAt = next;
  const gpsIfd = gpsEntries.length ? ifd(gpsEntries, gpsAt) : new Uint8Array(0);
  const ifd0 = ifd(
    [
      ...ifd0Base,
      ...(exifEntries.length ? [long(0x8769, exifAt)] : []),
      ...(gpsEntries.length ? [long(0x8825, gpsAt)] : []),
    ],
    8,
  );
  const header = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0]);
  const out = new Uint8Array(header.length + ifd0.length + exifIfd.length + gpsIfd.length);
  out.set(header, 0);
  out.set(ifd0, 8);
  out.set(exifIfd, exifAt);
  out.set(gpsIfd, gpsAt);
  return out;
}

/** The JPEG with an APP1 EXIF segment right after its SOI marker. */
export function jpegWithExif(jpeg: Uint8Array, f: ExifFixture): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG: no SOI marker');
  const tiff = exifTiff(f);
  const body = new Uint8Array(6 + tiff.length);
  body.set(new TextEncoder().encode('Exif\0\0'), 0);
  body.set(tiff, 6);
  const seg = new Uint8Array(4 + body.length);
  seg.set([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff], 0);
  seg.set(body, 4);
  const out = new Uint8Array(jpeg.length + seg.length);
  out.set(jpeg.subarray(0, 2), 0);
  out.set(seg, 2);
  out.set(jpeg.subarray(2), 2 + seg.length);
  return out;
}

/** The smallest byte run exifr accepts as a JPEG: SOI, then whatever follows (no image data needed). */
export const BARE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]);
