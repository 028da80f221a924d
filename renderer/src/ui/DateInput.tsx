/**
 * A date field that reads and shows dates the zh-CN way (YYYY-MM-DD; 2026/11/22, 20261122 and
 * 2026年11月22日 are understood and tidied on leaving the field), with the long form and weekday
 * beside it. Replaces <input type=date>, whose display (mm/dd/yyyy here) follows the browser's UI
 * language. What was typed is passed on as is until it names a date, so autosave never drops it;
 * the finalize check then names the field.
 */
import { useId, useState } from 'react';
import { longDate, parseDateText } from './date-text.js';

interface Props {
  readonly id: string;
  readonly value: string | null;
  /** The ISO date once the text names one, otherwise the raw text ('' when empty). */
  readonly onChange: (next: string) => void;
  readonly onBlur?: () => void;
  readonly 'aria-invalid'?: true;
  readonly 'aria-describedby'?: string;
}

export function DateInput({ id, value, onChange, onBlur, ...aria }: Props) {
  const hintId = useId();
  const [text, setText] = useState(value ?? '');
  const [seen, setSeen] = useState(value);
  // Follow a value set from outside (a replayed draft, a reset) without losing what is being typed.
  if (value !== seen) {
    setSeen(value);
    if ((parseDateText(text) ?? text) !== (value ?? '')) setText(value ?? '');
  }
  const iso = parseDateText(text);
  const unreadable = text.trim() !== '' && iso === null;
  const describedBy = [aria['aria-describedby'], hintId].filter(Boolean).join(' ');
  return (
    <span className="date-input">
      <input
        id={id}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder="年-月-日"
        maxLength={16}
        value={text}
        aria-invalid={aria['aria-invalid'] ?? (unreadable ? true : undefined)}
        aria-describedby={describedBy}
        onChange={(e) => {
          setText(e.target.value);
          onChange(parseDateText(e.target.value) ?? e.target.value.trim());
        }}
        onBlur={() => {
          if (iso) setText(iso);
          onBlur?.();
        }}
      />
      <span id={hintId} className={unreadable ? 'date-hint field-error' : 'date-hint small muted'}>
        {iso ? longDate(iso) : unreadable ? '请按“年-月-日”填写，如 2026-11-22' : '如 2026-11-22'}
      </span>
    </span>
  );
}
