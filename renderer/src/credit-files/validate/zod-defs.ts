/**
 * The parts of zod 4's internal schema definitions (`schema._zod.def`) that the two compiled
 * validators read (compiled-validator.ts over parsed values, byte-validator.ts over UTF-8 bytes),
 * and zod's measure of a string's length. Both refuse any definition they do not understand.
 */
export interface CheckDef {
  readonly check: string;
  readonly format?: string;
  readonly pattern?: RegExp;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly value?: unknown;
  readonly inclusive?: boolean;
  readonly when?: unknown;
  readonly fn?: (v: unknown) => unknown;
}

export interface Def {
  readonly type: string;
  /** Set when the schema is itself a check (z.int(), z.email(), z.iso.date()...). */
  readonly check?: string;
  readonly checks?: readonly { readonly _zod: { readonly def: CheckDef } }[];
  readonly shape?: Readonly<Record<string, ZNode>>;
  readonly catchall?: ZNode;
  readonly innerType?: ZNode;
  readonly element?: ZNode;
  readonly entries?: Readonly<Record<string, string | number>>;
  readonly values?: readonly unknown[];
}

export interface ZNode {
  readonly _zod: {
    readonly def: Def;
    readonly optin?: string;
    readonly optout?: string;
    readonly values?: ReadonlySet<unknown>;
  };
  readonly safeParse?: (v: unknown) => { readonly success: boolean };
}

/** Unicode code points, a lone surrogate counting one (how zod 4 measures a string's length). */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  }
  return n;
}
