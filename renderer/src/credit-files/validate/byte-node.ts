/**
 * The compiled form of a zod schema node that the byte validator walks (byte-compile.ts builds it,
 * byte-validator.ts runs it): one class whose fields are all present on every instance, so the
 * scanner's property reads stay monomorphic.
 */
import type { ZNode } from './zod-defs.js';

// ---- compiled nodes: one class, every field always present (monomorphic property access) ----

export const K_STRING = 0;
export const K_NUMBER = 1;
export const K_BOOLEAN = 2;
export const K_SET = 3; // enum or literal
export const K_NULLABLE = 4;
export const K_OPTIONAL = 5;
export const K_ANY = 6;
export const K_NEVER = 7;
export const K_ARRAY = 8;
export const K_OBJECT = 9;

export type StrCheck = (s: string) => boolean;
export type NumCheck = (v: number) => boolean;
export type ValCheck = (v: unknown) => boolean;

export class BNode {
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

export const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_F64 = new Float64Array(0);
