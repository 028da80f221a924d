/**
 * 案卷 for the task: prints or saves one PDF with all its documents, the evidence index and the
 * signatures, pages numbered across it. Laid out on demand from what is on the device (offline).
 */
import { useState } from 'react';
import { services } from '../../services/index.js';

export function CaseFileActions({ taskId }: { taskId: string }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function run(action: 'print' | 'save') {
    setBusy(true);
    setMessage(null);
    const out =
      action === 'print'
        ? await services.documents.printCaseFile(taskId)
        : await services.documents.saveCaseFile(taskId);
    setBusy(false);
    setMessage({ ok: out.ok, text: out.message });
  }

  return (
    <div className="toolbar" role="group" aria-label="案卷">
      <button type="button" className="btn" disabled={busy} onClick={() => void run('print')}>
        {busy ? '正在组卷…' : '打印案卷'}
      </button>
      <button type="button" className="btn" disabled={busy} onClick={() => void run('save')}>
        保存案卷 PDF
      </button>
      {message ? (
        <span className={message.ok ? 'small muted' : 'alert alert-danger'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </span>
      ) : null}
    </div>
  );
}
