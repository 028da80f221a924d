/**
 * Finalize problems shown next to their fields: a context maps form paths (as the service reports
 * them, e.g. `items.2.finding.description`) to zh-CN messages.
 */
import { createContext, useContext } from 'react';
import type { FinalizeProblem } from '../../services/index.js';

export type ProblemMap = ReadonlyMap<string, string>;

export const ProblemsContext = createContext<ProblemMap>(new Map());

export function toProblemMap(problems: readonly FinalizeProblem[]): ProblemMap {
  const map = new Map<string, string>();
  for (const p of problems) {
    const prev = map.get(p.path);
    map.set(p.path, prev ? `${prev}；${p.message}` : p.message);
  }
  return map;
}

/** The value at a problem's path in the form values (`items.2.finding.description`), as comparable text. */
export function valueAt(values: unknown, path: string): string {
  let v = values;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return 'undefined';
    v = (v as Record<string, unknown>)[key];
  }
  return JSON.stringify(v) ?? 'undefined';
}

/**
 * Finalize problems as reported, with the value each one was about at that moment. A problem is
 * dropped as soon as the inspector changes that value (the next lock attempt checks again), so a
 * fixed field no longer shows its old message; a problem on anything the form does not hold (the
 * team, say) stays until the next attempt.
 */
export interface Reported {
  readonly problems: readonly FinalizeProblem[];
  readonly seen: readonly string[];
  /** Counts lock attempts: the summary takes focus once per attempt, never while the inspector types. */
  readonly attempt: number;
}

export function report(prev: Reported, problems: readonly FinalizeProblem[], values: unknown): Reported {
  return { problems, seen: problems.map((p) => valueAt(values, p.path)), attempt: prev.attempt + 1 };
}

export function stillOpen(r: Reported, values: unknown): Reported {
  const keep = r.problems.map((p, i) => valueAt(values, p.path) === r.seen[i]);
  if (keep.every(Boolean)) return r;
  return { problems: r.problems.filter((_, i) => keep[i]), seen: r.seen.filter((_, i) => keep[i]), attempt: r.attempt };
}

/** Problem message for a path, also matching problems reported on a child path. */
export function useProblem(path: string): string | undefined {
  return problemAt(useContext(ProblemsContext), path);
}

/** The same lookup for a component that provides the context itself (its own hooks cannot see it). */
export function problemAt(map: ProblemMap, path: string): string | undefined {
  const exact = map.get(path);
  if (exact) return exact;
  for (const [k, v] of map) if (k.startsWith(`${path}.`)) return v;
  return undefined;
}

export function problemId(path: string): string {
  return `problem-${path.replace(/[^a-zA-Z0-9]/g, '-')}`;
}

export function FieldProblem({ path }: { path: string }) {
  const message = useProblem(path);
  if (!message) return null;
  return (
    <p className="field-error" id={problemId(path)}>
      {message}
    </p>
  );
}

/** aria attributes for an input that may have a problem. */
export function useProblemAria(path: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return problemAria(useContext(ProblemsContext), path);
}

export function problemAria(map: ProblemMap, path: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return problemAt(map, path) ? { 'aria-invalid': true, 'aria-describedby': problemId(path) } : {};
}
