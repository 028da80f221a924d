/**
 * JSON string bodies in the byte validator: the escape tables, matching a body against a known key
 * or member written without escapes, and decoding a body into a JS string (short ones without
 * escapes through a cache). They read the scanner's bytes (byte-validator.ts) and never move its
 * position.
 */
import { B, E } from './byte-validator.js';

export const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}
/** Simple escapes: the escaped byte -> the code unit (0: not a simple escape). */
export const SIMPLE_ESC = new Uint8Array(256);
SIMPLE_ESC[0x22] = 0x22;
SIMPLE_ESC[0x5c] = 0x5c;
SIMPLE_ESC[0x2f] = 0x2f;
SIMPLE_ESC[0x62] = 0x08;
SIMPLE_ESC[0x66] = 0x0c;
SIMPLE_ESC[0x6e] = 0x0a;
SIMPLE_ESC[0x72] = 0x0d;
SIMPLE_ESC[0x74] = 0x09;

let scratch = new Uint16Array(256);
const CHUNK = 4096;

/** u[0, n) as a string. Short ones in fixed-arity calls (cheaper than apply over a subarray). */
function unitsToString(u: Uint16Array, n: number): string {
  let s = '';
  let i = 0;
  if (n > 64) {
    for (; i < n; i += CHUNK)
      s += String.fromCharCode.apply(null, u.subarray(i, Math.min(n, i + CHUNK)) as unknown as number[]);
    return s;
  }
  for (; i + 8 <= n; i += 8)
    s += String.fromCharCode(u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!, u[i + 4]!, u[i + 5]!, u[i + 6]!, u[i + 7]!);
  if (i + 4 <= n) {
    s += String.fromCharCode(u[i]!, u[i + 1]!, u[i + 2]!, u[i + 3]!);
    i += 4;
  }
  if (i + 2 <= n) {
    s += String.fromCharCode(u[i]!, u[i + 1]!);
    i += 2;
  }
  if (i < n) s += String.fromCharCode(u[i]!);
  return s;
}

/** The JS string of the (already scanned, hence well-formed) string body bytes[s, q). */
export function decodeString(s: number, q: number, flags: number): string {
  if ((flags & 1) === 0 && q - s <= CACHE_MAX) return cachedString(s, q, flags);
  return decodeFresh(s, q, flags);
}

function decodeFresh(s: number, q: number, flags: number): string {
  const b = B;
  if (scratch.length < q - s) scratch = new Uint16Array(Math.max(q - s, scratch.length * 2));
  const u = scratch;
  let n = 0;
  let p = s;
  if (flags === 0) {
    while (p < q) u[n++] = b[p++]!;
    return unitsToString(u, n);
  }
  while (p < q) {
    const c = b[p]!;
    if (c < 0x80) {
      if (c !== 0x5c) {
        u[n++] = c;
        p++;
        continue;
      }
      const x = b[p + 1]!;
      if (x === 0x75) {
        u[n++] = (HEX[b[p + 2]!]! << 12) | (HEX[b[p + 3]!]! << 8) | (HEX[b[p + 4]!]! << 4) | HEX[b[p + 5]!]!;
        p += 6;
      } else {
        u[n++] = SIMPLE_ESC[x]!;
        p += 2;
      }
    } else if (c < 0xe0) {
      u[n++] = ((c & 0x1f) << 6) | (b[p + 1]! & 0x3f);
      p += 2;
    } else if (c < 0xf0) {
      u[n++] = ((c & 0x0f) << 12) | ((b[p + 1]! & 0x3f) << 6) | (b[p + 2]! & 0x3f);
      p += 3;
    } else {
      const cp =
        (((c & 0x07) << 18) | ((b[p + 1]! & 0x3f) << 12) | ((b[p + 2]! & 0x3f) << 6) | (b[p + 3]! & 0x3f)) - 0x10000;
      u[n++] = 0xd800 | (cp >> 10);
      u[n++] = 0xdc00 | (cp & 0x3ff);
      p += 4;
    }
  }
  return unitsToString(u, n);
}

// Short strings without escapes recur across records (dates, months, region codes, people's names):
// a direct-mapped cache keyed by their exact bytes returns the same string without allocating.
const CACHE_SLOTS = 4096;
const CACHE_MAX = 24;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHE_MAX);
const cacheLen = new Int8Array(CACHE_SLOTS).fill(-1);
const cacheStr: string[] = new Array<string>(CACHE_SLOTS).fill('');

function cachedString(s: number, q: number, flags: number): string {
  const b = B;
  const len = q - s;
  // Hash of the length and up to 4 bytes at each end (only picks the slot; equality is checked).
  const h =
    len < 4
      ? Math.imul(len ^ (b[s]! << 8) ^ (b[q - 1]! << 16), 0x9e3779b1)
      : Math.imul((b[s]! | (b[s + 1]! << 8) | (b[s + 2]! << 16) | (b[s + 3]! << 24)) ^ len, 0x9e3779b1) ^
        Math.imul(b[q - 1]! | (b[q - 2]! << 8) | (b[q - 3]! << 16) | (b[q - 4]! << 24), 0x85ebca6b);
  const slot = (h ^ (h >>> 13) ^ (h >>> 24)) & (CACHE_SLOTS - 1);
  const base = slot * CACHE_MAX;
  if (cacheLen[slot] === len) {
    let i = 0;
    while (i < len && cacheBytes[base + i] === b[s + i]) i++;
    if (i === len) return cacheStr[slot]!;
  }
  const str = decodeFresh(s, q, flags);
  for (let i = 0; i < len; i++) cacheBytes[base + i] = b[s + i]!;
  cacheLen[slot] = len;
  cacheStr[slot] = str;
  return str;
}

export function asciiSlice(s: number, q: number): string {
  return decodeFresh(s, q, 0);
}

/** bytes[s...] is `k` then a closing quote (k from directBytes: a complete, valid string body). */
export function directMatch(k: Uint8Array, s: number): boolean {
  const len = k.length;
  if (s + len >= E || B[s + len] !== 0x22) return false;
  const b = B;
  for (let i = 0; i < len; i++) if (k[i] !== b[s + i]) return false;
  return true;
}
