/**
 * The checks a value must pass once the scanner (byte-validator.ts) has read it: a string's checks
 * and capture, an enum or literal member that is not a string, the refinements on a value, and zod
 * itself on an object or array with a refinement.
 */
import { B, isFalse, isNull, isTrue, NUM, OUT, P, scanNumber, scanString, STRFLAGS } from './byte-validator.js';
import type { BNode, ValCheck } from './byte-node.js';
import { decodeString } from './byte-strings.js';
import type { ZNode } from './zod-defs.js';

export function runValChecks(list: ValCheck[], v: unknown): boolean {
  for (let i = 0; i < list.length; i++) if (!list[i]!(v)) return false;
  return true;
}

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/** zod itself on a sub-value (object/array refinements), parsed from its (already valid) bytes. */
export function delegate(node: ZNode, s: number, e: number): boolean {
  try {
    return node.safeParse!(JSON.parse(fatalUtf8.decode(B.subarray(s, e)))).success;
  } catch {
    return false;
  }
}

/** String: P just past the opening quote. */
export function stringValue(n: BNode): boolean {
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

/** Enum/literal member that is a number, boolean or null. */
export function setScalar(n: BNode, c: number): boolean {
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
