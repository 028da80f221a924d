/**
 * The list of problems that kept a result from being locked, focused at each attempt; each entry
 * scrolls to its field and focuses the field's first control.
 */
import { useEffect, useRef } from 'react';
import type { FinalizeProblem } from '../../services/index.js';
import { problemId } from './problems.js';

/** Scrolls to the field a problem belongs to and focuses its first control. */
function focusProblem(path: string): void {
  const message = document.getElementById(problemId(path));
  const container = message?.closest('fieldset, .field') ?? message;
  if (!container) return;
  container.scrollIntoView({ block: 'center' });
  container.querySelector<HTMLElement>('input, textarea, select')?.focus({ preventScroll: true });
}

export function ProblemSummary({ problems, attempt }: { problems: readonly FinalizeProblem[]; attempt: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [attempt]);
  if (problems.length === 0) return null;
  return (
    <div className="alert alert-danger" role="alert" tabIndex={-1} ref={ref}>
      <strong>还不能锁定，请先处理以下 {problems.length} 个问题：</strong>
      <ul>
        {problems.map((p, i) => (
          <li key={`${p.path}-${i}`}>
            <button type="button" className="linklike" onClick={() => focusProblem(p.path)}>
              {p.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
