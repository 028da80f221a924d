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
 */
import type { z } from 'zod';
import { codePointLength, type CheckDef, type Def, type ZNode } from './zod-defs.js';

export interface ByteValidator {
  /**
   * True only if JSON.parse(the UTF-8 text of bytes[start, end)) would succeed and the schema accepts
   * its value. On true, out[i] holds the value at capture path i (the last occurrence, as JSON.parse
   * keeps the last duplicate key), or undefined when absent. False means "invalid OR not sure"
   * (out is then unspecified). Reads nothing outside [start, end); a range outside `bytes` throws.
   */
  (bytes: Uint8Array, start: number, end: number, out: unknown[]): boolean;
}

// ---- compiled nodes: one class, every field always present (monomorphic property access) ----

const K_STRING = 0;
const K_NUMBER = 1;
const K_BOOLEAN = 2;
const K_SET = 3; // enum or literal
const K_NULLABLE = 4;
const K_OPTIONAL = 5;
const K_ANY = 6;
const K_NEVER = 7;
const K_ARRAY = 8;
const K_OBJECT = 9;

type StrCheck = (s: string) => boolean;
type NumCheck = (v: number) => boolean;
type ValCheck = (v: unknown) => boolean;

class BNode {
  /** Capture slot this node writes its value to (-1: none). Set on a captured leaf and its nullable wrappers. */
  cap = -1;
  /** Strings: decode before accepting (checks or capture). */
  decode = false;
  strChecks: StrCheck[] | null = null;
  numChecks: NumCheck[] | null = null;
  /** Booleans, enums, literals: refinements on the value. */
  valChecks: ValCheck[] | null = null;
  // enum / literal
  setStrings: string[] = [];
  /** UTF-8 of each string member, or null when it cannot appear unescaped in JSON (see directBytes). */
  setBytes: (Uint8Array | null)[] = [];
  setStrIndex = new Map<string, number>();
  setNumbers: Set<number> | null = null;
  setTrue = false;
  setFalse = false;
  setNull = false;
  // nullable / optional / array element / catchall
  inner: BNode | null = null;
  minItems = 0;
  maxItems = Infinity;
  // object
  /** UTF-8 of each key, or null when it cannot appear unescaped in JSON (see directBytes). */
  keyBytes: (Uint8Array | null)[] = [];
  keyIndex = new Map<string, number>();
  fields: BNode[] = [];
  /** 1 when the key must be present. */
  required: Uint8Array = EMPTY_BYTES;
  requiredCount = 0;
  /** Generation stamp of the last object occurrence in which each field was seen. */
  seen: Float64Array = EMPTY_F64;
  /** Capture slots below each field, cleared before the field's value is read (duplicate keys). */
  resets: (Int32Array | null)[] = [];
  /** Unknown keys: null strips (any JSON), else validated with this node (never = strict). */
  catchall: BNode | null = null;
  /** Object/array refinements: zod itself runs on the sub-value parsed from its bytes. */
  zod: ZNode | null = null;
  constructor(readonly kind: number) {}
}

const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_F64 = new Float64Array(0);
const MAX_DEPTH = 64;
const encoder = new TextEncoder();

function unsupported(what: string): Error {
  return new Error(`compileByteValidator: unsupported ${what}`);
}

/**
 * The UTF-8 bytes a string has when written in JSON without escapes, or null if it cannot be (a
 * quote, backslash or control character must be escaped; a lone surrogate only exists escaped).
 * Raw bytes equal to these, followed by the closing quote, are exactly that string.
 */
function directBytes(s: string): Uint8Array | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return null;
  }
  return isWellFormed(s) ? encoder.encode(s) : null;
}

function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return false;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return false;
  }
  return true;
}

function refinement(c: CheckDef): ValCheck {
  if (c.when !== undefined) throw unsupported('refinement with a `when` condition');
  const fn = c.fn;
  if (typeof fn !== 'function') throw unsupported('custom check without a function');
  return (v) => {
    try {
      const r = fn(v);
      return !(r instanceof Promise) && Boolean(r);
    } catch {
      return false; // safeParse would throw: the caller's fallback decides
    }
  };
}

function checksOf(def: Def): CheckDef[] {
  const own = def.check !== undefined ? [def as unknown as CheckDef] : [];
  return [...own, ...(def.checks ?? []).map((c) => c._zod.def)];
}

function compileString(n: BNode, def: Def): void {
  const list: StrCheck[] = [];
  for (const c of checksOf(def)) {
    switch (c.check) {
      // Bounds hold under BOTH measures, UTF-16 units and code points (zod versions differ): a
      // string whose verdict depends on the measure is "not sure".
      case 'min_length': {
        const m = c.minimum!;
        list.push((s) => s.length >= m && codePointLength(s) >= m);
        break;
      }
      case 'max_length': {
        const m = c.maximum!;
        list.push((s) => s.length <= m);
        break;
      }
      case 'string_format': {
        if (c.format !== 'regex' || !(c.pattern instanceof RegExp))
          throw unsupported(`string format ${String(c.format)}`);
        const re = new RegExp(c.pattern.source, c.pattern.flags);
        list.push((s) => {
          re.lastIndex = 0;
          return re.test(s);
        });
        break;
      }
      case 'custom':
        list.push(refinement(c));
        break;
      default:
        throw unsupported(`string check ${c.check}`);
    }
  }
  if (list.length > 0) {
    n.strChecks = list;
    n.decode = true;
  }
}

function compileNumber(n: BNode, def: Def): void {
  const list: NumCheck[] = [];
  for (const c of checksOf(def)) {
    switch (c.check) {
      case 'number_format':
        if (c.format !== 'safeint') throw unsupported(`number format ${String(c.format)}`);
        list.push((v) => Number.isSafeInteger(v));
        break;
      case 'greater_than': {
        const x = c.value;
        if (typeof x !== 'number') throw unsupported('non-numeric bound');
        list.push(c.inclusive ? (v) => v >= x : (v) => v > x);
        break;
      }
      case 'less_than': {
        const x = c.value;
        if (typeof x !== 'number') throw unsupported('non-numeric bound');
        list.push(c.inclusive ? (v) => v <= x : (v) => v < x);
        break;
      }
      case 'custom':
        list.push(refinement(c));
        break;
      default:
        throw unsupported(`number check ${c.check}`);
    }
  }
  if (list.length > 0) n.numChecks = list;
}

/** Only refinements (custom checks) are allowed on these node types. */
function compileValueChecks(n: BNode, def: Def): void {
  const list: ValCheck[] = [];
  for (const c of checksOf(def)) {
    if (c.check !== 'custom') throw unsupported(`${def.type} check ${c.check}`);
    list.push(refinement(c));
  }
  if (list.length > 0) n.valChecks = list;
}

function compileSet(n: BNode, node: ZNode): void {
  const def = node._zod.def;
  let values: unknown[];
  if (node._zod.values)
    values = [...node._zod.values]; // the very set zod tests with
  else if (def.type === 'literal') values = [...(def.values ?? [])];
  else values = Object.values(def.entries ?? {});
  const nums: number[] = [];
  for (const v of values) {
    if (typeof v === 'string') {
      if (n.setStrIndex.has(v)) continue;
      n.setStrIndex.set(v, n.setStrings.length);
      n.setStrings.push(v);
      n.setBytes.push(directBytes(v));
    } else if (typeof v === 'number') nums.push(v);
    else if (v === true) n.setTrue = true;
    else if (v === false) n.setFalse = true;
    else if (v === null) n.setNull = true;
    // bigint, undefined, symbol: no JSON value is one of these
  }
  if (nums.length > 0) n.setNumbers = new Set(nums);
  compileValueChecks(n, def);
}

/** Whether zod accepts the key being absent (handlePropertyResult: optional in and out). */
function absentOk(node: ZNode): boolean {
  return node._zod.optin === 'optional' && node._zod.optout === 'optional';
}

function delegateChecks(n: BNode, node: ZNode, def: Def, allowLength: boolean): void {
  for (const c of checksOf(def)) {
    if (allowLength && c.check === 'min_length') n.minItems = Math.max(n.minItems, c.minimum!);
    else if (allowLength && c.check === 'max_length') n.maxItems = Math.min(n.maxItems, c.maximum!);
    else if (c.check === 'custom') {
      refinement(c); // same compile-time validation as elsewhere
      if (typeof node.safeParse !== 'function')
        throw unsupported(`${def.type} refinement on a schema without safeParse`);
      n.zod = node;
    } else throw unsupported(`${def.type} check ${c.check}`);
  }
}

function compileObject(n: BNode, node: ZNode, def: Def): void {
  const shape = def.shape ?? {};
  const keys = Object.keys(shape);
  n.required = new Uint8Array(keys.length);
  n.seen = new Float64Array(keys.length);
  keys.forEach((k, i) => {
    // zod reads `key in input` / input[key]: a key inherited from Object.prototype (constructor,
    // __proto__...) is never "absent" to it, and __proto__ is skipped. Not worth modelling.
    if (k in Object.prototype) throw unsupported(`object key "${k}" (collides with Object.prototype)`);
    const field = shape[k]!;
    n.keyBytes.push(directBytes(k));
    n.keyIndex.set(k, i);
    n.fields.push(compileNode(field));
    n.resets.push(null);
    if (!absentOk(field)) {
      n.required[i] = 1;
      n.requiredCount++;
    }
  });
  // No catchall strips unknown keys; `never` (strict) rejects them; any other validates them.
  n.catchall = def.catchall ? compileNode(def.catchall) : null;
  delegateChecks(n, node, def, false);
}

function compileNode(node: ZNode): BNode {
  const def = node._zod.def;
  switch (def.type) {
    case 'string': {
      const n = new BNode(K_STRING);
      compileString(n, def);
      return n;
    }
    case 'number': {
      const n = new BNode(K_NUMBER);
      compileNumber(n, def);
      return n;
    }
    case 'boolean': {
      const n = new BNode(K_BOOLEAN);
      compileValueChecks(n, def);
      return n;
    }
    case 'enum':
    case 'literal': {
      const n = new BNode(K_SET);
      compileSet(n, node);
      return n;
    }
    case 'unknown':
    case 'any':
    case 'never':
    case 'nullable':
    case 'optional': {
      if (checksOf(def).length > 0) throw unsupported(`checks on ${def.type}`);
      const kind =
        def.type === 'nullable'
          ? K_NULLABLE
          : def.type === 'optional'
            ? K_OPTIONAL
            : def.type === 'never'
              ? K_NEVER
              : K_ANY;
      const n = new BNode(kind);
      if (kind === K_NULLABLE || kind === K_OPTIONAL) n.inner = compileNode(def.innerType!);
      return n;
    }
    case 'array': {
      const n = new BNode(K_ARRAY);
      n.inner = compileNode(def.element!);
      delegateChecks(n, node, def, true);
      return n;
    }
    case 'object': {
      const n = new BNode(K_OBJECT);
      compileObject(n, node, def);
      return n;
    }
    default:
      throw unsupported(`schema type ${def.type}`);
  }
}

function attachCapture(root: BNode, path: readonly string[], slot: number): void {
  const where = `capture path [${path.join(', ')}]`;
  if (path.length === 0) throw unsupported(`empty ${where}`);
  let n = root;
  for (const key of path) {
    while (n.kind === K_OPTIONAL || n.kind === K_NULLABLE) n = n.inner!;
    if (n.kind !== K_OBJECT) throw unsupported(`${where}: "${key}" is not in an object`);
    const i = n.keyIndex.get(key);
    if (i === undefined) throw unsupported(`${where}: no key "${key}"`);
    const prev = n.resets[i];
    const next = new Int32Array((prev?.length ?? 0) + 1);
    if (prev) next.set(prev);
    next[next.length - 1] = slot;
    n.resets[i] = next;
    n = n.fields[i]!;
  }
  for (;;) {
    if (n.cap >= 0) throw unsupported(`duplicate ${where}`);
    if (n.kind === K_OPTIONAL) {
      n = n.inner!;
      continue;
    }
    n.cap = slot;
    if (n.kind === K_NULLABLE) {
      n = n.inner!;
      continue;
    }
    if (n.kind === K_STRING) {
      n.decode = true;
      return;
    }
    if (n.kind === K_NUMBER || n.kind === K_BOOLEAN || n.kind === K_SET) return;
    throw unsupported(`${where}: not a scalar leaf`);
  }
}

// ---- the scanner: module state, set on entry (a call never re-enters: see ACTIVE) ----

let B: Uint8Array = EMPTY_BYTES;
let P = 0;
let E = 0;
const NO_OUT: unknown[] = [];
let OUT: unknown[] = NO_OUT;
let ACTIVE = false;
/** Object occurrence counter (stamps BNode.seen). */
let GEN = 0;
/** After scanString: bit 1 = had an escape, bit 2 = had non-ASCII bytes. */
let STRFLAGS = 0;
/** After scanNumber: the value, as JSON.parse computes it. */
let NUM = 0;

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
const HEX = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX[0x41 + i] = 10 + i;
  HEX[0x61 + i] = 10 + i;
}
/** Simple escapes: the escaped byte -> the code unit (0: not a simple escape). */
const SIMPLE_ESC = new Uint8Array(256);
SIMPLE_ESC[0x22] = 0x22;
SIMPLE_ESC[0x5c] = 0x5c;
SIMPLE_ESC[0x2f] = 0x2f;
SIMPLE_ESC[0x62] = 0x08;
SIMPLE_ESC[0x66] = 0x0c;
SIMPLE_ESC[0x6e] = 0x0a;
SIMPLE_ESC[0x72] = 0x0d;
SIMPLE_ESC[0x74] = 0x09;
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
function scanString(): number {
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
function decodeString(s: number, q: number, flags: number): string {
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

function asciiSlice(s: number, q: number): string {
  return decodeFresh(s, q, 0);
}

/**
 * P is at '-' or a digit. Strict JSON number grammar; sets NUM to the value JSON.parse gives (exact
 * fast path for <= 15 significant digits and a power of ten <= 22, else Number() on the text).
 */
function scanNumber(): boolean {
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
const isTrue = (): boolean => literal(0x74, 0x72, 0x75, 0x65, 0, 4);
const isFalse = (): boolean => literal(0x66, 0x61, 0x6c, 0x73, 0x65, 5);
const isNull = (): boolean => literal(0x6e, 0x75, 0x6c, 0x6c, 0, 4);

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

/** bytes[s...] is `k` then a closing quote (k from directBytes: a complete, valid string body). */
function directMatch(k: Uint8Array, s: number): boolean {
  const len = k.length;
  if (s + len >= E || B[s + len] !== 0x22) return false;
  const b = B;
  for (let i = 0; i < len; i++) if (k[i] !== b[s + i]) return false;
  return true;
}

function runValChecks(list: ValCheck[], v: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (!list[i]!(v)) return false;
  return true;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** zod itself on a sub-value (object/array refinements), parsed from its (already valid) bytes. */
function delegate(node: ZNode, s: number, e: number): boolean {
  try {
    return node.safeParse!(JSON.parse(fatalUtf8.decode(B.subarray(s, e)))).success;
  } catch {
    return false;
  }
}

/** String: P just past the opening quote. */
function stringValue(n: BNode): boolean {
  const s = P;
  const q = scanString();
  if (q < 0) return false;
  if (!n.decode) return true;
  const str = decodeString(s, q, STRFLAGS);
  const checks = n.strChecks;
  if (checks !== null) for (let i = 0; i < checks.length; i++) if (!checks[i]!(str)) return false;
  if (n.cap >= 0) OUT[n.cap] = str;
  return true;
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

/** Enum/literal member that is a number, boolean or null. */
function setScalar(n: BNode, c: number): boolean {
  let v: number | boolean | null;
  if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (!scanNumber() || n.setNumbers === null || !n.setNumbers.has(NUM)) return false;
    v = NUM;
  } else if (c === 0x74) {
    if (!n.setTrue || !isTrue()) return false;
    v = true;
  } else if (c === 0x66) {
    if (!n.setFalse || !isFalse()) return false;
    v = false;
  } else if (c === 0x6e) {
    if (!n.setNull || !isNull()) return false;
    v = null;
  } else return false;
  if (n.valChecks !== null && !runValChecks(n.valChecks, v)) return false;
  if (n.cap >= 0) OUT[n.cap] = v;
  return true;
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
