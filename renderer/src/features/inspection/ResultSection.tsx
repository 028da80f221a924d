/** 检查结果: the findings text and the result codes (未发现问题 exclusive), check methods and follow-ups. */
import { Controller, type Control, type UseFormRegister } from 'react-hook-form';
import {
  CHECK_METHODS,
  CHECK_METHOD_LABELS,
  FOLLOW_UPS,
  FOLLOW_UP_LABELS,
  RESULT_CODES,
  RESULT_CODE_LABELS,
  toggleResultCode,
} from '../../../../shared/domain/results.js';
import type { Draft } from '../../services/index.js';
import { CodeCheckboxes, toggleIn } from './CodeCheckboxes.js';
import { FieldProblem } from './problems.js';

interface Props {
  readonly control: Control<Draft>;
  readonly register: UseFormRegister<Draft>;
}

export function ResultSection({ control, register }: Props) {
  return (
    <section aria-labelledby="result-title" className="card">
      <h2 id="result-title">检查结果</h2>
      <div className="field">
        <label htmlFor="findings">发现问题情况</label>
        <textarea id="findings" rows={4} placeholder="检查中发现的问题、现场情况说明" {...register('findings')} />
        <FieldProblem path="findings" />
      </div>
      <Controller
        control={control}
        name="resultCodes"
        render={({ field }) => (
          <CodeCheckboxes
            legend="检查结果"
            path="resultCodes"
            codes={RESULT_CODES}
            labels={RESULT_CODE_LABELS}
            value={field.value}
            toggle={toggleResultCode}
            onChange={field.onChange}
            onBlur={field.onBlur}
            hint="可多选；“未发现问题”不能与其他结果同时选择。"
          />
        )}
      />
      <Controller
        control={control}
        name="checkMethods"
        render={({ field }) => (
          <CodeCheckboxes
            legend="核查方式"
            path="checkMethods"
            codes={CHECK_METHODS}
            labels={CHECK_METHOD_LABELS}
            value={field.value}
            toggle={toggleIn(CHECK_METHODS)}
            onChange={field.onChange}
            onBlur={field.onBlur}
          />
        )}
      />
      <Controller
        control={control}
        name="followUps"
        render={({ field }) => (
          <CodeCheckboxes
            legend="后续处置措施"
            path="followUps"
            codes={FOLLOW_UPS}
            labels={FOLLOW_UP_LABELS}
            value={field.value}
            toggle={toggleIn(FOLLOW_UPS)}
            onChange={field.onChange}
            onBlur={field.onBlur}
          />
        )}
      />
    </section>
  );
}
