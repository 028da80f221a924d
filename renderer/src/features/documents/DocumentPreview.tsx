/** Preview of an issued document (pdf.js canvases), then print or save it; or void its number with a reason. */
import { useEffect, useRef, useState } from 'react';
import { services } from '../../services/index.js';
import type { IssuedDocument } from '../../services/index.js';
import { renderPreview } from './pdf-preview.js';

export function DocumentPreview({ doc, onClose }: { doc: IssuedDocument; onClose: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState<string>('正在生成预览…');
  const [voiding, setVoiding] = useState(false);
  const [reason, setReason] = useState('');

  useEffect(() => {
    const ctl = new AbortController();
    void (async () => {
      const bytes = await services.documents.pdf(doc.docId);
      if (!bytes || !host.current) throw new Error('本机找不到该文书的 PDF');
      const pages = await renderPreview(bytes, host.current, ctl.signal);
      // Page 1 shows before the rest has rendered: a print or save the inspector started meanwhile keeps its message.
      if (!ctl.signal.aborted) setStatus((s) => (s === '正在生成预览…' ? `共 ${pages} 页` : s));
    })().catch((e: unknown) => {
      if (!ctl.signal.aborted) setStatus(`预览失败：${e instanceof Error ? e.message : String(e)}`);
    });
    return () => ctl.abort();
  }, [doc.docId]);

  async function output(kind: 'print' | 'save') {
    const res = kind === 'print' ? await services.documents.print(doc.docId) : await services.documents.save(doc.docId);
    setStatus(res.message);
  }

  async function confirmVoid() {
    try {
      await services.documents.void(doc.docId, reason);
      setVoiding(false);
      setStatus('编号已作废，将在下次同步时上报');
    } catch (e) {
      setStatus(e instanceof Error ? e.message : String(e));
    }
  }

  return (
    <section className="doc-preview" aria-label={`预览：${doc.title}`}>
      <div className="toolbar">
        <strong>{doc.title}</strong> <span className="mono">{doc.docNo}</span>
        {doc.voided ? <span className="badge badge-danger">已作废</span> : null}
        <span className="spacer" />
        <button type="button" className="btn btn-primary" onClick={() => void output('print')} disabled={doc.voided}>
          打印
        </button>
        <button type="button" className="btn" onClick={() => void output('save')}>
          保存为 PDF
        </button>
        {!doc.voided ? (
          <button type="button" className="btn" onClick={() => setVoiding(true)}>
            作废
          </button>
        ) : null}
        <button type="button" className="btn" onClick={onClose}>
          关闭预览
        </button>
      </div>
      {voiding ? (
        <div className="field-row">
          <div className="field">
            <label htmlFor="void-reason">作废原因</label>
            <input id="void-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="button" className="btn btn-danger" disabled={!reason.trim()} onClick={() => void confirmVoid()}>
            确认作废
          </button>
          <button type="button" className="btn" onClick={() => setVoiding(false)}>
            取消
          </button>
        </div>
      ) : null}
      <p role="status" className="muted">
        {status}
      </p>
      <p className="small muted">
        核验链接：<span className="mono">{doc.verifyUrl}</span>
      </p>
      <div ref={host} className="doc-pages" />
    </section>
  );
}
