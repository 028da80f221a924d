/**
 * Fill in (prefilled) details and generate a document: takes the next number from the reserved block.
 * What is typed is kept as a sealed draft while typing (useFormDraft) and restored when the form is
 * opened again, so a crash, a lock or leaving the page loses nothing; issuing deletes the draft.
 */
import { useCallback, useEffect, useState } from 'react';
import { services } from '../../services/index.js';
import { formatClock } from '../../ui/format.js';
import type {
  DocumentKindName,
  DocumentRequest,
  DirectiveDetails,
  EvidenceListDetails,
  PreservationDetails,
  FoodResultDetails,
  NoticeDetails,
  QuestioningDetails,
  ServiceProofDetails,
  RecordDetails,
  RectificationDetails,
} from '../../services/index.js';
import { NoticeForm, RecordForm, RectificationForm } from './DocumentForms.js';
import { DirectiveForm, EvidenceListForm, FoodResultForm, PreservationForm, ServiceProofForm } from './CaseForms.js';
import { QuestioningForm } from './QuestioningForm.js';
import { SaveStatusText } from '../../ui/SaveStatusText.js';
import { useFormDraft } from './useFormDraft.js';

type Details = DocumentRequest['details'];

interface Props {
  taskId: string;
  kind: DocumentKindName;
  title: string;
  onIssued: (docId: string) => void;
  onCancel: () => void;
}

function FormFor({
  taskId,
  kind,
  value,
  onChange,
}: {
  taskId: string;
  kind: DocumentKindName;
  value: Details;
  onChange: (v: Details) => void;
}) {
  if (kind === 'notice') return <NoticeForm value={value as NoticeDetails} onChange={onChange} />;
  if (kind === 'record') return <RecordForm value={value as RecordDetails} onChange={onChange} />;
  if (kind === 'questioning') return <QuestioningForm value={value as QuestioningDetails} onChange={onChange} />;
  if (kind === 'evidence') return <EvidenceListForm value={value as EvidenceListDetails} onChange={onChange} />;
  if (kind === 'foodResult') return <FoodResultForm value={value as FoodResultDetails} onChange={onChange} />;
  if (kind === 'directive') return <DirectiveForm value={value as DirectiveDetails} onChange={onChange} />;
  if (kind === 'preservation') return <PreservationForm value={value as PreservationDetails} onChange={onChange} />;
  if (kind === 'service')
    return <ServiceProofForm taskId={taskId} value={value as ServiceProofDetails} onChange={onChange} />;
  return <RectificationForm value={value as RectificationDetails} onChange={onChange} />;
}

export function IssueForm({ taskId, kind, title, onIssued, onCancel }: Props) {
  const [details, setDetails] = useState<Details | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [restored, setRestored] = useState<string | null>(null);
  const [damaged, setDamaged] = useState<string | null>(null);
  const draft = useFormDraft(taskId, kind);
  const { schedule } = draft;

  useEffect(() => {
    let alive = true;
    Promise.all([services.documents.defaults(taskId, kind), services.documents.formDraft(taskId, kind)]).then(
      ([d, stored]) => {
        if (!alive) return;
        if (stored.ok && stored.draft) setRestored(stored.draft.savedAt);
        if (!stored.ok) setDamaged(stored.error.message);
        setDetails(stored.ok && stored.draft ? stored.draft.values : d);
      },
      (e: unknown) => {
        if (alive) setError(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      alive = false;
    };
  }, [taskId, kind]);

  const onChange = useCallback(
    (v: Details) => {
      setDetails(v);
      schedule(v);
    },
    [schedule],
  );

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!details) return;
    setBusy(true);
    setError(null);
    // Stored first: a refused or failed issue keeps everything typed.
    await draft.flush();
    const res = await services.documents.issue(taskId, { kind, details } as DocumentRequest);
    setBusy(false);
    if (res.ok) {
      draft.stop();
      onIssued(res.document.docId);
    } else setError(res.message);
  }

  return (
    <form
      className="doc-form"
      autoComplete="off"
      aria-label={`${title}内容`}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <h3>{title}</h3>
      {restored ? <p className="hint">已恢复本机保存的草稿（{formatClock(restored)}），可继续填写。</p> : null}
      {damaged ? (
        <p className="alert alert-warn" role="alert">
          {damaged}；已按任务资料重新填入，继续填写会覆盖损坏的草稿。
        </p>
      ) : null}
      {details ? (
        <SaveStatusText status={draft.status} idleText="填写内容会自动保存在本机" testId="draft-status" asStatus />
      ) : null}
      {details ? (
        <FormFor taskId={taskId} kind={kind} value={details} onChange={onChange} />
      ) : (
        <p role="status">正在读取任务资料…</p>
      )}
      {error ? (
        <p className="alert alert-danger" role="alert">
          {error}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="submit" className="btn btn-primary" disabled={!details || busy}>
          {busy ? '正在生成…' : '生成文书'}
        </button>
        <button type="button" className="btn" onClick={onCancel} disabled={busy}>
          取消
        </button>
      </div>
      <p className="hint">生成时从本机预留的编号段取号，无需联网；编号一经取用不再重复使用。</p>
    </form>
  );
}
