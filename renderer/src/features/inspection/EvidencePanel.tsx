/**
 * 现场证据: photos from files or the laptop camera, and scanned documents (PDF/images). Each file
 * is stored at once (SHA-256 + thumbnail) in the field database; its caption is a draft field
 * (captions.<id>) and autosaves with every keystroke. A full disk shows a clear zh-CN error and
 * leaves the rest of the draft untouched.
 */
import { useEffect, useState } from 'react';
import type { UseFormRegister } from 'react-hook-form';
import { services } from '../../services/index.js';
import type { Draft, EvidenceFile } from '../../services/index.js';
import { formatDateTime } from '../../ui/format.js';
import { CameraCapture } from './CameraCapture.js';
import { EvidenceWhere, OriginalLink } from './EvidenceDetails.js';
import { MediaDetails, MediaImport } from './MediaEvidence.js';
import { currentLocation } from './geolocation.js';
import { PhotoAnnotator } from './PhotoAnnotator.js';
import { useObjectUrl } from './useObjectUrl.js';

const MAX_REASON = 200;

interface Props {
  readonly taskId: string;
  readonly resultId: string;
  readonly register: UseFormRegister<Draft>;
}

function Thumb({ file }: { file: EvidenceFile }) {
  const src = useObjectUrl(file.thumbnail ?? (file.mime.startsWith('image/') ? file.blob : null));
  if (file.media) return <div className="evidence-thumb">{file.kind === 'audio' ? '录音' : '录像'}</div>;
  if (!src) return <div className="evidence-thumb">PDF 扫描件</div>;
  return <img className="evidence-thumb" src={src} alt={`证据 ${file.fileName}`} />;
}

/**
 * One stored file: thumbnail, what and when, its hash, the caption, and removal asked twice (it
 * cannot be undone) with a required reason, which goes on the inspector's audit chain as evidence
 * of why a capture is missing from the record.
 */
function evidenceLabel(f: EvidenceFile, n: number): string {
  const kind = { photo: '照片', scan: '扫描件', video: '录像', audio: '录音', signature: '签名' }[f.kind];
  return `${f.annotationOf ? '标注照片' : kind} ${n}`;
}

function EvidenceCard({
  file: f,
  n,
  original,
  register,
  onRemove,
  onAnnotate,
  resultId,
}: {
  file: EvidenceFile;
  n: number;
  resultId: string;
  /** For a marked-up copy: how the original is labelled in this list (null when it is not listed). */
  original: string | null;
  register: UseFormRegister<Draft>;
  onRemove: (reason: string) => Promise<string | null>;
  onAnnotate: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const what = evidenceLabel(f, n);
  return (
    <li className="evidence-card">
      <Thumb file={f} />
      <span className="small">
        {what} · {(f.size / 1024).toFixed(1)} KB · {formatDateTime(f.capturedAt)} 保存
      </span>
      <span className="small muted mono" title={f.sha256}>
        SHA-256 {f.sha256.slice(0, 12)}…
      </span>
      {f.annotationOf ? (
        <span className="small" data-testid="evidence-markup-of" title={f.annotationOf.sha256}>
          标注自{original ?? '原照片'}（原件 SHA-256 {f.annotationOf.sha256.slice(0, 12)}…，原件未改动）
        </span>
      ) : null}
      <EvidenceWhere file={f} />
      {f.media ? <MediaDetails file={f} label={what} resultId={resultId} /> : null}
      <span className="evidence-actions">
        {f.media ? null : <OriginalLink file={f} />}
        {f.mime.startsWith('image/') && !f.annotationOf ? (
          <button type="button" className="btn btn-small" aria-label={`标注${what}…`} onClick={onAnnotate}>
            标注…
          </button>
        ) : null}
      </span>
      <label className="small" htmlFor={`caption-${f.id}`}>
        说明
      </label>
      <input
        id={`caption-${f.id}`}
        aria-label={`证据 ${n} 的说明`}
        {...register(`captions.${f.id}`)}
        placeholder="拍摄内容、位置"
      />
      {asking ? (
        <div className="evidence-confirm" role="group" aria-label={`确认删除${what}`}>
          <span className="small">删除后不能恢复，删除原因记入执法过程记录。</span>
          <label className="small" htmlFor={`remove-reason-${f.id}`}>
            删除原因（必填，最多 {MAX_REASON} 字）
          </label>
          <input
            id={`remove-reason-${f.id}`}
            value={reason}
            maxLength={MAX_REASON}
            required
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `remove-problem-${f.id}` : undefined}
            onChange={(e) => setReason(e.target.value)}
          />
          {problem ? (
            <span id={`remove-problem-${f.id}`} className="small field-error" role="alert">
              {problem}
            </span>
          ) : null}
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => void onRemove(reason).then(setProblem)}
          >
            删除{what}
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setAsking(false);
              setProblem(null);
            }}
          >
            取消
          </button>
        </div>
      ) : (
        <button type="button" className="btn btn-small" aria-label={`删除${what}…`} onClick={() => setAsking(true)}>
          删除…
        </button>
      )}
    </li>
  );
}

export function EvidencePanel({ taskId, resultId, register }: Props) {
  const [files, setFiles] = useState<readonly EvidenceFile[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [annotating, setAnnotating] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void services.inspection
      .evidenceFor(resultId)
      .then((all) => live && setFiles(all.filter((f) => f.kind !== 'signature')));
    return () => {
      live = false;
    };
  }, [resultId]);

  const add = async (list: readonly File[], kind: 'photo' | 'scan'): Promise<void> => {
    setError(null);
    setBusy(true);
    try {
      const location = await currentLocation(); // one fix for the batch: taken at the same place
      for (const f of list) {
        const stored = await services.inspection.addEvidence(taskId, f, kind, f.name || `${kind}.bin`, location);
        setFiles((prev) => [...prev, stored]);
      }
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (id: string, reason: string): Promise<string | null> => {
    try {
      const out = await services.inspection.removeEvidence(id, reason);
      if (!out.ok) return out.error.message;
      setFiles((prev) => prev.filter((f) => f.id !== id));
      return null;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  };

  return (
    <section aria-labelledby="evidence-title" className="card" data-testid="evidence-panel">
      <h2 id="evidence-title">现场证据</h2>
      <p className="small muted">
        照片和扫描件保存在本机，并在保存时计算 SHA-256 校验值，记录时间、位置（允许定位时）和照片的 EXIF
        信息；说明文字随草稿自动保存。
      </p>
      <div className="evidence-actions">
        <label className="btn" htmlFor="evidence-photo">
          从文件添加照片
        </label>
        <input
          id="evidence-photo"
          className="visually-hidden"
          type="file"
          accept="image/*"
          multiple
          aria-label="添加照片"
          onChange={(e) => {
            void add([...(e.target.files ?? [])], 'photo');
            e.target.value = '';
          }}
        />
        <label className="btn" htmlFor="evidence-scan">
          添加扫描件（PDF/图片）
        </label>
        <input
          id="evidence-scan"
          className="visually-hidden"
          type="file"
          accept="application/pdf,image/*"
          multiple
          aria-label="添加扫描件"
          onChange={(e) => {
            void add([...(e.target.files ?? [])], 'scan');
            e.target.value = '';
          }}
        />
        <CameraCapture
          onCapture={(blob) => add([new File([blob], `camera-${Date.now()}.jpg`, { type: blob.type })], 'photo')}
        />
        <MediaImport taskId={taskId} onStored={(f) => setFiles((prev) => [...prev, f])} />
        {busy ? <span role="status">正在保存…</span> : null}
      </div>
      {error ? (
        <p className="alert alert-danger" role="alert">
          附件未保存：{error}
        </p>
      ) : null}
      {files.length === 0 ? <p className="muted small">尚未添加证据。</p> : null}
      <ul className="evidence-grid" aria-label="已添加的证据">
        {files.map((f, i) => {
          const at = f.annotationOf ? files.findIndex((o) => o.id === f.annotationOf?.id) : -1;
          const target = files[at];
          return (
            <EvidenceCard
              key={f.id}
              file={f}
              n={i + 1}
              original={target ? evidenceLabel(target, at + 1) : null}
              register={register}
              onRemove={(reason) => remove(f.id, reason)}
              onAnnotate={() => setAnnotating(f.id)}
              resultId={resultId}
            />
          );
        })}
      </ul>
      {annotating
        ? files
            .filter((f) => f.id === annotating)
            .map((f) => (
              <PhotoAnnotator
                key={f.id}
                file={f}
                label={evidenceLabel(f, files.indexOf(f) + 1)}
                onSaved={(marked) => {
                  setFiles((prev) => [...prev, marked]);
                  setAnnotating(null);
                }}
                onClose={() => setAnnotating(null)}
              />
            ))
        : null}
    </section>
  );
}
