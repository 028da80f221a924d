/**
 * A validating scanner compiled once from a zod schema, run over a line's UTF-8 bytes. One pass
 * answers "this line is certainly JSON whose parsed value satisfies the schema" without decoding the
 * line or building the object tree, and captures a few scalar values (decoded) on the way. The
 * credit-file download has ~200,000 lines of ~1.7 KB, mostly Chinese text: TextDecoder + JSON.parse
 * + the compiled validator cost ~16 µs a line, most of it decoding and allocating strings that are
 * only stored as bytes. Here a plain `z.string()` is only scanned (escapes and UTF-8 checked, never
 * decoded); a string with a check, an enum/literal or a captured value is decoded exactly first.
 *
 * `true` is a promise: JSON.parse would accept the text and `schema.safeParse` its value. `false`
 * means "invalid or not sure" (ill-formed UTF-8, a BOM, nesting over 64, a duplicate key whose
 * earlier value fails, a bound met only under one string-length measure, re-entry...): the caller
 * then falls back to TextDecoder + JSON.parse + zod, which decides and gives the reason.
 *
 * It walks `schema._zod.def` like compiled-validator.ts and knows the same node types and checks; a
 * feature it does not know makes `compileByteValidator` throw at start-up instead of guessing. A
 * refinement on an object or array runs zod itself on that sub-value (parsed from its bytes).
 * Closures and tables only (no `new Function`: the app's Content-Security-Policy forbids eval); the
 * scanner keeps its state in module variables and reads bytes by index, allocation-free except for
 * the strings it must decode. Tested against JSON.parse + safeParse (byte-validator.test.ts).
 *
 * Its parts by role: byte-node.ts the compiled node, byte-compile.ts the schema compiled into nodes,
 * byte-strings.ts string bodies (escape tables, matching, decoding and its cache), byte-values.ts the
 * checks on a value once read (they call the scanning functions here). This module keeps the
 * scanner's state and every function that assigns it (the read position above all): a module
 * variable can be assigned only in its own module, and the state stays in plain module variables
 * because the scanner's hot loops read them directly.
 */
import type { z } from 'zod';
import type { ZNode } from './zod-defs.js';
import {
  EMPTY_BYTES,
  K_ANY,
  K_ARRAY,
  K_BOOLEAN,
  K_NULLABLE,
  K_NUMBER,
  K_OBJECT,
  K_OPTIONAL,
  K_SET,
  K_STRING,
  type BNode,
} from './byte-node.js';
import { attachCapture, compileNode, unsupported } from './byte-compile.js';
import { asciiSlice, decodeString, directMatch, HEX, SIMPLE_ESC } from './byte-strings.js';
import { delegate, runValChecks, setScalar, stringValue } from './byte-values.js';

export interface ByteValidator {
  /**
   * True only if JSON.parse(the UTF-8 text of bytes[start, end)) would succeed and the schema accepts
   * its value. On true, out[i] holds the value at capture path i (the last occurrence, as JSON.parse
   * keeps the last duplicate key), or undefined when absent. False means "invalid OR not sure"
   * (out is then unspecified). Reads nothing outside [start, end); a range outside `bytes` throws.
   */
  (bytes: Uint8Array, start: number, end: number, out: unknown[]): boolean;
}

const MAX_DEPTH = 64;

// ---- the scanner: module state, set on entry (a call never re-enters: see ACTIVE) ----

export let B: Uint8Array = EMPTY_BYTES;
export let P = 0;
export let E = 0;
const NO_OUT: unknown[] = [];
export let OUT: unknown[] = NO_OUT;
let ACTIVE = false;
/** Object occurrence counter (stamps BNode.seen). */
let GEN = 0;
/** After scanString: bit 1 = had an escape, bit 2 = had non-ASCII bytes. */
export let STRFLAGS = 0;
/** After scanNumber: the value, as JSON.parse computes it. */
export let NUM = 0;

// Classes of non-ASCII bytes inside a string: UTF-8 lead bytes; 0 for any other (a continuation
// byte, C0/C1 = overlong, F5..FF = beyond U+10FFFF), which is ill-formed there.
const C_2 = 1; // C2..DF
const C_E0 = 2;
const C_3 = 3; // E1..EC, EE..EF
const C_ED = 4;
const C_F0 = 5;
const C_4 = 6; // F1..F3
const C_F4 = 7;
const CLASS = new Uint8Array(256);
for (let b = 0xc2; b < 0xf5; b++) {
  CLASS[b] =
    b < 0xe0 ? C_2 : b === 0xe0 ? C_E0 : b === 0xed ? C_ED : b < 0xf0 ? C_3 : b === 0xf0 ? C_F0 : b < 0xf4 ? C_4 : C_F4;
}
const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/** Skips JSON whitespace (callers test `B[P] <= 0x20` first: a hint only, possibly past E). */
function ws(): void {
  const b = B;
  let p = P;
  while (p < E) {
    const c = b[p]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    p++;
  }
  P = p;
}

/**
 * P is just past an opening quote. Checks escapes and UTF-8 up to the closing quote; returns its
 * index (P moves past it) or -1. Sets STRFLAGS.
 */
export function scanString(): number {
  const b = B;
  const e = E;
  let p = P;
  let flags = 0;
  while (p < e) {
    let c = b[p]!;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
        p++;
        continue;
      }
      if (c === 0x22) {
        STRFLAGS = flags;
        P = p + 1;
        return p;
      }
      if (c !== 0x5c || p + 1 >= e) return -1;
      const x = b[p + 1]!;
      if (x === 0x75) {
        if (p + 5 >= e || (HEX[b[p + 2]!]! | HEX[b[p + 3]!]! | HEX[b[p + 4]!]! | HEX[b[p + 5]!]!) < 0) return -1;
        p += 6;
      } else if (SIMPLE_ESC[x] !== 0) p += 2;
      else return -1;
      flags |= 1;
      continue;
    }
    flags |= 2;
    if (c >= 0xe1 && c !== 0xed && c <= 0xef) {
      // Runs of 3-byte sequences (CJK) in a tight loop.
      for (;;) {
        if (p + 3 >= e || ((b[p + 1]! ^ 0x80) | (b[p + 2]! ^ 0x80)) >= 0x40) return -1;
        p += 3;
        c = b[p]!;
        if (c < 0xe1 || c > 0xef || c === 0xed) break;
      }
      continue;
    }
    const t = CLASS[c]!;
    if (t === C_2) {
      if (p + 1 >= e || (b[p + 1]! & 0xc0) !== 0x80) return -1;
      p += 2;
    } else if (t === C_E0 || t === C_ED) {
      if (p + 2 >= e) return -1;
      const x = b[p + 1]!;
      if (t === C_E0 ? x < 0xa0 || x > 0xbf : x < 0x80 || x > 0x9f) return -1; // overlong / surrogate
      if ((b[p + 2]! & 0xc0) !== 0x80) return -1;
      p += 3;
    } else if (t === C_F0 || t === C_4 || t === C_F4) {
      if (p + 3 >= e) return -1;
      const x = b[p + 1]!;
      if (t === C_F0 ? x < 0x90 || x > 0xbf : t === C_F4 ? x < 0x80 || x > 0x8f : (x & 0xc0) !== 0x80) return -1; // overlong / > U+10FFFF
      if ((b[p + 2]! & 0xc0) !== 0x80 || (b[p + 3]! & 0xc0) !== 0x80) return -1;
      p += 4;
    } else return -1; // not a lead byte
  }
  return -1;
}

/**
 * P is at '-' or a digit. Strict JSON number grammar; sets NUM to the value JSON.parse gives (exact
 * fast path for <= 15 significant digits and a power of ten <= 22, else Number() on the text).
 */
export function scanNumber(): boolean {
  const b = B;
  const e = E;
  const start = P;
  let p = P;
  let neg = false;
  if (b[p] === 0x2d) {
    neg = true;
    p++;
  }
  if (p >= e) return false;
  let c = b[p]!;
  let m = 0;
  let digits = 0;
  if (c === 0x30) p++;
  else if (c >= 0x31 && c <= 0x39) {
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      p++;
    } while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39);
  } else return false;
  let scale = 0;
  if (p < e && b[p] === 0x2e) {
    p++;
    if (p >= e || (c = b[p]!) < 0x30 || c > 0x39) return false;
    do {
      m = m * 10 + (c - 0x30);
      digits++;
      scale--;
      p++;
    } while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39);
  }
  let slow = digits > 15;
  if (p < e && (b[p]! | 0x20) === 0x65) {
    p++;
    let expNeg = false;
    if (p < e && (b[p] === 0x2b || b[p] === 0x2d)) {
      expNeg = b[p] === 0x2d;
      p++;
    }
    if (p >= e || (c = b[p]!) < 0x30 || c > 0x39) return false;
    let x = 0;
    do {
      if (x < 1e6) x = x * 10 + (c - 0x30);
      p++;
    } while (p < e && (c = b[p]!) >= 0x30 && c <= 0x39);
    scale += expNeg ? -x : x;
  }
  let v: number;
  if (!slow && scale === 0) v = m;
  else if (!slow && scale > 0 && scale <= 22) v = m * POW10[scale]!;
  else if (!slow && scale < 0 && scale >= -22) v = m / POW10[-scale]!;
  else {
    slow = true;
    v = 0;
  }
  if (slow) NUM = Number(asciiSlice(start, p));
  else NUM = neg ? -v : v;
  P = p;
  return true;
}

/** P is at the first byte of `word` (true/false/null, given as its bytes). */
function literal(w0: number, w1: number, w2: number, w3: number, w4: number, len: number): boolean {
  const b = B;
  const p = P;
  if (
    p + len > E ||
    b[p] !== w0 ||
    b[p + 1] !== w1 ||
    b[p + 2] !== w2 ||
    b[p + 3] !== w3 ||
    (len === 5 && b[p + 4] !== w4)
  )
    return false;
  P = p + len;
  return true;
}
export const isTrue = (): boolean => literal(0x74, 0x72, 0x75, 0x65, 0, 4);
export const isFalse = (): boolean => literal(0x66, 0x61, 0x6c, 0x73, 0x65, 5);
export const isNull = (): boolean => literal(0x6e, 0x75, 0x6c, 0x6c, 0, 4);

/** Any JSON value (unknown keys, z.unknown/any): scanned, not checked. */
function skipAny(depth: number): boolean {
  if (P >= E) return false;
  const c = B[P]!;
  if (c === 0x22) {
    P++;
    return scanString() >= 0;
  }
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return scanNumber(); // ±Infinity is fine for unknown
  if (c === 0x7b) {
    if (depth >= MAX_DEPTH) return false;
    P++;
    if (B[P]! <= 0x20) ws();
    if (P < E && B[P] === 0x7d) {
      P++;
      return true;
    }
    for (;;) {
      if (P >= E || B[P] !== 0x22) return false;
      P++;
      if (scanString() < 0) return false;
      if (B[P]! <= 0x20) ws();
      if (P >= E || B[P] !== 0x3a) return false;
      P++;
      if (B[P]! <= 0x20) ws();
      if (!skipAny(depth + 1)) return false;
      if (B[P]! <= 0x20) ws();
      if (P >= E) return false;
      const d = B[P++];
      if (d === 0x2c) {
        if (B[P]! <= 0x20) ws();
        continue;
      }
      return d === 0x7d;
    }
  }
  if (c === 0x5b) {
    if (depth >= MAX_DEPTH) return false;
    P++;
    if (B[P]! <= 0x20) ws();
    if (P < E && B[P] === 0x5d) {
      P++;
      return true;
    }
    for (;;) {
      if (!skipAny(depth + 1)) return false;
      if (B[P]! <= 0x20) ws();
      if (P >= E) return false;
      const d = B[P++];
      if (d === 0x2c) {
        if (B[P]! <= 0x20) ws();
        continue;
      }
      return d === 0x5d;
    }
  }
  if (c === 0x74) return isTrue();
  if (c === 0x66) return isFalse();
  if (c === 0x6e) return isNull();
  return false;
}

/** Enum/literal string member: P just past the opening quote. */
function setString(n: BNode): boolean {
  const s = P;
  const set = n.setBytes;
  let idx = -1;
  for (let i = 0; i < set.length; i++) {
    const k = set[i]!;
    if (k !== null && directMatch(k, s)) {
      idx = i;
      P = s + k.length + 1;
      break;
    }
  }
  if (idx < 0) {
    // Not written plainly: escapes, or not a member at all. Decode and look it up.
    const q = scanString();
    if (q < 0) return false;
    const found = n.setStrIndex.get(decodeString(s, q, STRFLAGS));
    if (found === undefined) return false;
    idx = found;
  }
  const v = n.setStrings[idx]!;
  if (n.valChecks !== null && !runValChecks(n.valChecks, v)) return false;
  if (n.cap >= 0) OUT[n.cap] = v;
  return true;
}

function value(n: BNode, depth: number): boolean {
  if (P >= E) return false;
  const c = B[P]!;
  switch (n.kind) {
    case K_STRING:
      if (c !== 0x22) return false;
      P++;
      return stringValue(n);
    case K_OBJECT:
      return object(n, depth);
    case K_NUMBER: {
      if (c !== 0x2d && (c < 0x30 || c > 0x39)) return false;
      if (!scanNumber()) return false;
      const v = NUM;
      if (v === Infinity || v === -Infinity) return false; // zod numbers are finite
      const checks = n.numChecks;
      if (checks !== null) for (let i = 0; i < checks.length; i++) if (!checks[i]!(v)) return false;
      if (n.cap >= 0) OUT[n.cap] = v;
      return true;
    }
    case K_NULLABLE:
      if (c === 0x6e) {
        if (!isNull()) return false;
        if (n.cap >= 0) OUT[n.cap] = null;
        return true;
      }
      return value(n.inner!, depth);
    case K_OPTIONAL:
      return value(n.inner!, depth); // a present value is never undefined
    case K_ARRAY:
      return array(n, depth);
    case K_SET:
      if (c === 0x22) {
        P++;
        return setString(n);
      }
      return setScalar(n, c);
    case K_BOOLEAN: {
      let v: boolean;
      if (c === 0x74) {
        if (!isTrue()) return false;
        v = true;
      } else if (c === 0x66) {
        if (!isFalse()) return false;
        v = false;
      } else return false;
      if (n.valChecks !== null && !runValChecks(n.valChecks, v)) return false;
      if (n.cap >= 0) OUT[n.cap] = v;
      return true;
    }
    case K_ANY:
      return skipAny(depth);
    default: // K_NEVER
      return false;
  }
}

function array(n: BNode, depth: number): boolean {
  if (B[P] !== 0x5b || depth >= MAX_DEPTH) return false;
  const start = P;
  P++;
  if (B[P]! <= 0x20) ws();
  let count = 0;
  if (P < E && B[P] === 0x5d) P++;
  else {
    const el = n.inner!;
    for (;;) {
      if (!value(el, depth + 1)) return false;
      count++;
      if (B[P]! <= 0x20) ws();
      if (P >= E) return false;
      const d = B[P++];
      if (d === 0x2c) {
        if (B[P]! <= 0x20) ws();
        continue;
      }
      if (d === 0x5d) break;
      return false;
    }
  }
  if (count < n.minItems || count > n.maxItems) return false;
  return n.zod === null || delegate(n.zod, start, P);
}

/** Field index of the key starting at P (just past its quote), or -1 (unknown); -2: not a string. */
function readKey(n: BNode, hint: number): number {
  const s = P;
  const keys = n.keyBytes;
  // Keys usually come in schema order: try the one after the last match first.
  if (hint < keys.length) {
    const k = keys[hint]!;
    if (k !== null && directMatch(k, s)) {
      P = s + k.length + 1;
      return hint;
    }
  }
  const q = scanString();
  if (q < 0) return -2;
  if ((STRFLAGS & 1) !== 0) return n.keyIndex.get(decodeString(s, q, STRFLAGS)) ?? -1;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k !== null && k.length === q - s && directMatch(k, s)) return i;
  }
  return -1;
}

function object(n: BNode, depth: number): boolean {
  if (B[P] !== 0x7b || depth >= MAX_DEPTH) return false;
  const start = P;
  P++;
  const gen = ++GEN;
  const seen = n.seen;
  let required = 0;
  let hint = 0;
  if (B[P]! <= 0x20) ws();
  if (P < E && B[P] === 0x7d) P++;
  else {
    for (;;) {
      if (P >= E || B[P] !== 0x22) return false;
      P++;
      const fi = readKey(n, hint);
      if (fi === -2) return false;
      if (B[P]! <= 0x20) ws();
      if (P >= E || B[P] !== 0x3a) return false;
      P++;
      if (B[P]! <= 0x20) ws();
      if (fi >= 0) {
        hint = fi + 1;
        const resets = n.resets[fi]!;
        if (resets !== null) for (let i = 0; i < resets.length; i++) OUT[resets[i]!] = undefined;
        // Every occurrence of a duplicate key is checked (JSON.parse keeps the last): conservative.
        if (!value(n.fields[fi]!, depth + 1)) return false;
        if (seen[fi] !== gen) {
          seen[fi] = gen;
          required += n.required[fi]!;
        }
      } else if (n.catchall !== null) {
        if (!value(n.catchall, depth + 1)) return false;
      } else if (!skipAny(depth + 1)) return false;
      if (B[P]! <= 0x20) ws();
      if (P >= E) return false;
      const d = B[P++];
      if (d === 0x2c) {
        if (B[P]! <= 0x20) ws();
        continue;
      }
      if (d === 0x7d) break;
      return false;
    }
  }
  if (required !== n.requiredCount) return false;
  return n.zod === null || delegate(n.zod, start, P);
}

/**
 * Compiles `schema` once into a byte validator. `captures` are key paths through nested objects to
 * scalar leaves (string, number, boolean, enum, literal; optional/nullable allowed on the way).
 * Throws on a schema feature or capture path it does not support.
 */
export function compileByteValidator(schema: z.ZodType, captures: readonly (readonly string[])[] = []): ByteValidator {
  const root = compileNode(schema as unknown as ZNode);
  const seenPaths = new Set<string>();
  captures.forEach((path, slot) => {
    const key = JSON.stringify(path);
    if (seenPaths.has(key)) throw unsupported(`duplicate capture path [${path.join(', ')}]`);
    seenPaths.add(key);
    attachCapture(root, path, slot);
  });
  const slots = captures.length;
  return (bytes, start, end, out) => {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= bytes.length))
      throw new RangeError(`byte validator: bad range [${start}, ${end}) of ${bytes.length}`);
    if (ACTIVE) return false; // a refinement re-entering the scanner: let the fallback decide
    ACTIVE = true;
    try {
      B = bytes;
      P = start;
      E = end;
      OUT = out;
      for (let i = 0; i < slots; i++) out[i] = undefined;
      ws();
      if (!value(root, 0)) return false;
      ws();
      return P === E;
    } finally {
      ACTIVE = false;
      B = EMPTY_BYTES; // do not keep the caller's buffers alive
      OUT = NO_OUT;
    }
  };
}
