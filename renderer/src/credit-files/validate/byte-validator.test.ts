/**
 * The byte validator never says "valid" when JSON.parse + zod would not: realistic credit-file lines
 * (from the simulator's generator) are all accepted with the right captures, and tens of thousands
 * of mutated lines are checked against the oracle (fatal UTF-8 decode, JSON.parse, safeParse).
 * A schema using every supported node type gets the same treatment. The PRNG is seeded: a failure
 * names its seed (override with BYTE_VALIDATOR_SEED=...).
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnterpriseChangeSchema, EnterpriseUpsertSchema, type Enterprise } from '../../../../shared/protocol/index.js';
import { generateUsccs, makeEnterprise } from '../../../../test/platform/gen/enterprises.js';
import { createRng, type Rng } from '../../../../test/platform/gen/prng.js';
import { compileByteValidator, type ByteValidator } from './byte-validator.js';
import { SUMMARY_CAPTURES } from '../summary-columns.js';

const SEED = Number(process.env['BYTE_VALIDATOR_SEED'] ?? '20260301');

const UpsertSchema = EnterpriseUpsertSchema; // what the app compiles (enterprise-prepare.ts)
// The summary captures the app compiles, so the test checks exactly those.
const CAPTURES = SUMMARY_CAPTURES;
const upsert = compileByteValidator(UpsertSchema, CAPTURES);

const utf8 = new TextEncoder();
const fatal = new TextDecoder('utf-8', { fatal: true });

/** The ground truth: what the caller's fallback would conclude. */
function oracle(schema: z.ZodType, bytes: Uint8Array): { ok: boolean; value: unknown } {
  try {
    const value: unknown = JSON.parse(fatal.decode(bytes));
    return { ok: schema.safeParse(value).success, value };
  } catch {
    return { ok: false, value: undefined };
  }
}

function at(v: unknown, path: readonly string[]): unknown {
  let x = v;
  for (const k of path) {
    if (x === null || typeof x !== 'object' || Array.isArray(x) || !Object.prototype.hasOwnProperty.call(x, k))
      return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return x;
}

function show(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  return text.length > 300 ? `${text.slice(0, 300)}…(${bytes.length} bytes)` : text;
}

interface Tally {
  cases: number;
  accepted: number;
  oracleTrue: number;
  plainOracleTrue: number;
  plainAccepted: number;
  failures: string[];
}
const tally = (): Tally => ({
  cases: 0,
  accepted: 0,
  oracleTrue: 0,
  plainOracleTrue: 0,
  plainAccepted: 0,
  failures: [],
});

/** One differential case: validator true => oracle true and captures equal JSON.parse's values. */
function check(
  t: Tally,
  v: ByteValidator,
  schema: z.ZodType,
  caps: readonly (readonly string[])[],
  bytes: Uint8Array,
  label: string,
  plain: boolean,
  range?: { buf: Uint8Array; start: number },
): void {
  const out: unknown[] = ['stale'];
  const got = range ? v(range.buf, range.start, range.start + bytes.length, out) : v(bytes, 0, bytes.length, out);
  const o = oracle(schema, bytes);
  t.cases++;
  if (o.ok) {
    t.oracleTrue++;
    if (plain) t.plainOracleTrue++;
  }
  if (!got) return;
  t.accepted++;
  if (plain) t.plainAccepted++;
  if (!o.ok) {
    t.failures.push(`[seed ${SEED}] ${label}: accepted what the oracle rejects: ${show(bytes)}`);
    return;
  }
  caps.forEach((path, i) => {
    const want = at(o.value, path);
    if (!Object.is(out[i], want))
      t.failures.push(
        `[seed ${SEED}] ${label}: capture ${path.join('.')} = ${String(out[i])}, JSON.parse says ${String(want)}: ${show(bytes)}`,
      );
  });
}

function assertClean(t: Tally): void {
  expect(t.failures.slice(0, 5), `seed ${SEED}: ${t.failures.length} failures`).toEqual([]);
}

// ---- realistic records from the simulator's generator ----

const RECORDS = 2000;

function realisticRecords(): Enterprise[] {
  const rec = createRng(`${SEED}:enterprises`);
  return generateUsccs(SEED, RECORDS).map((u) => makeEnterprise(rec, '2026-03-01', u));
}

const records = realisticRecords();
const envelope = (e: unknown, seq: number): Record<string, unknown> => ({ kind: 'upsert', seq, enterprise: e });
const lines = records.map((e, i) => utf8.encode(JSON.stringify(envelope(e, i + 1))));

// ---- a JSON writer with duplicate keys, raw values, escapes and whitespace ----

/** A value written verbatim (odd number forms, hand-made escapes). */
class Raw {
  constructor(readonly text: string) {}
}
/** An object written key by key, in order: duplicates allowed. */
class Entries {
  constructor(readonly entries: readonly (readonly [string, unknown])[]) {}
}

interface Style {
  readonly ws: number;
  readonly escKeys: number;
  readonly escStrings: number;
}
const PLAIN: Style = { ws: 0, escKeys: 0, escStrings: 0 };
const WS = [' ', '\t', '\n', '\r', '  ', ' \n\t\r '];

function hex4(u: number, rng: Rng): string {
  const h = u.toString(16).padStart(4, '0');
  return `\\u${rng.chance(0.5) ? h : h.toUpperCase()}`;
}

function writeString(s: string, rng: Rng, escape: boolean): string {
  if (!escape) return JSON.stringify(s);
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const pair = u >= 0xd800 && u <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const lone = !pair && u >= 0xd800 && u <= 0xdfff;
    if (lone || u < 0x20 || u === 0x22 || u === 0x5c || rng.chance(0.4)) {
      if (!lone && u !== 0x22 && u !== 0x5c && u >= 0x20 && rng.chance(0.3) && !pair)
        out += u === 0x2f ? '\\/' : hex4(u, rng);
      else if (u === 0x22) out += rng.chance(0.5) ? '\\"' : hex4(u, rng);
      else if (u === 0x5c) out += rng.chance(0.5) ? '\\\\' : hex4(u, rng);
      else if (u === 0x0a && rng.chance(0.5)) out += '\\n';
      else out += hex4(u, rng);
      if (pair) {
        out += hex4(s.charCodeAt(i + 1), rng);
        i++;
      }
    } else {
      out += pair ? s.slice(i, i + 2) : s[i];
      if (pair) i++;
    }
  }
  return `${out}"`;
}

function write(v: unknown, rng: Rng, st: Style): string {
  const w = (): string => (st.ws > 0 && rng.chance(st.ws) ? rng.pick(WS) : '');
  if (v instanceof Raw) return v.text;
  if (typeof v === 'string') return writeString(v, rng, st.escStrings > 0 && rng.chance(st.escStrings));
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${w()}${v.map((x) => write(x, rng, st)).join(`${w()},${w()}`)}${w()}]`;
  const entries = v instanceof Entries ? v.entries : Object.entries(v as Record<string, unknown>);
  const body = entries.map(
    ([k, x]) => `${writeString(k, rng, st.escKeys > 0 && rng.chance(st.escKeys))}${w()}:${w()}${write(x, rng, st)}`,
  );
  return `{${w()}${body.join(`${w()},${w()}`)}${w()}}`;
}

// ---- mutations of a record (as a value) ----

type Path = (string | number)[];

function paths(v: unknown, here: Path = []): Path[] {
  const out: Path[] = here.length > 0 ? [here] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...here, i])));
  else if (v && typeof v === 'object' && !(v instanceof Raw) && !(v instanceof Entries))
    for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...here, k]));
  return out;
}

function parentOf(root: unknown, path: Path): Record<string | number, unknown> {
  let p = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) p = p[k] as Record<string | number, unknown>;
  return p;
}

const valueAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], root);
const isObject = (x: unknown): x is Record<string, unknown> =>
  x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Raw) && !(x instanceof Entries);
const objectPaths = (v: unknown): Path[] => [[], ...paths(v).filter((p) => isObject(valueAt(v, p)))];
const objectAt = (root: unknown, path: Path): Record<string, unknown> => valueAt(root, path) as Record<string, unknown>;

const NUMBER_FORMS = [
  '1e400',
  '-1e400',
  '-0',
  '0',
  '1.0',
  '1E2',
  '1e+2',
  '100e-2',
  '1e-400',
  '01',
  '1.',
  '.5',
  '-',
  '+1',
  '1e',
  '1e+',
  '--1',
  '0x10',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '123456789012345678901234567890',
  '2.5',
  '0.1',
  '-1',
  '1.5e3',
  '12.50',
  '5e-324',
  '1.7976931348623157e308',
  '1.8e308',
  'NaN',
  'Infinity',
  '1_000',
];

/** A random JSON number text: up to 20 integer and 20 fraction digits, exponents up to ±330. */
function numberText(rng: Rng): string {
  const digits = (n: number): string => Array.from({ length: n }, () => String(rng.int(0, 9))).join('');
  const int = rng.chance(0.2) ? '0' : String(rng.int(1, 9)) + digits(rng.int(0, 19));
  const frac = rng.chance(0.5) ? `.${digits(rng.int(1, 20))}` : '';
  const exp = rng.chance(0.5)
    ? `${rng.pick(['e', 'E'])}${rng.pick(['', '+', '-'])}${rng.chance(0.7) ? rng.int(0, 30) : rng.int(0, 330)}`
    : '';
  return `${rng.chance(0.2) ? '-' : ''}${int}${frac}${exp}`;
}

function randomString(rng: Rng): string {
  const parts = [
    'a',
    '名',
    '😀',
    '\u00e9',
    '"',
    '\\',
    '/',
    '\n',
    '\u2028',
    '\u007f',
    ' ',
    '2024-02-29',
    '2023-02-29',
    '371002',
    '91371002MA3C4XYZ5K',
    '存续',
    'A',
    'red',
  ];
  let s = '';
  const n = rng.int(0, 4);
  for (let i = 0; i < n; i++) s += rng.pick(parts);
  return s;
}

function randomValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, 12)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.int(-3, 5000);
    case 3:
      return rng.next() * 1e6 - 1e3;
    case 4:
      return new Raw(rng.chance(0.5) ? rng.pick(NUMBER_FORMS) : numberText(rng));
    case 5:
      return rng.pick([
        '2024-02-29',
        '2024-02-30',
        '2023-13-01',
        '存续',
        '注销',
        'A',
        'F',
        'red',
        'purple',
        '371002',
        '37100',
        '',
        '2025-01',
        '2025-1',
        'upsert',
        '抽查',
        '已报送',
      ]);
    case 6:
      return randomString(rng);
    case 7:
      return depth < 3 ? [randomValue(rng, depth + 1), randomValue(rng, depth + 1)].slice(0, rng.int(0, 2)) : [];
    case 8:
      return depth < 3 ? { a: randomValue(rng, depth + 1) } : {};
    case 9:
      return '名'.repeat(rng.int(95, 105));
    case 10:
      return rng.pick([0, 1, -1, 1.5, 100, 2024]);
    default:
      return rng.pick(['抽查', '检查', '告知承诺', '履行中', '红名单', '已修复', 'green', 'blue', 'B', 'C', 'E']);
  }
}

function deepValue(depth: number, rng: Rng): Raw {
  return rng.chance(0.5)
    ? new Raw(`${'['.repeat(depth)}${']'.repeat(depth)}`)
    : new Raw(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
}

/** A string the length of which is near the name's bounds: `units` UTF-16 units, part emoji. */
function nearLimitName(rng: Rng): string {
  const emoji = rng.int(0, 60);
  const units = rng.pick([1, 2, 99, 100, 101, 102, 120, 160, 200]);
  const rest = Math.max(0, units - emoji * 2);
  return '😀'.repeat(Math.min(emoji, Math.floor(units / 2))) + '企'.repeat(rest);
}

interface Case {
  readonly value: unknown;
  readonly style: Style;
  readonly plain: boolean;
  readonly label: string;
}

function mutateRecord(rng: Rng, base: Record<string, unknown>, other: Record<string, unknown>): Case {
  const r = structuredClone(base);
  const all = paths(r);
  const kind = rng.int(0, 12);
  switch (kind) {
    case 0:
    case 1: {
      // a node replaced by a value of any kind
      const p = rng.pick(all);
      parentOf(r, p)[p[p.length - 1]!] = randomValue(rng);
      return { value: r, style: PLAIN, plain: true, label: `set ${p.join('.')}` };
    }
    case 2: {
      // a key or array element removed
      const p = rng.pick(all);
      const parent = parentOf(r, p);
      if (Array.isArray(parent)) parent.splice(Number(p[p.length - 1]), 1);
      else delete parent[p[p.length - 1]!];
      return { value: r, style: PLAIN, plain: true, label: `delete ${p.join('.')}` };
    }
    case 3: {
      // an unknown key, possibly a prototype name
      const p = rng.pick(objectPaths(r));
      const k = rng.pick([
        'unexpected',
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '名称',
        '',
        'kind',
        'Name',
        'name ',
      ]);
      const obj = objectAt(r, p);
      const entries: (readonly [string, unknown])[] = [...Object.entries(obj), [k, randomValue(rng)]];
      if (rng.chance(0.5)) entries.unshift([k, randomValue(rng)]);
      replaceObject(r, p, new Entries(entries));
      // A key already in the object makes this a duplicate (not plain); __proto__ as an own key is still exact.
      return {
        value: r,
        style: PLAIN,
        plain: !(k in obj),
        label: `unknown key ${JSON.stringify(k)} at ${p.join('.')}`,
      };
    }
    case 4: {
      // duplicate keys: valid then other, other then valid, or the same twice
      const p = rng.pick(objectPaths(r));
      const obj = objectAt(r, p);
      const keys = Object.keys(obj);
      if (keys.length === 0) return { value: r, style: PLAIN, plain: true, label: 'no keys' };
      const k = rng.pick(keys);
      const alt = rng.chance(0.3) ? structuredClone(obj[k]) : randomValue(rng);
      const entries: (readonly [string, unknown])[] = [];
      for (const [kk, vv] of Object.entries(obj)) {
        if (kk === k && rng.chance(0.5)) entries.push([kk, alt], [kk, vv]);
        else if (kk === k) entries.push([kk, vv], [kk, alt]);
        else entries.push([kk, vv]);
      }
      replaceObject(r, p, new Entries(entries));
      return { value: r, style: PLAIN, plain: false, label: `duplicate ${[...p, k].join('.')}` };
    }
    case 5: // the whole enterprise twice: captures must come from the last
      return {
        value: new Entries([
          ['kind', 'upsert'],
          ['enterprise', other['enterprise']],
          ['seq', r['seq']],
          ['enterprise', r['enterprise']],
        ]),
        style: PLAIN,
        plain: false,
        label: 'enterprise twice',
      };
    case 6: // escaped keys and strings, whitespace
      return {
        value: r,
        style: { ws: rng.pick([0, 0.2]), escKeys: rng.pick([0, 0.3, 1]), escStrings: rng.pick([0.3, 1]) },
        plain: false,
        label: 'escapes',
      };
    case 7: {
      // lone surrogates and hand-made escapes inside a string
      const strings = all.filter((p) => typeof parentOf(r, p)[p[p.length - 1]!] === 'string');
      const p = rng.pick(strings);
      const s = JSON.stringify(parentOf(r, p)[p[p.length - 1]!]).slice(1, -1);
      const cut = rng.int(0, s.length);
      const ins = rng.pick([
        '\\ud800',
        '\\udc00',
        '\\uD83D\\uDE00',
        '\\ud83d',
        '\\uDE00\\uD83D',
        '\\u00E9',
        '\\x41',
        '\\u12G4',
        "\\'",
        '\\U0041',
        '\\/',
        '\\u0000',
        '\\',
        '\\"',
      ]);
      parentOf(r, p)[p[p.length - 1]!] = new Raw(`"${s.slice(0, cut)}${ins}${s.slice(cut)}"`);
      return { value: r, style: PLAIN, plain: false, label: `escape in ${p.join('.')}` };
    }
    case 8: {
      // names near the length bounds, in UTF-16 units and code points
      (r['enterprise'] as Record<string, unknown>)['name'] = nearLimitName(rng);
      return {
        value: r,
        style: { ws: 0, escKeys: 0, escStrings: rng.pick([0, 0.5]) },
        plain: false,
        label: 'name near bounds',
      };
    }
    case 9: {
      // number forms at a number (or any) leaf
      const nums = all.filter((p) => typeof parentOf(r, p)[p[p.length - 1]!] === 'number');
      const p = rng.chance(0.8) && nums.length > 0 ? rng.pick(nums) : rng.pick(all);
      const form = rng.pick(NUMBER_FORMS);
      parentOf(r, p)[p[p.length - 1]!] = new Raw(form);
      return { value: r, style: PLAIN, plain: true, label: `number ${form} at ${p.join('.')}` };
    }
    case 10: // JSON whitespace between tokens
      return {
        value: r,
        style: { ws: rng.pick([0.05, 0.5, 1]), escKeys: 0, escStrings: 0 },
        plain: true,
        label: 'whitespace',
      };
    case 11: {
      // deep nesting under an unknown key or a field
      const depth = rng.pick([1, 30, 58, 59, 60, 61, 62, 63, 64, 65, 100, 2000]);
      const p = rng.pick(objectPaths(r));
      const obj = objectAt(r, p);
      const k = rng.chance(0.7) ? 'deep' : rng.pick(Object.keys(obj).concat('deep'));
      replaceObject(r, p, new Entries([...Object.entries(obj).filter(([kk]) => kk !== k), [k, deepValue(depth, rng)]]));
      return { value: r, style: PLAIN, plain: false, label: `depth ${depth} at ${[...p, k].join('.')}` };
    }
    default: {
      // a realistic line with the other record's fields mixed in
      const e = r['enterprise'] as Record<string, unknown>;
      const o = other['enterprise'] as Record<string, unknown>;
      const k = rng.pick(Object.keys(o));
      e[k] = structuredClone(o[k]);
      return { value: r, style: PLAIN, plain: true, label: `mixed ${k}` };
    }
  }
}

function replaceObject(root: Record<string, unknown>, path: Path, obj: Entries): void {
  if (path.length === 0) {
    for (const k of Object.keys(root)) delete root[k];
    (root as Record<string, unknown>)['__entries'] = obj;
    return;
  }
  parentOf(root, path)[path[path.length - 1]!] = obj;
}

/** The root replaced by Entries is stored under __entries (see replaceObject). */
function rootValue(v: unknown): unknown {
  if (
    v &&
    typeof v === 'object' &&
    !(v instanceof Entries) &&
    (v as Record<string, unknown>)['__entries'] instanceof Entries
  )
    return (v as Record<string, unknown>)['__entries'];
  return v;
}

// ---- byte-level mutations ----

const SIGNIFICANT = [...'"{}[],:\\ 0123456789eE-+.tfnu/'].map((c) => c.charCodeAt(0));
const UTF8_SEQUENCES = [
  [0xc0, 0xaf],
  [0xe0, 0x80, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xe4, 0xb8],
  [0x80],
  [0xbf],
  [0xc1, 0xbf],
  [0xf5, 0x80, 0x80, 0x80],
  [0xff],
  [0xfe],
  [0xef, 0xbb, 0xbf],
  [0xc2, 0xa0],
  [0xe3, 0x80, 0x80],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xe0, 0xa0, 0x80],
  [0xed, 0x9f, 0xbf],
  [0xee, 0x80, 0x80],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xc2, 0x80],
  [0xdf, 0xbf],
  [0x00],
  [0x01],
  [0x1f],
  [0x7f],
  [0x09],
  [0x0a],
  [0x0b],
  [0x0c],
  [0x0d],
];

function mutateBytes(rng: Rng, src: Uint8Array): { bytes: Uint8Array; label: string } {
  const b = Array.from(src);
  const ops: string[] = [];
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const pos = rng.int(0, b.length);
    switch (rng.int(0, 4)) {
      case 0:
        b[Math.min(pos, b.length - 1)] = rng.chance(0.5) ? rng.int(0, 255) : rng.pick(SIGNIFICANT);
        ops.push(`flip@${pos}`);
        break;
      case 1:
        b.splice(
          pos,
          0,
          ...Array.from({ length: rng.int(1, 3) }, () => (rng.chance(0.5) ? rng.int(0, 255) : rng.pick(SIGNIFICANT))),
        );
        ops.push(`insert@${pos}`);
        break;
      case 2:
        b.splice(pos, rng.int(1, 4));
        ops.push(`delete@${pos}`);
        break;
      case 3: {
        const seq = rng.pick(UTF8_SEQUENCES);
        b.splice(pos, 0, ...seq);
        ops.push(`utf8 ${seq.map((x) => x.toString(16)).join(' ')}@${pos}`);
        break;
      }
      default: {
        const i0 = Math.min(pos, b.length - 2);
        const x = b[i0]!;
        b[i0] = b[i0 + 1]!;
        b[i0 + 1] = x;
        ops.push(`swap@${i0}`);
      }
    }
  }
  return { bytes: Uint8Array.from(b), label: ops.join(',') };
}

const FRAMES: readonly [string, (s: string) => string, boolean][] = [
  ['BOM', (s) => `\ufeff${s}`, false],
  ['leading ws', (s) => ` \t\r\n${s}`, true],
  ['trailing ws', (s) => `${s}\n \r\t`, true],
  ['trailing garbage', (s) => `${s}x`, true],
  ['two values', (s) => `${s} ${s}`, true],
  ['trailing comma', (s) => `${s},`, true],
  ['array of it', (s) => `[${s}]`, true],
  ['empty', () => '', true],
  ['only ws', () => ' \n', true],
  ['nbsp', (s) => `\u00a0${s}`, true],
  ['vertical tab', (s) => `${s}\u000b`, true],
  ['form feed', (s) => `\f${s}`, true],
  ['NUL after', (s) => `${s}\u0000`, true],
  ['string', (s) => JSON.stringify(s), true],
];

describe('compileByteValidator(upsert envelope) on realistic credit-file lines', () => {
  it(`accepts all ${RECORDS} generated records and captures what JSON.parse reads`, () => {
    const t = tally();
    lines.forEach((line, i) => {
      expect(oracle(UpsertSchema, line).ok, `record ${i} must be valid for this test to mean anything`).toBe(true);
      check(t, upsert, UpsertSchema, CAPTURES, line, `record ${i}`, true);
    });
    assertClean(t);
    expect(t.accepted).toBe(RECORDS);
    expect(lines.reduce((s, l) => s + l.length, 0) / RECORDS).toBeGreaterThan(1000); // ~1.7 KB of mostly Chinese text
  });

  it('reads only bytes[start, end) of a larger buffer', () => {
    const t = tally();
    for (let i = 0; i < 50; i++) {
      const line = lines[i]!;
      const buf = new Uint8Array(line.length + 20).fill(0x20);
      buf.set(utf8.encode('{"kind":'), 0); // garbage before
      buf.set(line, 10);
      buf.set(utf8.encode('],"x":1}'), 10 + line.length); // garbage after
      check(t, upsert, UpsertSchema, CAPTURES, line, `embedded ${i}`, true, { buf, start: 10 });
    }
    assertClean(t);
    expect(t.accepted).toBe(50);
  });

  it('rejects every truncation of a line, also when the rest of the line follows in the buffer', () => {
    const t = tally();
    for (const line of [lines[0]!, lines[1]!, lines[2]!]) {
      for (let end = 0; end < line.length; end++) {
        const out: unknown[] = [];
        if (upsert(line, 0, end, out))
          t.failures.push(`[seed ${SEED}] accepted a truncation at ${end}: ${show(line.subarray(0, end))}`);
        check(t, upsert, UpsertSchema, CAPTURES, line.slice(0, end), `truncated at ${end}`, false);
      }
    }
    assertClean(t);
    expect(t.accepted).toBe(0);
  });

  it('agrees with JSON.parse + zod on thousands of mutated lines (never a false "valid")', () => {
    const rng = createRng(`${SEED}:mutations`);
    const t = tally();
    const plainFalse: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const j = rng.int(0, RECORDS - 1);
      const base = envelope(records[j], j + 1);
      const c = mutateRecord(rng, base, envelope(records[(j + 1) % RECORDS], j + 2));
      const bytes = utf8.encode(write(rootValue(c.value), rng, c.style));
      const before = t.plainAccepted;
      const beforeTrue = t.plainOracleTrue;
      check(t, upsert, UpsertSchema, CAPTURES, bytes, `#${i} ${c.label}`, c.plain);
      if (c.plain && t.plainOracleTrue > beforeTrue && t.plainAccepted === before) plainFalse.push(`#${i} ${c.label}`);
    }
    for (let i = 0; i < 4000; i++) {
      const { bytes, label } = mutateBytes(rng, lines[rng.int(0, RECORDS - 1)]!);
      check(t, upsert, UpsertSchema, CAPTURES, bytes, `bytes ${label}`, false);
    }
    for (const [label, frame, plainFrame] of FRAMES) {
      for (let i = 0; i < 20; i++) {
        const line = new TextDecoder().decode(lines[rng.int(0, RECORDS - 1)]!);
        check(t, upsert, UpsertSchema, CAPTURES, utf8.encode(frame(line)), `frame ${label}`, plainFrame);
      }
    }
    assertClean(t);
    // Not just answering "no": what the oracle accepts among plain mutations (no escapes, duplicate
    // keys, odd nesting, BOM), the validator accepts too.
    expect(t.plainOracleTrue).toBeGreaterThan(1000);
    expect(
      t.plainAccepted / t.plainOracleTrue,
      `seed ${SEED}: plain cases answered false: ${plainFalse.slice(0, 5).join('; ')}`,
    ).toBeGreaterThanOrEqual(0.95);
    expect(t.accepted).toBeGreaterThan(t.oracleTrue * 0.8);
  });

  it('handles hand-picked edge cases exactly', () => {
    const base = JSON.stringify(envelope(records[3], 7));
    const nameAt = base.indexOf('"name":');
    const withName = (raw: string): string => base.replace(/"name":"[^"]*"/, `"name":${raw}`);
    const cases: [string, boolean][] = [
      [base, true],
      [base.replace('"seq":7', '"seq":7.0'), true],
      [base.replace('"seq":7', '"seq":7e0'), true],
      [base.replace('"seq":7', '"seq":0.7E1'), true],
      [base.replace('"seq":7', '"seq":-0'), false],
      [base.replace('"seq":7', '"seq":1e400'), false],
      [base.replace('"seq":7', '"seq":9007199254740993'), false],
      [base.replace('"seq":7', '"seq":07'), false],
      [base.replace('"kind":"upsert"', '"kind":"\\u0075psert"'), true],
      [base.replace('"kind":"upsert"', '"\\u006bind":"upsert"'), true],
      [base.replace('"kind":"upsert"', '"kind":"upsert","kind":"tombstone"'), false],
      [base.replace('"kind":"upsert"', '"kind":"tombstone","kind":"upsert"'), true], // conservative: false is allowed here
      [withName('"\\ud83d\\ude00"'), true],
      [withName('"\\ud800"'), true],
      [withName('""'), false],
      [withName(`"${'名'.repeat(100)}"`), true],
      [withName(`"${'名'.repeat(101)}"`), false],
      [withName(`"${'😀'.repeat(50)}"`), true],
      [withName(`"${'😀'.repeat(51)}"`), true], // 102 units, 51 code points: zod's measure decides; the validator may say "not sure"
      [withName('"a\tb"'), false],
      [withName('"a\u007fb"'), true],
      [`${base.slice(0, nameAt)}"__proto__":{"x":1},${base.slice(nameAt)}`, true],
      [`${base.slice(0, nameAt)}"constructor":1,${base.slice(nameAt)}`, true],
      [`\ufeff${base}`, true], // BOM: TextDecoder drops it; the validator may say "not sure"
      [`${base} `, true],
      [`${base}{}`, false],
    ];
    const t = tally();
    cases.forEach(([text, expected], i) => {
      const bytes = utf8.encode(text);
      expect(oracle(UpsertSchema, bytes).ok, `case ${i} oracle`).toBe(expected);
      check(t, upsert, UpsertSchema, CAPTURES, bytes, `edge ${i}`, false);
    });
    assertClean(t);
    const out: unknown[] = [];
    const pair = utf8.encode(withName('"\\ud83d\\ude00x"'));
    expect(upsert(pair, 0, pair.length, out)).toBe(true);
    expect(out[3]).toBe('😀x');
    const lone = utf8.encode(withName('"a\\udc00"'));
    expect(upsert(lone, 0, lone.length, out)).toBe(true);
    expect(out[3]).toBe('a\udc00');
  });
});

// ---- every supported node type ----

const Kitchen = z.object({
  lit: z.literal('x'),
  multi: z.literal([1, true, null, 'y']),
  en: z.enum(['甲', 'b', 'c"q', 'd\\e', '\u00e9']),
  n: z.number().int().gt(-5).lte(1000).optional(),
  f: z.number().lt(1.5).gte(-1e300).nullable(),
  big: z.number(),
  s: z.string().min(2).max(5),
  re: z.string().regex(/^[a-c]+$/),
  refined: z.string().refine((v) => v.endsWith('!')),
  b: z.boolean().refine((v) => v),
  arr: z.array(z.number().int()).min(1).max(3),
  arrRef: z.array(z.string()).refine((a) => a.length !== 2),
  objRef: z.object({ a: z.number(), b: z.number() }).refine((o) => o.a < o.b),
  strict: z.object({ k: z.string() }).strict(),
  loose: z.object({ k: z.string().optional() }).loose(),
  numCatch: z.object({ k: z.boolean() }).catchall(z.number()),
  unk: z.unknown(),
  anyv: z.any().optional(),
  nev: z.never().optional(),
  nest: z
    .object({ deep: z.object({ leaf: z.string().nullable().optional(), n: z.number().optional() }).nullable() })
    .optional(),
  emo: z.string().max(4),
});
const KITCHEN_CAPTURES = [
  ['lit'],
  ['multi'],
  ['en'],
  ['n'],
  ['f'],
  ['big'],
  ['s'],
  ['refined'],
  ['b'],
  ['nest', 'deep', 'leaf'],
  ['nest', 'deep', 'n'],
  ['emo'],
] as const;
const kitchen = compileByteValidator(Kitchen, KITCHEN_CAPTURES);

/** Per field: values the schema accepts, then edge values (mostly rejected, some only by one measure). */
const KITCHEN_FIELDS: Readonly<Record<string, readonly [readonly unknown[], readonly unknown[]]>> = {
  lit: [['x'], ['X', 'x ', new Raw('"\\u0078"'), 1]],
  multi: [
    [1, true, null, 'y', new Raw('1.0'), new Raw('1e0')],
    [false, 2, 'Y', 'true', new Raw('10e-1')],
  ],
  en: [
    ['甲', 'b', 'c"q', 'd\\e', '\u00e9'],
    ['e\u0301', '乙', 'B', 'c\\"q', 'd\\\\e', ''],
  ],
  n: [
    [-4, 0, 999, 1000, new Raw('1E3'), new Raw('-4.0'), new Raw('-0')],
    [-5, 1001, 2.5, new Raw('1e400'), '3', null],
  ],
  f: [
    [null, -1e300, 1.4, 0, -2.5, 1.4999999999999998, new Raw('-1e300'), new Raw('1.49e0')],
    [1.5, -1.1e300, new Raw('-1e400'), new Raw('15e-1'), 'null'],
  ],
  big: [
    [0, 1e300, -7, 0.5, new Raw('1e308'), new Raw('-1.7976931348623157e308'), new Raw('1e-400')],
    [new Raw('1e309'), new Raw('-2e308'), '0', true],
  ],
  s: [
    ['ab', 'abcde', '😀😀', '中文字', 'a😀', 'a\ud800'],
    ['a', '😀', 'abcdef', '😀😀😀', '', 'abc😀😀'],
  ],
  re: [
    ['abc', 'a', 'cab'],
    ['', 'abd', 'ABC', 'a\n'],
  ],
  refined: [
    ['hi!', '!', '名!'],
    ['hi', '', '!?'],
  ],
  b: [[true], [false, 'true', 1, null]],
  arr: [
    [[1], [1, 2], [1, 2, 3], [new Raw('2.0')]],
    [[], [1, 2, 3, 4], [1.5], ['1'], null],
  ],
  arrRef: [
    [[], ['a'], ['a', 'b', 'c']],
    [['a', 'b'], [1], 'a'],
  ],
  objRef: [
    [
      { a: 1, b: 2 },
      { a: -1, b: 0, c: 'x' },
    ],
    [{ a: 2, b: 1 }, { a: 1, b: 1 }, { a: 1 }, { a: '1', b: 2 }],
  ],
  strict: [
    [{ k: 'v' }, { k: '' }],
    [
      { k: 'v', x: 1 },
      {},
      { k: 1 },
      new Entries([
        ['k', 'v'],
        ['__proto__', 1],
      ]),
    ],
  ],
  loose: [
    [{ k: 'v', extra: [1, { y: null }] }, {}, { x: new Raw('1e400') }],
    [{ k: 1 }, []],
  ],
  numCatch: [
    [{ k: false, x: 1, y: -2.5 }, { k: true }],
    [{ k: true, x: 'no' }, { k: true, x: null }, { k: true, y: new Raw('1e400') }, {}],
  ],
  unk: [[null, 0, 'x', [], {}, new Raw('1e400'), new Raw('-0')], []],
  anyv: [[null, 1, { a: [] }], []],
  nev: [[], [null, 0]],
  nest: [
    [{ deep: { leaf: 'L', n: 3 } }, { deep: null }, { deep: { leaf: null } }, { deep: {} }],
    [{ deep: { leaf: 5 } }, { deep: 'no' }, {}, null],
  ],
  emo: [
    ['', 'abcd', '😀😀', '😀a'],
    ['abcde', '😀😀😀', 'a😀😀😀'],
  ],
};
const KITCHEN_OPTIONAL = new Set(['n', 'anyv', 'nev', 'nest']);

function kitchenValue(rng: Rng): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  for (const [k, [good, edge]] of Object.entries(KITCHEN_FIELDS)) {
    if (KITCHEN_OPTIONAL.has(k) && rng.chance(k === 'nev' ? 0.97 : 0.3)) continue; // a present `never` always fails
    const list = edge.length > 0 && (good.length === 0 || rng.chance(0.03)) ? edge : good;
    if (list.length > 0) v[k] = rng.pick(list); // shared values are never mutated
  }
  return v;
}

const KITCHEN_POOL = (rng: Rng): unknown =>
  rng.pick([
    () => randomValue(rng),
    () => rng.pick([-5, -4, 1000, 1001, 1000.5, 1.5, 1.4999, -1e300, -1.1e300, 0, 3]),
    () => new Raw(rng.pick(NUMBER_FORMS)),
    () => new Raw(numberText(rng)),
    () =>
      rng.pick([
        'x',
        'y',
        'X',
        'ab',
        'abcdef',
        'a',
        '😀',
        '😀😀😀',
        'abc!',
        '',
        '甲',
        'c"q',
        'd\\e',
        '\u00e9',
        'e\u0301',
      ]),
    () => rng.pick([true, false, null]),
    () =>
      rng.pick([
        [],
        [1],
        [1, 2, 3, 4],
        [1.5],
        ['a', 'b'],
        { a: 2, b: 1 },
        { a: 1, b: 2, c: 'x' },
        { k: 'v', extra: 1 },
        { k: true, z: 'no' },
      ]),
    () => rng.pick([{ deep: { leaf: 'L' } }, { deep: { leaf: 5 } }, { deep: 'no' }, {}, null]),
  ])();

describe('compileByteValidator on a schema with every supported node type', () => {
  it('agrees with JSON.parse + zod on thousands of random values, formats and mutations', () => {
    const rng = createRng(`${SEED}:kitchen`);
    const t = tally();
    for (let i = 0; i < 8000; i++) {
      const v = kitchenValue(rng);
      const keys = Object.keys(v);
      let plain = true;
      const mutations = rng.chance(0.5) ? 0 : rng.int(1, 2);
      for (let m = 0; m < mutations; m++) {
        const k = rng.pick(keys);
        const op = rng.int(0, 5);
        if (op <= 2) v[k] = KITCHEN_POOL(rng);
        else if (op === 3) delete v[k];
        else if (op === 4) {
          // an own property even for __proto__, as JSON.parse makes it
          Object.defineProperty(v, rng.pick(['extra', '__proto__', 'nev', 'constructor']), {
            value: KITCHEN_POOL(rng),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          const sub = v[k];
          if (sub && typeof sub === 'object' && !Array.isArray(sub) && !(sub instanceof Raw)) {
            v[k] = new Entries([...Object.entries(sub), ['k', KITCHEN_POOL(rng)], ...Object.entries(sub).slice(0, 1)]);
            plain = false;
          }
        }
      }
      let value: unknown = v;
      if (rng.chance(0.1)) {
        const k = rng.pick(keys);
        value = new Entries([[k, KITCHEN_POOL(rng)], ...Object.entries(v)]); // an earlier duplicate of a top-level key
        plain = false;
      }
      const style: Style = rng.chance(0.5)
        ? PLAIN
        : { ws: rng.pick([0, 0.3]), escKeys: rng.pick([0, 0.5]), escStrings: rng.pick([0, 0.5, 1]) };
      check(t, kitchen, Kitchen, KITCHEN_CAPTURES, utf8.encode(write(value, rng, style)), `kitchen #${i}`, plain);
    }
    assertClean(t);
    expect(t.plainOracleTrue).toBeGreaterThan(1000);
    // Without duplicate keys, only a bound that depends on the string-length measure is "not sure".
    expect(t.plainAccepted / t.plainOracleTrue, `seed ${SEED}`).toBeGreaterThanOrEqual(0.95);
    expect(t.accepted / t.oracleTrue, `seed ${SEED}`).toBeGreaterThan(0.8);
  });

  it('clears captures of a duplicate key, so they come from the last occurrence', () => {
    const out: unknown[] = [];
    const base = {
      lit: 'x',
      multi: 1,
      en: 'b',
      f: null,
      big: 1,
      s: 'ab',
      re: 'a',
      refined: '!',
      b: true,
      arr: [1],
      arrRef: [],
      objRef: { a: 1, b: 2 },
      strict: { k: '' },
      loose: {},
      numCatch: { k: true },
      unk: 0,
      emo: '',
    };
    const text = (nest: string): string => JSON.stringify(base).replace(/}$/, `,${nest}}`);
    const cases: [string, unknown, unknown][] = [
      ['"nest":{"deep":{"leaf":"a","n":1}},"nest":{"deep":{"n":2}}', undefined, 2],
      ['"nest":{"deep":{"leaf":"a","n":1}},"nest":{"deep":null}', undefined, undefined],
      ['"nest":{"deep":{"leaf":"a","n":1}},"nest":{"deep":{"leaf":null}}', null, undefined],
      ['"nest":{"deep":{"leaf":"a","leaf":"b"}}', 'b', undefined],
      ['"nest":{"deep":{"leaf":"a"}}', 'a', undefined],
    ];
    for (const [nest, leaf, n] of cases) {
      const bytes = utf8.encode(text(nest));
      expect(oracle(Kitchen, bytes).ok).toBe(true);
      expect(kitchen(bytes, 0, bytes.length, out), nest).toBe(true);
      expect(out[9], nest).toBe(leaf);
      expect(out[10], nest).toBe(n);
    }
  });

  it('reads numbers exactly as JSON.parse does', () => {
    const rng = createRng(`${SEED}:numbers`);
    const schema = z.object({ v: z.number() });
    const v = compileByteValidator(schema, [['v']]);
    const loose = compileByteValidator(z.object({ v: z.unknown() }));
    const t = tally();
    const mismatches: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const text = i < NUMBER_FORMS.length ? NUMBER_FORMS[i]! : numberText(rng);
      const bytes = utf8.encode(`{"v":${text}}`);
      check(t, v, schema, [['v']], bytes, `number ${text}`, true);
      // Exact, not just safe: every number JSON accepts is accepted (finite ones by z.number()).
      const parsed = (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return undefined;
        }
      })();
      const want = typeof parsed === 'number' && Number.isFinite(parsed);
      if (v(bytes, 0, bytes.length, []) !== want || loose(bytes, 0, bytes.length, []) !== (parsed !== undefined))
        mismatches.push(text);
    }
    assertClean(t);
    expect(mismatches.slice(0, 5), `seed ${SEED}`).toEqual([]);
    expect(t.accepted).toBeGreaterThan(15000);
  });

  it('decodes short and long strings exactly (the string cache included)', () => {
    const rng = createRng(`${SEED}:strings`);
    const schema = z.object({ s: z.string(), t: z.string().max(30) });
    const v = compileByteValidator(schema, [['s'], ['t']]);
    const t = tally();
    const alphabet = ['a', 'b', '名', '😀', 'é', '\u0000', '\ud800', '\n', '"', '\\', '/'];
    const str = (): string =>
      Array.from({ length: rng.chance(0.9) ? rng.int(0, 12) : rng.int(13, 200) }, () =>
        rng.pick(alphabet.slice(0, rng.chance(0.7) ? 2 : alphabet.length)),
      ).join('');
    for (let i = 0; i < 20000; i++) {
      const value = { s: str(), t: str() };
      const style: Style = { ws: 0, escKeys: 0, escStrings: rng.pick([0, 0, 0.5]) };
      // Over 30 UTF-16 units but within 30 code points: a verdict that depends on the measure.
      const plain = value.t.length <= 30 || [...value.t].length > 30;
      check(
        t,
        v,
        schema,
        [['s'], ['t']],
        utf8.encode(write(value, rng, style)),
        `strings ${JSON.stringify(value)}`,
        plain,
      );
    }
    assertClean(t);
    expect(t.plainAccepted).toBe(t.plainOracleTrue); // all of them: nothing else here is "not sure"
    expect(t.plainAccepted).toBeGreaterThan(15000);
  });

  it('caps nesting depth: deep values are refused, never a stack overflow', () => {
    const schema = z.object({ a: z.unknown(), b: z.array(z.unknown()).optional() });
    const v = compileByteValidator(schema);
    const run = (text: string): boolean => {
      const bytes = utf8.encode(text);
      return v(bytes, 0, bytes.length, []);
    };
    expect(run(`{"a":${'['.repeat(62)}${']'.repeat(62)}}`)).toBe(true);
    expect(run(`{"a":1,"b":${'[{"x":'.repeat(30)}1${'}]'.repeat(30)}}`)).toBe(true);
    expect(run(`{"a":${'['.repeat(65)}${']'.repeat(65)}}`)).toBe(false);
    expect(run(`{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)).toBe(false);
    expect(run(`{"a":1,"b":${'[{"x":'.repeat(100_000)}1${'}]'.repeat(100_000)}}`)).toBe(false);
    expect(run(`{"a":${'['.repeat(100_000)}`)).toBe(false);
  });

  it('caps nesting depth for objects and arrays the schema itself walks, not only for unknown values', () => {
    const nested = (depth: number, wrap: (inner: z.ZodType) => z.ZodType) => {
      let schema: z.ZodType = z.number();
      for (let i = 0; i < depth; i++) schema = wrap(schema);
      return compileByteValidator(schema);
    };
    const run = (v: ByteValidator, text: string): boolean => {
      const bytes = utf8.encode(text);
      return v(bytes, 0, bytes.length, []);
    };
    const objects = (depth: number) => `${'{"c":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const arrays = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    expect(
      run(
        nested(60, (s) => z.object({ c: s })),
        objects(60),
      ),
    ).toBe(true);
    expect(
      run(
        nested(70, (s) => z.object({ c: s })),
        objects(70),
      ),
    ).toBe(false);
    expect(
      run(
        nested(60, (s) => z.array(s)),
        arrays(60),
      ),
    ).toBe(true);
    expect(
      run(
        nested(70, (s) => z.array(s)),
        arrays(70),
      ),
    ).toBe(false);
  });

  it('refuses re-entry from a refinement instead of corrupting its state', () => {
    let inner: ByteValidator | null = null;
    const bytes = utf8.encode('"x"');
    const schema = z.string().refine(() => inner!(bytes, 0, bytes.length, []));
    inner = compileByteValidator(schema, []);
    expect(inner(bytes, 0, bytes.length, [])).toBe(false);
    expect(compileByteValidator(z.string(), [])(bytes, 0, bytes.length, [])).toBe(true);
  });
});

describe('compileByteValidator refuses what it does not know', () => {
  it('throws at compile time on unsupported types, checks and captures', () => {
    const bad: [() => unknown, RegExp][] = [
      [() => compileByteValidator(z.object({ when: z.date() })), /unsupported schema type date/],
      [() => compileByteValidator(z.string().email()), /unsupported string format/],
      [() => compileByteValidator(z.string().length(3)), /unsupported string check length_equals/],
      [() => compileByteValidator(z.number().multipleOf(2)), /unsupported number check multiple_of/],
      [() => compileByteValidator(z.int32()), /unsupported number format int32/], // a schema that is itself a check
      [() => compileByteValidator(z.email()), /unsupported string format email/],
      [() => compileByteValidator(z.iso.date()), /unsupported string format date/],
      [() => compileByteValidator(z.union([z.string(), z.number()])), /unsupported schema type union/],
      [() => compileByteValidator(EnterpriseChangeSchema), /unsupported schema type union/],
      [() => compileByteValidator(z.string().transform((s) => s.length)), /unsupported schema type pipe/],
      [() => compileByteValidator(z.string().default('x')), /unsupported schema type default/],
      [
        () =>
          compileByteValidator(
            z
              .string()
              .nullable()
              .refine(() => true),
          ),
        /unsupported checks on nullable/,
      ],
      [() => compileByteValidator(z.object({ constructor: z.string() })), /collides with Object.prototype/],
      [() => compileByteValidator(UpsertSchema, [['enterprise']]), /not a scalar leaf/],
      [() => compileByteValidator(UpsertSchema, [['enterprise', 'licences', 'name']]), /is not in an object/],
      [() => compileByteValidator(UpsertSchema, [['enterprise', 'nope']]), /no key "nope"/],
      [() => compileByteValidator(UpsertSchema, [['seq'], ['seq']]), /duplicate capture path/],
      [() => compileByteValidator(UpsertSchema, [[]]), /empty capture path/],
    ];
    for (const [f, message] of bad) expect(f).toThrow(message);
  });

  it('treats a schema that is itself a check (z.int()) as that check', () => {
    const v = compileByteValidator(z.object({ n: z.int() }));
    for (const [text, ok] of [
      ['{"n":3}', true],
      ['{"n":3.5}', false],
      ['{"n":9007199254740992}', false],
    ] as const) {
      const bytes = utf8.encode(text);
      expect(oracle(z.object({ n: z.int() }), bytes).ok).toBe(ok);
      expect(v(bytes, 0, bytes.length, [])).toBe(ok);
    }
  });

  it('rejects a bad range instead of reading outside the buffer', () => {
    const bytes = utf8.encode('"x"');
    const v = compileByteValidator(z.string());
    expect(() => v(bytes, 0, 4, [])).toThrow(RangeError);
    expect(() => v(bytes, 2, 1, [])).toThrow(RangeError);
  });
});
