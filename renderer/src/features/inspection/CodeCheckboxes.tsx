/**
 * A checkbox group (fieldset + legend) over an enum with zh-CN labels, for result codes, check
 * methods and follow-ups. `toggle` decides the new selection (result codes use the shared
 * exclusivity rule: 未发现问题 clears the others and vice versa).
 */
import { useProblem, problemId } from './problems.js';

interface Props<C extends string> {
  readonly legend: string;
  readonly path: string;
  readonly codes: readonly C[];
  readonly labels: Readonly<Record<C, string>>;
  readonly value: readonly C[];
  readonly toggle: (current: readonly C[], code: C) => C[];
  readonly onChange: (next: C[]) => void;
  readonly onBlur?: () => void;
  readonly hint?: string;
  readonly disabled?: boolean;
}

export function CodeCheckboxes<C extends string>(props: Props<C>) {
  const { legend, path, codes, labels, value, toggle, onChange, onBlur, hint, disabled } = props;
  const problem = useProblem(path);
  return (
    <fieldset
      className={`checks ${problem ? 'has-problem' : ''}`}
      aria-describedby={problem ? problemId(path) : undefined}
      aria-invalid={problem ? true : undefined}
    >
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      <div className="check-grid">
        {codes.map((code) => (
          <label key={code} className={`check ${value.includes(code) ? 'checked' : ''}`}>
            <input
              type="checkbox"
              checked={value.includes(code)}
              disabled={disabled}
              onChange={() => onChange(toggle(value, code))}
              onBlur={onBlur}
            />
            <span>{labels[code]}</span>
          </label>
        ))}
      </div>
      {problem ? (
        <p className="field-error" id={problemId(path)}>
          {problem}
        </p>
      ) : null}
    </fieldset>
  );
}

/** Plain multi-select toggle that keeps the enum's canonical order. */
export function toggleIn<C extends string>(all: readonly C[]) {
  return (current: readonly C[], code: C): C[] => {
    const set = new Set(current);
    if (set.has(code)) set.delete(code);
    else set.add(code);
    return all.filter((c) => set.has(c));
  };
}
