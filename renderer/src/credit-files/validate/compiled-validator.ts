/**
 * A boolean validator compiled once from a zod schema by walking its definition: the same types,
 * lengths, regexes, number formats, enums and refinements, without building issues or copying the
 * value. It answers only "valid or not"; the pull uses it as the fast path and runs the zod schema
 * itself for a record it rejects (so the quarantine reason is zod's own message). A schema feature
 * it does not know makes `compileValidator` throw at start-up instead of guessing.
 * Closures only (no `new Function`): the app's Content-Security-Policy forbids eval.
 * Tested to agree with the schema on valid and invalid records (compiled-validator.test.ts).
 */
import type { z } from 'zod';
import { codePointLength, type CheckDef, type Def, type ZNode as Node } from './zod-defs.js';

export type Check = (v: unknown) => boolean;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lengthOf(v: unknown): number {
  return typeof v === 'string' || Array.isArray(v) ? v.length : Number.NaN;
}

function numericBound(c: CheckDef): number {
  if (typeof c.value !== 'number') throw new Error(`compileValidator: unsupported non-numeric bound in ${c.check}`);
  return c.value;
}

function compileCheck(c: CheckDef): Check {
  switch (c.check) {
    // A string's minimum holds under both measures (UTF-16 units and code points; zod versions differ).
    case 'min_length': {
      const m = c.minimum!;
      return (v) => lengthOf(v) >= m && (typeof v !== 'string' || codePointLength(v) >= m);
    }
    case 'max_length': {
      const m = c.maximum!;
      return (v) => lengthOf(v) <= m;
    }
    case 'string_format': {
      if (c.format !== 'regex' || !c.pattern)
        throw new Error(`compileValidator: unsupported string format ${String(c.format)}`);
      const re = new RegExp(c.pattern.source, c.pattern.flags.replace('g', ''));
      return (v) => re.test(v as string);
    }
    case 'number_format':
      if (c.format !== 'safeint') throw new Error(`compileValidator: unsupported number format ${String(c.format)}`);
      return (v) => Number.isSafeInteger(v);
    case 'greater_than': {
      const x = numericBound(c);
      return c.inclusive ? (v) => (v as number) >= x : (v) => (v as number) > x;
    }
    case 'less_than': {
      const x = numericBound(c);
      return c.inclusive ? (v) => (v as number) <= x : (v) => (v as number) < x;
    }
    case 'custom': {
      const fn = c.fn!;
      return (v) => Boolean(fn(v));
    }
    default:
      throw new Error(`compileValidator: unsupported check ${c.check}`);
  }
}

function withChecks(base: Check, def: Def): Check {
  const checks = (def.checks ?? []).map((c) => compileCheck(c._zod.def));
  if (checks.length === 0) return base;
  return (v) => {
    if (!base(v)) return false;
    for (const c of checks) if (!c(v)) return false;
    return true;
  };
}

function compileObject(def: Def): Check {
  const keys = Object.keys(def.shape ?? {});
  const fields = keys.map((k) => compileNode(def.shape![k]!));
  const catchall = def.catchall ? compileNode(def.catchall) : null;
  const known = new Set(keys);
  // A catchall `never` is a strict object; a catchall of `unknown` accepts anything (loose).
  const strict = def.catchall?._zod.def.type === 'never';
  return (v) => {
    if (!isPlainObject(v)) return false;
    for (let i = 0; i < keys.length; i++) if (!fields[i]!(v[keys[i]!])) return false;
    if (catchall && !strict) for (const k in v) if (!known.has(k) && !catchall(v[k])) return false;
    if (strict) for (const k in v) if (!known.has(k)) return false;
    return true;
  };
}

function compileNode(node: Node): Check {
  const def = node._zod.def;
  // A schema that is itself a check (z.int(), z.email(), z.iso.date()) keeps it outside `checks`.
  if (def.check !== undefined) throw new Error(`compileValidator: unsupported schema-level check ${def.check}`);
  switch (def.type) {
    case 'string':
      return withChecks((v) => typeof v === 'string', def);
    case 'number':
      return withChecks((v) => typeof v === 'number' && Number.isFinite(v), def);
    case 'boolean':
      return withChecks((v) => typeof v === 'boolean', def);
    case 'unknown':
    case 'any':
      return () => true;
    case 'never':
      return () => false;
    case 'enum': {
      const set = new Set(Object.values(def.entries ?? {}));
      return withChecks((v) => set.has(v as string), def);
    }
    case 'literal': {
      const set = new Set(def.values ?? []);
      return withChecks((v) => set.has(v), def);
    }
    case 'nullable': {
      const inner = compileNode(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compileNode(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      const el = compileNode(def.element!);
      return withChecks((v) => {
        if (!Array.isArray(v)) return false;
        for (const x of v) if (!el(x)) return false;
        return true;
      }, def);
    }
    case 'object':
      return withChecks(compileObject(def), def);
    default:
      throw new Error(`compileValidator: unsupported schema type ${def.type}`);
  }
}

/** Compiles `schema` once into a boolean check that agrees with `schema.safeParse(v).success`. */
export function compileValidator(schema: z.ZodType): Check {
  return compileNode(schema as unknown as Node);
}
