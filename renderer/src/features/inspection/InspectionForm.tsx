/**
 * 检查表单: the task's items grouped by department, findings text, result codes (未发现问题
 * exclusive), check methods and follow-ups. Every change autosaves; 完成并锁定 flushes the last
 * change, then finalizes; problems come back next to their fields. Its sections sit beside it: the
 * head (FormHead.tsx), the problem list (ProblemSummary.tsx), the result fields (ResultSection.tsx).
 */
import { useEffect, useMemo, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { USCC_NOTE_MAX, type Enterprise, type Reference, type Task } from '../../../../shared/protocol/index.js';
import { publicationDeadline, isValidIsoDate, chinaDate } from '../../../../shared/domain/dates.js';
import { matchLenient, type LenientHistory } from '../../../../shared/domain/lenient.js';
import { findTemplate, templateCheckItems } from '../../../../shared/domain/check-template.js';
import { SE525_TEMPLATE_ID, isSpecialEquipmentUser } from '../../../../shared/domain/se-525.js';
import { services } from '../../services/index.js';
import type { Draft, StoredResult } from '../../services/index.js';
import { EnterpriseAside } from '../enterprises/EnterpriseAside.js';
import { usccCheckFailure } from '../../../../shared/domain/uscc.js';
import { UsccCheck } from '../../ui/UsccCheck.js';
import { groupByDepartment } from '../tasks/group-items.js';
import { FormHead } from './FormHead.js';
import { ItemFieldset } from './ItemFieldset.js';
import { lookHereReasons } from './look-here.js';
import {
  FieldProblem,
  ProblemsContext,
  problemAria,
  report,
  stillOpen,
  toProblemMap,
  type Reported,
} from './problems.js';
import { ProblemSummary } from './ProblemSummary.js';
import { ResultSection } from './ResultSection.js';
import { SaveStatusText } from '../../ui/SaveStatusText.js';
import { EvidencePanel } from './EvidencePanel.js';
import { SignaturePanel } from './SignaturePanel.js';
import { TemplateBar } from './TemplateBar.js';
import './inspection.css';
import { useAutosave } from './useAutosave.js';

interface Props {
  readonly task: Task;
  readonly draft: Draft;
  readonly enterprise: Enterprise | null;
  readonly reference: Reference | null;
  readonly onFinalized: (result: StoredResult) => void;
}

/**
 * Keystrokes the last session journaled but never saved come back first (see services/inspection/draft-journal.ts):
 * the journal is read from IndexedDB before the form opens, so the form never starts from older text.
 */
export function InspectionForm(props: Props) {
  const { draft } = props;
  const [journal, setJournal] = useState<{ readonly resultId: string; readonly draft: Draft | null } | null>(null);
  const ready = journal !== null && journal.resultId === draft.resultId;
  useEffect(() => {
    if (ready) return;
    let live = true;
    void services.inspection.journal.read(draft).then((found) => {
      if (live) setJournal({ resultId: draft.resultId, draft: found });
    });
    return () => {
      live = false;
    };
  }, [draft, ready]);
  if (!ready) return <p role="status">正在打开检查表单…</p>;
  return <InspectionFormBody key={journal.resultId} {...props} journaled={journal.draft} />;
}

function InspectionFormBody({
  task,
  draft,
  enterprise,
  reference,
  onFinalized,
  journaled: replayed,
}: Props & { readonly journaled: Draft | null }) {
  const [journaled] = useState(replayed);
  const form = useForm<Draft>({ defaultValues: journaled ?? draft });
  const { control, register, setValue, getValues } = form;
  const autosave = useAutosave(() => getValues());
  const [reported, setReported] = useState<Reported>({ problems: [], seen: [], attempt: 0 });
  const problems = reported.problems;
  const problemMap = useMemo(() => toProblemMap(problems), [problems]);
  // This component provides the problems context, so its own fields read the map directly.
  const usccNoteAria = problemAria(problemMap, 'usccNote');
  const [finalizing, setFinalizing] = useState(false);
  const [finalizeError, setFinalizeError] = useState<string | null>(null);
  const now = useMemo(() => new Date(), []);
  const usccIssue = usccCheckFailure(task.enterprise.uscc);

  const { schedule } = autosave;
  const { subscribe } = form;
  useEffect(
    () =>
      subscribe({
        formState: { values: true },
        callback: ({ values }) => {
          schedule();
          setReported((r) => (r.problems.length === 0 ? r : stillOpen(r, values)));
        },
      }),
    [subscribe, schedule],
  );
  useEffect(() => {
    if (journaled) schedule(); // store the replayed keystrokes in the draft now
  }, [journaled, schedule]);

  const inspectedOn = useWatch({ control, name: 'inspectedOn' });
  const deadline =
    reference && isValidIsoDate(inspectedOn)
      ? publicationDeadline(inspectedOn, reference.calendar, reference.publicationWorkingDays)
      : null;
  const draftItems = useWatch({ control, name: 'items' });
  const itemsByCode = useMemo(
    () =>
      new Map(
        [...task.items, ...(reference?.checkTemplates ?? []).flatMap((t) => templateCheckItems(t))].map((it) => [
          it.code,
          it,
        ]),
      ),
    [task.items, reference],
  );
  const lookHere = useMemo(
    () => lookHereReasons(task.items, enterprise, chinaDate(now), reference?.warningScheme?.levels),
    [task.items, enterprise, now, reference],
  );
  const history = useMemo<LenientHistory>(
    () => ({ penalties: enterprise?.penalties ?? [], spotChecks: enterprise?.spotChecks ?? [] }),
    [enterprise],
  );
  const lenientFor = (code: string) => ({
    entries: isValidIsoDate(inspectedOn) ? matchLenient(code, reference?.lenientList ?? [], inspectedOn) : [],
    history,
    inspectedOn,
  });
  // Offered only when this device's reference data carries the template (older stored data has none).
  const se525 = findTemplate(reference?.checkTemplates, SE525_TEMPLATE_ID);
  const seUser = isSpecialEquipmentUser({
    equipmentCount: enterprise?.specialEquipment.length ?? 0,
    seKeyUnit: enterprise?.internal.seKeyUnit ?? false,
    itemDepartments: task.items.map((i) => i.department),
  });
  const groups = groupByDepartment(
    draftItems.map((d, index) => {
      const item = itemsByCode.get(d.itemCode);
      return {
        index,
        code: d.itemCode,
        item,
        department: item?.department ?? '-',
        departmentName: item?.departmentName ?? '其他事项',
      };
    }),
  );

  const finalize = async (): Promise<void> => {
    setFinalizing(true);
    setFinalizeError(null);
    try {
      const saved = await autosave.flush();
      if (!saved) {
        setFinalizeError('草稿还没有保存成功，请稍候再试。');
        return;
      }
      const outcome = await services.inspection.finalize(task.id);
      if (outcome.ok) onFinalized(outcome.result);
      else setReported((r) => report(r, outcome.problems, getValues()));
    } catch (err) {
      setFinalizeError(err instanceof Error ? err.message : String(err));
    } finally {
      setFinalizing(false);
    }
  };

  return (
    <ProblemsContext.Provider value={problemMap}>
      <div className="inspect-grid">
        {/* autoComplete off: Chromium otherwise keeps typed values (ID numbers, findings) in clear in its
            own files — autofill history and the session-restore state — outside our sealed store. */}
        <form
          className="inspect-form"
          autoComplete="off"
          onSubmit={(e) => e.preventDefault()}
          onBlur={() => void autosave.flush()}
          aria-labelledby="inspect-title"
          noValidate
        >
          <FormHead
            control={control}
            deadline={deadline}
            workingDays={reference?.publicationWorkingDays}
            team={task.team}
          />
          {journaled ? (
            <p className="alert alert-info" role="status" data-testid="journal-restored">
              已恢复上次关闭前未及保存的输入，请核对。
            </p>
          ) : null}
          <ProblemSummary problems={problems} attempt={reported.attempt} />
          {usccIssue ? (
            <section aria-labelledby="uscc-check-title" className="card">
              <h2 id="uscc-check-title">统一社会信用代码核对</h2>
              <UsccCheck uscc={task.enterprise.uscc} />
              <div className="field">
                <label htmlFor="uscc-note">营业执照核对说明</label>
                <textarea
                  id="uscc-note"
                  rows={2}
                  maxLength={USCC_NOTE_MAX}
                  placeholder="例如：与营业执照原件核对一致，系登记机关赋码问题"
                  {...register('usccNote')}
                  {...usccNoteAria}
                />
                <FieldProblem path="usccNote" />
              </div>
            </section>
          ) : null}

          <section aria-labelledby="checklist-title" className="card">
            <h2 id="checklist-title">检查事项</h2>
            {groups.map((g) => (
              <div key={g.department} className="dept-group">
                {groups.length > 1 ? <h3>{g.departmentName}</h3> : null}
                {g.items.map((it) => (
                  <ItemFieldset
                    key={it.code}
                    index={it.index}
                    item={it.item}
                    itemCode={it.code}
                    control={control}
                    register={register}
                    setValue={setValue}
                    lookHere={lookHere.get(it.code) ?? []}
                    lenient={lenientFor(it.code)}
                  />
                ))}
              </div>
            ))}
            {seUser && se525 ? <TemplateBar template={se525} control={control} setValue={setValue} /> : null}
          </section>

          <EvidencePanel taskId={task.id} resultId={draft.resultId} register={register} />

          <ResultSection control={control} register={register} />

          <SignaturePanel
            taskId={task.id}
            resultId={draft.resultId}
            control={control}
            register={register}
            setValue={setValue}
          />

          <div className="finalize-bar">
            <SaveStatusText status={autosave.status} idleText="已打开草稿，修改会自动保存" testId="save-status" />
            {finalizeError ? (
              <p className="field-error" role="alert">
                锁定失败：{finalizeError}
              </p>
            ) : null}
            <button
              type="button"
              className="btn btn-primary btn-large"
              onClick={() => void finalize()}
              disabled={finalizing}
            >
              完成并锁定
            </button>
            <span className="small muted">锁定后不可再修改；如需更正，将另建一条更正记录。</span>
          </div>
        </form>
        <EnterpriseAside e={enterprise} now={now} />
      </div>
    </ProblemsContext.Provider>
  );
}
