/** The form's head: the inspection date, the publication deadline it gives, and the inspection team. */
import { Controller, type Control } from 'react-hook-form';
import type { Task } from '../../../../shared/protocol/index.js';
import type { Draft } from '../../services/index.js';
import { DateInput } from '../../ui/DateInput.js';
import { FieldProblem, useProblemAria } from './problems.js';

function InspectedOnField({ control }: { control: Control<Draft> }) {
  const aria = useProblemAria('inspectedOn');
  return (
    <div className="field">
      <label htmlFor="inspected-on">检查日期</label>
      <Controller
        control={control}
        name="inspectedOn"
        render={({ field }) => (
          <DateInput id="inspected-on" value={field.value} onChange={field.onChange} onBlur={field.onBlur} {...aria} />
        )}
      />
      <FieldProblem path="inspectedOn" />
    </div>
  );
}

interface Props {
  readonly control: Control<Draft>;
  /** The publication deadline of the inspection date, or null while the date is not valid. */
  readonly deadline: string | null;
  /** The reference data's working days to publish (absent: the default 20). */
  readonly workingDays: number | undefined;
  readonly team: Task['team'];
}

export function FormHead({ control, deadline, workingDays, team }: Props) {
  return (
    <div className="form-head card">
      <div className="field-row">
        <InspectedOnField control={control} />
        <div className="field">
          <span className="label">公示截止日期</span>
          <p className="value" data-testid="publication-deadline">
            {deadline ?? '—'} <span className="muted small">（检查日起 {workingDays ?? 20} 个工作日）</span>
          </p>
        </div>
      </div>
      <p className="small muted">
        检查人员：
        {team.map((m) => `${m.name}（${m.certNo}）${m.role === 'leader' ? '·组长' : ''}`).join('，')}
      </p>
    </div>
  );
}
