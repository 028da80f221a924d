/**
 * 首违不罚 / 轻微违法不予处罚 for one 不符合 finding: the matching list entries with their
 * conditions as the credit file shows them (first violation, corrected in time) and the one the
 * inspector judges (minor harm), then the decision and its reason — all draft fields. The order
 * to correct is still required and said so.
 */
import { useEffect } from 'react';
import { useWatch, type Control, type UseFormRegister, type UseFormSetValue } from 'react-hook-form';
import { lenientConditions, type LenientHistory } from '../../../../shared/domain/lenient.js';
import type { LenientEntry } from '../../../../shared/protocol/index.js';
import type { Draft } from '../../services/index.js';
import { FieldProblem } from './problems.js';

interface Props {
  readonly index: number;
  readonly entries: readonly LenientEntry[];
  readonly history: LenientHistory;
  readonly inspectedOn: string;
  readonly control: Control<Draft>;
  readonly register: UseFormRegister<Draft>;
  readonly setValue: UseFormSetValue<Draft>;
}

// 满足/不满足, not 符合/不符合: those words already mean an item's outcome on the same screen.
const STATE_TEXT = { met: '满足', 'not-met': '不满足', inspector: '待检查人员判断' } as const;

export function LenientBox({ index, entries, history, inspectedOn, control, register, setValue }: Props) {
  const base = `items.${index}.finding` as const;
  const finding = useWatch({ control, name: base });
  const lenient = finding?.lenient ?? null;
  const first = entries[0];

  useEffect(() => {
    if (first && !lenient)
      setValue(
        `${base}.lenient`,
        { code: first.code, decision: '', minorHarm: false, reason: '' },
        { shouldDirty: true },
      );
  }, [first, lenient, base, setValue]);

  if (!finding || !lenient) return null;
  const entry = entries.find((e) => e.code === lenient.code) ?? first;
  if (!entry) return null;
  const checks = lenientConditions(entry, history, finding, inspectedOn);
  const id = (f: string): string => `item-${index}-lenient-${f}`;
  return (
    <div className="lenient-box" role="group" aria-label="免罚清单">
      <p className="lenient-title">
        本项属于{entry.kind === 'mandatory' ? '“轻微违法不予处罚”' : '“首违可不罚”'}清单事项（{entry.code}，
        {entry.listVersion}）
      </p>
      <p className="small">
        {entry.violation}；处罚依据：{entry.penaltyBasis}；
        {entry.effectiveTo
          ? `有效期 ${entry.effectiveFrom} 至 ${entry.effectiveTo}`
          : `自 ${entry.effectiveFrom} 起施行`}
      </p>
      {entries.length > 1 ? (
        <select aria-label="适用的清单事项" {...register(`${base}.lenient.code`)}>
          {entries.map((e) => (
            <option key={e.code} value={e.code}>
              {e.code} {e.violation}
            </option>
          ))}
        </select>
      ) : null}
      <ul aria-label="适用条件">
        {checks.map((c) => {
          // Minor harm is the inspector's call: once the box below is ticked, say so here too.
          const confirmed = c.key === 'minorHarm' && c.state === 'inspector' && lenient.minorHarm;
          return (
            <li key={c.key}>
              {c.label}：
              <span className={`cond-${confirmed ? 'met' : c.state}`}>{confirmed ? '满足' : STATE_TEXT[c.state]}</span>{' '}
              <span className="small muted">{confirmed ? '检查人员已现场确认' : c.detail}</span>
            </li>
          );
        })}
      </ul>
      <label className="check-inline">
        <input type="checkbox" {...register(`${base}.lenient.minorHarm`)} /> 经现场核实，危害后果轻微
      </label>
      <div className="field-row">
        <div className="field">
          <label htmlFor={id('decision')}>检查人员决定</label>
          <select id={id('decision')} {...register(`${base}.lenient.decision`)}>
            <option value="">请选择</option>
            <option value="apply">适用不予处罚（仍责令改正）</option>
            <option value="decline">不适用</option>
          </select>
        </div>
        <div className="field grow">
          <label htmlFor={id('reason')}>理由</label>
          <input id={id('reason')} {...register(`${base}.lenient.reason`)} placeholder="如：当场改正，未造成危害后果" />
        </div>
      </div>
      <p className="small muted">依法不予处罚的，仍应当责令改正并进行教育。</p>
      <FieldProblem path={`${base}.lenient`} />
    </div>
  );
}
