/**
 * Fault injection for tests. Rules are matched by
 * method and a path regex and fire `times` times. They never change the protocol: they only make the
 * network or the server misbehave the way real ones do.
 */
import { z } from 'zod';

export const FAULT_KINDS = [
  'fail-before-commit',
  'fail-after-commit',
  'drop-mid-body',
  'drop-after-commit',
  'delay-after-commit',
  'delay',
  'status',
  'expire-token',
  'lose-attachment',
  /** The PUT commits and answers 201, then the first attachment's blob is lost (storage failure after acceptance). */
  'lose-attachment-after-commit',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultRuleInputSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  /** HTTP method, or '*' for any. */
  method: z.string().default('*'),
  /** Regular expression tested against the request path (without the query). */
  path: z.string().min(1),
  times: z.number().int().positive().default(1),
  /** Matching requests let through untouched before the rule starts firing (e.g. cut the 10th PATCH). */
  skip: z.number().int().nonnegative().default(0),
  ms: z.number().int().nonnegative().max(600_000).default(0),
  status: z.number().int().min(400).max(599).default(503),
  retryAfter: z.number().int().nonnegative().nullable().default(null),
});
export type FaultRuleInput = z.input<typeof FaultRuleInputSchema>;

export interface FaultRule {
  readonly id: number;
  readonly kind: FaultKind;
  readonly method: string;
  readonly path: RegExp;
  readonly ms: number;
  readonly status: number;
  readonly retryAfter: number | null;
  remaining: number;
  skip: number;
  fired: number;
}

export class Faults {
  private rules: FaultRule[] = [];
  private nextId = 1;

  add(input: FaultRuleInput): FaultRule {
    const r = FaultRuleInputSchema.parse(input);
    const rule: FaultRule = {
      id: this.nextId++,
      kind: r.kind,
      method: r.method.toUpperCase(),
      path: new RegExp(r.path),
      ms: r.ms,
      status: r.status,
      retryAfter: r.retryAfter,
      remaining: r.times,
      skip: r.skip,
      fired: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  clear(): void {
    this.rules = [];
  }

  list(): readonly FaultRule[] {
    return this.rules;
  }

  /** First live rule for this request; counts it as fired. */
  take(method: string, path: string): FaultRule | null {
    const rule = this.rules.find(
      (r) => r.remaining > 0 && (r.method === '*' || r.method === method) && r.path.test(path),
    );
    if (!rule) return null;
    if (rule.skip > 0) {
      rule.skip -= 1;
      return null;
    }
    rule.remaining -= 1;
    rule.fired += 1;
    return rule;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
