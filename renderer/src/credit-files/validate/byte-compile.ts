/**
 * Compiling a zod schema into the byte validator's nodes (byte-node.ts): its types, checks and
 * refinements read from `schema._zod.def` once, at start-up, and the capture paths attached to
 * their leaves. A feature it does not know throws here, never a guess at run time.
 */
import { codePointLength, type CheckDef, type Def, type ZNode } from './zod-defs.js';
import {
  BNode,
  K_ANY,
  K_ARRAY,
  K_BOOLEAN,
  K_NEVER,
  K_NULLABLE,
  K_NUMBER,
  K_OBJECT,
  K_OPTIONAL,
  K_SET,
  K_STRING,
  type NumCheck,
  type StrCheck,
  type ValCheck,
} from './byte-node.js';

const encoder = new TextEncoder();

export function unsupported(what: string): Error {
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

export function compileNode(node: ZNode): BNode {
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

export function attachCapture(root: BNode, path: readonly string[], slot: number): void {
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
