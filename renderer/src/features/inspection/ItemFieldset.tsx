/**
 * One check item: a radio group named by the item (符合 / 不符合 / 不涉及), a note, and — for
 * 不符合 — the finding (description, legal basis, severity, handling, rectify deadline). A finding
 * typed and then hidden by switching the outcome is remembered and restored if switched back.
 */
import { useEffect, useRef } from 'react';
import { Controller, useWatch, type Control, type UseFormRegister, type UseFormSetValue } from 'react-hook-form';
import type { LenientHistory } from '../../../../shared/domain/lenient.js';
import type { CheckItem, LenientEntry } from '../../../../shared/protocol/index.js';
import {
  FINDING_HANDLINGS,
  FINDING_HANDLING_LABELS,
  ITEM_OUTCOME_LABELS,
  type ItemOutcome,
} from '../../../../shared/domain/results.js';
import type { Draft, DraftItem } from '../../services/index.js';
import { Badge } from '../../ui/Badge.js';
import { DateInput } from '../../ui/DateInput.js';
import { LenientBox } from './LenientBox.js';
import { FieldProblem, useProblem, useProblemAria } from './problems.js';

const OUTCOME_CHOICES: readonly ItemOutcome[] = ['pass', 'fail', 'na', 'unchecked'];

interface Props {
  readonly index: number;
  readonly item: CheckItem | undefined;
  readonly itemCode: string;
  readonly control: Control<Draft>;
  readonly register: UseFormRegister<Draft>;
  readonly setValue: UseFormSetValue<Draft>;
  /** Why this enterprise's record says to look here (failed last time, …). */
  readonly lookHere: readonly string[];
  /** Lenient-list entries covering this item (首违不罚 / 轻微违法不予处罚). */
  readonly lenient: {
    readonly entries: readonly LenientEntry[];
    readonly history: LenientHistory;
    readonly inspectedOn: string;
  };
}

function emptyFinding(item: CheckItem | undefined): NonNullable<DraftItem['finding']> {
  return {
    description: '',
    legalBasis: item?.legalBasis ?? '',
    severity: item?.key ? 'key' : 'general',
    handling: 'rectify',
    rectifyDeadline: null,
    lenient: null,
  };
}

function FindingFields({
  index,
  control,
  register,
  setValue,
  lenient,
}: Pick<Props, 'index' | 'control' | 'register' | 'setValue' | 'lenient'>) {
  const base = `items.${index}.finding` as const;
  const handling = useWatch({ control, name: `${base}.handling` });
  const descAria = useProblemAria(`${base}.description`);
  const deadlineAria = useProblemAria(`${base}.rectifyDeadline`);
  const id = (f: string): string => `item-${index}-${f}`;
  return (
    <div className="finding" role="group" aria-label="发现的问题">
      <div className="field">
        <label htmlFor={id('desc')}>问题描述</label>
        <textarea id={id('desc')} rows={2} {...descAria} {...register(`${base}.description`)} />
        <FieldProblem path={`${base}.description`} />
      </div>
      <div className="field-row">
        <div className="field grow">
          <label htmlFor={id('basis')}>法律依据</label>
          <input id={id('basis')} {...register(`${base}.legalBasis`)} />
          <FieldProblem path={`${base}.legalBasis`} />
        </div>
        <div className="field">
          <label htmlFor={id('severity')}>问题性质</label>
          <select id={id('severity')} {...register(`${base}.severity`)}>
            <option value="general">一般事项</option>
            <option value="key">重点事项</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={id('handling')}>处理方式</label>
          <select id={id('handling')} {...register(`${base}.handling`)}>
            {FINDING_HANDLINGS.map((h) => (
              <option key={h} value={h}>
                {FINDING_HANDLING_LABELS[h]}
              </option>
            ))}
          </select>
        </div>
        {handling === 'rectify' ? (
          <div className="field">
            <label htmlFor={id('deadline')}>整改期限</label>
            <Controller
              control={control}
              name={`${base}.rectifyDeadline`}
              render={({ field }) => (
                <DateInput
                  id={id('deadline')}
                  value={field.value ?? null}
                  onChange={(v) => field.onChange(v === '' ? null : v)}
                  onBlur={field.onBlur}
                  {...deadlineAria}
                />
              )}
            />
            <FieldProblem path={`${base}.rectifyDeadline`} />
          </div>
        ) : null}
      </div>
      {lenient.entries.length > 0 ? (
        <LenientBox index={index} {...lenient} control={control} register={register} setValue={setValue} />
      ) : null}
    </div>
  );
}

export function ItemFieldset({ index, item, itemCode, control, register, setValue, lookHere, lenient }: Props) {
  const outcome = useWatch({ control, name: `items.${index}.outcome` });
  const remembered = useRef<DraftItem['finding']>(null);
  const outcomeProblem = useProblem(`items.${index}.outcome`);
  const legendId = `item-${index}-legend`;
  const name = item?.name ?? itemCode;

  const finding = useWatch({ control, name: `items.${index}.finding` });

  // Keep the finding in step with the outcome: 不符合 needs one; other outcomes hide it (remembered).
  useEffect(() => {
    if (outcome === 'fail' && !finding) {
      setValue(`items.${index}.finding`, remembered.current ?? emptyFinding(item), { shouldDirty: true });
    } else if (outcome !== 'fail' && finding) {
      remembered.current = finding;
      setValue(`items.${index}.finding`, null, { shouldDirty: true });
    }
  }, [outcome, finding, index, item, setValue]);

  return (
    <fieldset
      className={`item outcome-${outcome} ${outcomeProblem ? 'has-problem' : ''}`}
      role="radiogroup"
      aria-labelledby={legendId}
    >
      <legend id={legendId}>{name}</legend>
      <div className="item-meta small muted">
        <span className="mono">{itemCode}</span>
        {item?.key ? <Badge tone="warn">重点事项</Badge> : null}
        {item?.method ? <span>方法：{item.method}</span> : null}
        {item?.legalBasis ? <span>依据：{item.legalBasis}</span> : null}
      </div>
      {lookHere.length > 0 ? (
        <div className="look-here" data-testid={`look-here-${itemCode}`}>
          请重点关注：
          <ul className="look-here-list">
            {lookHere.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="item-row">
        <div className="outcomes">
          {OUTCOME_CHOICES.map((o) => (
            <label key={o} className={`outcome outcome-choice-${o}`}>
              <input type="radio" value={o} {...register(`items.${index}.outcome`)} />
              <span>{ITEM_OUTCOME_LABELS[o]}</span>
            </label>
          ))}
        </div>
        <div className="note-inline">
          <label htmlFor={`item-${index}-note`}>备注</label>
          <input id={`item-${index}-note`} {...register(`items.${index}.note`)} placeholder="可选" />
        </div>
      </div>
      {outcomeProblem ? <FieldProblem path={`items.${index}.outcome`} /> : null}
      {outcome === 'fail' && finding ? (
        <FindingFields index={index} control={control} register={register} setValue={setValue} lenient={lenient} />
      ) : null}
    </fieldset>
  );
}
