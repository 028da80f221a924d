/** Small labelled inputs for the document forms (every input has a visible label). */
import type { ReactNode } from 'react';

let seq = 0;
const nextId = (): string => `docf-${++seq}`;

interface TextProps {
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: 'text' | 'date' | 'tel';
  required?: boolean;
  multiline?: boolean;
  hint?: string;
}

export function TextField({
  label,
  value,
  onChange,
  type = 'text',
  required = false,
  multiline = false,
  hint,
}: TextProps) {
  const id = nextId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {multiline ? (
        <textarea id={id} value={value} rows={3} required={required} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <input id={id} type={type} value={value} required={required} onChange={(e) => onChange(e.target.value)} />
      )}
      {hint ? <p className="hint">{hint}</p> : null}
    </div>
  );
}

export function CheckField({
  label,
  checked,
  onChange,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
}) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

export function FieldGroup({ legend, children }: { legend: string; children: ReactNode }) {
  return (
    <fieldset className="doc-group">
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}
