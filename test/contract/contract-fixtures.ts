/**
 * Golden request/response files written from the protocol text (not generated from the shared
 * schemas), and the helpers both contract tests use: load them, fill `{{placeholders}}` with values
 * only known at run time, and compare a real answer's SHAPE with the golden one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface GoldenMessage {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}
export interface GoldenResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}
export interface Fixture {
  /** `<endpoint>/<case>`, e.g. `results/put-201`. */
  readonly name: string;
  /** "protocol": written from the protocol text; "implementation": from the code's documented behaviour. */
  readonly source: 'protocol' | 'implementation';
  readonly description: string;
  readonly request: GoldenMessage;
  readonly response: GoldenResponse;
  /** Top-level body fields whose golden VALUE the protocol fixes for this case (not just the type). */
  readonly exact?: readonly string[];
  /** No field beyond the golden ones may appear (public answers: internal data must never leak). */
  readonly closed?: boolean;
}

const ROOT = join(import.meta.dirname, 'fixtures');

export function loadFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const dir of readdirSync(ROOT).sort()) {
    for (const file of readdirSync(join(ROOT, dir)).sort()) {
      if (!file.endsWith('.json')) continue;
      const raw = JSON.parse(readFileSync(join(ROOT, dir, file), 'utf8')) as Omit<Fixture, 'name'>;
      if (raw.source !== 'protocol' && raw.source !== 'implementation')
        throw new Error(`${dir}/${file}: source must be "protocol" or "implementation"`);
      out.push({ ...raw, name: `${dir}/${file.replace(/\.json$/, '')}` });
    }
  }
  return out;
}

const WHOLE = /^\{\{(\w+)\}\}$/;
const PART = /\{\{(\w+)\}\}/g;

/** Replace `{{name}}` placeholders; a string that is only a placeholder takes the value as is (objects too). */
export function fill(value: unknown, ctx: Readonly<Record<string, unknown>>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    const key = whole?.[1];
    if (key !== undefined) {
      if (!(key in ctx)) throw new Error(`no value for placeholder {{${key}}}`);
      return ctx[key];
    }
    return value.replace(PART, (_, k: string) => {
      if (!(k in ctx)) throw new Error(`no value for placeholder {{${k}}}`);
      return String(ctx[k]);
    });
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, ctx)]));
  return value;
}

/** A regular expression for a golden path: placeholders match one path or query segment. */
export function pathPattern(path: string): RegExp {
  const parts = path.split(PART);
  const re = parts.map((p, i) => (i % 2 === 1 ? '[^/?&]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${re}$`);
}

const kindOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * Differences in shape between a golden body and a real one: every field of the golden body must
 * be there with the same JSON type (a golden null accepts any type: nullable fields); an error's
 * `code` and a feed change's `kind` must be equal; ids, timestamps and other values are not
 * compared. A feed's changes are matched to the golden change of the same `kind` (upsert /
 * tombstone); other array elements to the first golden element.
 */
export function shapeDiff(golden: unknown, actual: unknown, at = '$', closed = false): string[] {
  if (golden === null) return [];
  if (kindOf(golden) !== kindOf(actual)) return [`${at}: expected ${kindOf(golden)}, got ${kindOf(actual)}`];
  if (Array.isArray(golden)) {
    const items = actual as unknown[];
    if (golden.length === 0) return [];
    if (!at.endsWith('.changes')) return items.flatMap((item, i) => shapeDiff(golden[0], item, `${at}[${i}]`, closed));
    return items.flatMap((item, i) => {
      const k = kindOf(item) === 'object' ? (item as Record<string, unknown>).kind : undefined;
      const match =
        golden.find((g) => kindOf(g) === 'object' && (g as Record<string, unknown>).kind === k) ?? golden[0];
      return k !== undefined && !golden.some((g) => (g as Record<string, unknown> | null)?.kind === k)
        ? [`${at}[${i}]: kind ${String(k)} is not among the golden kinds`]
        : shapeDiff(match, item, `${at}[${i}]`, closed);
    });
  }
  if (kindOf(golden) === 'object') {
    const g = golden as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const extra = closed ? Object.keys(a).filter((k) => !(k in g)) : [];
    const leaks = extra.map((k) => `${at}.${k}: not in the golden answer`);
    return leaks.concat(
      Object.keys(g).flatMap((k) => {
        if (!(k in a)) return [`${at}.${k}: missing`];
        if ((k === 'kind' && /\.changes\[\d+\]$/.test(at)) || (at === '$.error' && k === 'code'))
          return g[k] === a[k] ? [] : [`${at}.${k}: expected ${JSON.stringify(g[k])}, got ${JSON.stringify(a[k])}`];
        return shapeDiff(g[k], a[k], `${at}.${k}`, closed);
      }),
    );
  }
  return [];
}
