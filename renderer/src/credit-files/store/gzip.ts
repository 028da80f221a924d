/**
 * gzip members, decompressed natively: the snapshot import's members (in the feed workers), and a
 * chunk the cache keeps as the member it came in, when a record of it is read (window thread).
 */

/** A gzip member's trailer ISIZE: its uncompressed length mod 2^32 (0 when too short to be a member). */
export function gzipIsize(bytes: Uint8Array): number {
  const n = bytes.byteLength;
  return n >= 18 ? (bytes[n - 4]! | (bytes[n - 3]! << 8) | (bytes[n - 2]! << 16) | (bytes[n - 1]! << 24)) >>> 0 : 0;
}

/** Largest output buffer reserved up front from a member's own size field (it only sizes a buffer). */
const MAX_RESERVE = 64 * 1024 * 1024;

/**
 * The bytes of one gzip member, decompressed (DecompressionStream, native). The member is written
 * straight into the stream (a Blob would first hand the bytes to the browser's blob store and read
 * them back) and the output is gathered into one buffer sized by the member's trailer (ISIZE: the
 * uncompressed length mod 2^32), so the bytes are copied once instead of gathered then joined.
 * The trailer is only a hint: a wrong one costs a larger buffer or a trim, never wrong bytes.
 */
export async function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Their failures surface through the reader below (a corrupt member rejects its read).
  writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const n = bytes.byteLength;
  const isize = gzipIsize(bytes);
  let out = new Uint8Array(Math.min(isize, MAX_RESERVE, n * 64));
  let size = 0;
  const reader = stream.readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size + value.byteLength > out.byteLength) {
      const grown = new Uint8Array(Math.max(size + value.byteLength, out.byteLength * 2));
      grown.set(out.subarray(0, size));
      out = grown;
    }
    out.set(value, size);
    size += value.byteLength;
  }
  return size === out.byteLength ? out : out.subarray(0, size);
}
