/**
 * 检查表单: the task's items grouped by department, findings text, result codes (未发现问题
 * exclusive), check methods and follow-ups. Every change autosaves; 完成并锁定 flushes the last
 * change, then finalizes; problems come back next to their fields.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Controller, useForm, useWatch, type Control } from 'react-hook-form';
import { USCC_NOTE_MAX, type Enterprise, type Reference, type Task } from '../../../../shared/protocol/index.js';
import {
  CHECK_METHODS,
  CHECK_METHOD_LABELS,
  FOLLOW_UPS,
  FOLLOW_UP_LABELS,
  RESULT_CODES,
  RESULT_CODE_LABELS,
  toggleResultCode,
} from '../../../../shared/domain/results.js';
import { publicationDeadline, isValidIsoDate, chinaDate } from '../../../../shared/domain/dates.js';
import { matchLenient, type LenientHistory } from '../../../../shared/domain/lenient.js';
import { findTemplate, templateCheckItems } from '../../../../shared/domain/check-template.js';
import { SE525_TEMPLATE_ID, isSpecialEquipmentUser } from '../../../../shared/domain/se-525.js';
import { services } from '../../services/index.js';
import { DateInput } from '../../ui/DateInput.js';
import type { Draft, FinalizeProblem, StoredResult } from '../../services/index.js';
import { EnterpriseAside } from '../enterprises/EnterpriseAside.js';
import { usccCheckFailure } from '../../../../shared/domain/uscc.js';
import { UsccCheck } from '../../ui/UsccCheck.js';
import { groupByDepartment } from '../tasks/group-items.js';
import { CodeCheckboxes, toggleIn } from './CodeCheckboxes.js';
import { ItemFieldset } from './ItemFieldset.js';
import { lookHereReasons } from './look-here.js';
import {
  FieldProblem,
  ProblemsContext,
  problemAria,
  problemId,
  report,
  stillOpen,
  toProblemMap,
  useProblemAria,
  type Reported,
} from './problems.js';
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

/** Scrolls to the field a problem belongs to and focuses its first control. */
function focusProblem(path: string): void {
  const message = document.getElementById(problemId(path));
  const container = message?.closest('fieldset, .field') ?? message;
  if (!container) return;
  container.scrollIntoView({ block: 'center' });
  container.querySelector<HTMLElement>('input, textarea, select')?.focus({ preventScroll: true });
}

function ProblemSummary({ problems, attempt }: { problems: readonly FinalizeProblem[]; attempt: number }) {
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
          <div className="form-head card">
            <div className="field-row">
              <InspectedOnField control={control} />
              <div className="field">
                <span className="label">公示截止日期</span>
                <p className="value" data-testid="publication-deadline">
                  {deadline ?? '—'}{' '}
                  <span className="muted small">（检查日起 {reference?.publicationWorkingDays ?? 20} 个工作日）</span>
                </p>
              </div>
            </div>
            <p className="small muted">
              检查人员：
              {task.team.map((m) => `${m.name}（${m.certNo}）${m.role === 'leader' ? '·组长' : ''}`).join('，')}
            </p>
          </div>
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
