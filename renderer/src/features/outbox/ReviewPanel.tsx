/**
 * The review flow for a set-aside (需处理) result: the inspector either resends it as a correction
 * (a new result that replaces the conflicting one) or keeps it as it is with a note. Nothing is
 * ever discarded; the decision is recorded and shown in the row.
 */
import { useState } from 'react';
import { services } from '../../services/index.js';
import type { OutboxEntry } from '../../services/index.js';
import { formatRoute } from '../../state/routes.js';
import { canResendAsCorrection, reviewLabel } from './outbox-text.js';

export function ReviewPanel({ e }: { e: OutboxEntry }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (e.review) return <div className="advice">{reviewLabel(e.review)}</div>;
  const act = async (what: 'keep' | 'correct'): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      if (what === 'keep') await services.outbox.keepWithNote(e.opId, note);
      else await services.outbox.resendAsCorrection(e.opId, note);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const noteId = `review-note-${e.opId}`;
  return (
    <div className="review" role="group" aria-label={`复核 ${e.enterpriseName}`}>
      {e.setAsideCode === 'REVIEW_RETURNED' ? (
        <a className="btn btn-primary" href={formatRoute({ name: 'inspect', taskId: e.taskId })}>
          按审核意见更正
        </a>
      ) : null}
      <label htmlFor={noteId} className="label-strong">
        复核备注
      </label>
      <textarea id={noteId} value={note} onChange={(ev) => setNote(ev.target.value)} rows={2} maxLength={500} />
      <div className="actions">
        {canResendAsCorrection(e.setAsideCode) ? (
          <button type="button" className="btn" disabled={busy} onClick={() => void act('correct')}>
            作为更正重新提交
          </button>
        ) : null}
        <button type="button" className="btn" disabled={busy || note.trim() === ''} onClick={() => void act('keep')}>
          保留并备注
        </button>
      </div>
      {note.trim() === '' ? <p className="small muted">写明复核情况后才能“保留并备注”。</p> : null}
      {error ? (
        <p className="text-danger" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
