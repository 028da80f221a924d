/**
 * Finalize problems shown next to their fields: a context maps form paths (as the service reports
 * them, e.g. `items.2.finding.description`) to zh-CN messages.
 */
import { createContext, useContext } from 'react';
import type { FinalizeProblem } from '../../services/api.js';

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

/** Problem message for a path, also matching problems reported on a child path. */
export function useProblem(path: string): string | undefined {
  const map = useContext(ProblemsContext);
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
  const message = useProblem(path);
  return message ? { 'aria-invalid': true, 'aria-describedby': problemId(path) } : {};
}
